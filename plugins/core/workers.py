"""The build's worker processes: pure work that runs on the other cores while Pelican goes on.

Pelican builds in one process, one file after the other. A feature that has work which needs
nothing of the build but its arguments (read a Markdown file, minify a script) hands it to
:meth:`Workers.submit` and takes the result when it needs it; the build's own process keeps
going meanwhile. One pool per build, started on first use and ended with the build.

The workers are forked from a fork server (a clean process that imported the modules the
workers run once), never from the build itself: forking a process that runs threads (Pelican's
progress display, a test runner, the page writer) can leave a copied lock held for ever. (The
one fork of the build, output/split.py, makes a copy that renders pages and touches none of
those locks: it needs the whole site in memory, which no worker has.)

``BUILD_PROCESSES``: how many worker processes (0, the default: one per core; 1: none, every
feature does its work in the build's process).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from .settings import SettingError, setting

# The modules whose functions run in the workers (set by the pipeline, which knows the features).
MODULES_KEY = "SCHITTER_WORKER_MODULES"


def _processes(value: int) -> int:
    if value < 0:
        raise SettingError(
            f"{value} is not a number of processes",
            "write BUILD_PROCESSES = 0 (one per core), 1 (no worker processes) or more",
        )
    return value


@dataclass(frozen=True)
class WorkerSettings:
    processes: int = setting(0, check=_processes)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def available() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()


class Work(Future):
    """A job handed to the workers: it can be cancelled (and taken back by the build) until a
    worker has it, even while it is still on its way to the pool."""

    def __init__(self):
        super().__init__()
        self._sent: Future | None = None

    def cancel(self) -> bool:
        sent = self._sent
        if sent is not None and not sent.cancel():  # a worker has it already
            return False
        return super().cancel()

    def _settle(self, sent: Future) -> None:
        if sent.cancelled() or self.done():
            return
        error = sent.exception()
        if error is None:
            self.set_result(sent.result())
        else:
            self.set_exception(error)


def _hand_over(pool: ProcessPoolExecutor, jobs: queue.SimpleQueue) -> None:
    while (job := jobs.get()) is not None:
        work, function, args = job
        if work.cancelled():
            continue
        try:
            sent = pool.submit(function, *args)
        except RuntimeError as error:  # the pool was shut (a build that broke off)
            if not work.done():
                work.set_exception(error)
            continue
        work._sent = sent
        if work.cancelled():  # taken back while it was being sent
            sent.cancel()
        sent.add_done_callback(work._settle)


class Workers:
    """The pool of one build. :meth:`submit` returns at once: the jobs go to the pool from a
    thread, because the first submission waits for the fork server to import the workers'
    modules and start them (a third of a second in which the build can read files itself)."""

    def __init__(self, processes: int, modules: list[str]):
        context = multiprocessing.get_context("forkserver")
        # Imported once by the fork server (the first time this process starts one), not by
        # every worker.
        context.set_forkserver_preload(sorted(modules))
        self._pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._sender = threading.Thread(
            target=_hand_over, args=(self._pool, self._jobs), name="workers-submit", daemon=True
        )
        self._sender.start()
        # A build that breaks off before its end still lets its workers go.
        self._stop = weakref.finalize(self, _shut, self._pool, self._jobs)

    def submit(self, function: Callable, *args) -> Future:
        work = Work()
        self._jobs.put((work, function, args))
        return work

    def stop(self) -> None:
        """The workers end; work not yet started is dropped (nobody takes its result)."""
        self._jobs.put(None)
        self._sender.join()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._stop.detach()


def _shut(pool: ProcessPoolExecutor, jobs: queue.SimpleQueue) -> None:
    jobs.put(None)
    pool.shutdown(wait=False, cancel_futures=True)
