"""Pages rendered by two processes: the build's, and one forked from it once every page is known.

Rendering the templates is most of a cold build, and it is Python: one core. So while Pelican
goes through its generators the writer only notes each page (:class:`LaterTemplate` stands in
for the template: Pelican still decides every page's name, pagination and context, and makes
its folder); at the end of the output the pages are shared out: the build renders every other
one, and a copy of the build forked at that moment renders the rest, with the whole site
already in its memory (nothing is sent to it but the share it takes).

The build runs threads (the page writer, the workers' pool, the search indexer), and a forked
copy keeps every lock as it was at the fork. So the copy touches none a thread may hold: it
prints nothing (its output streams are new), its log records go into a list, it writes its
files itself, and it ends with ``os._exit`` (no exit handlers). What it logged and reported comes
back through a pipe and is logged and reported by the build, as if it had rendered those pages
itself. If the copy fails, breaks off or takes too long, the build renders its share again: a
template error is then raised where it always was, in the build's own process.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import select
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.records import KeptRecords

# Fewer pages are not worth the fork.
AT_LEAST = 64
# How long the copy may take beyond the build's own share before its share is rendered again.
PATIENCE = 4.0


@dataclass
class Page:
    path: str
    template: Any  # the Jinja template Pelican gave the writer
    context: dict  # the page's context, as Pelican made it

    def render(self) -> bytes:
        return self.template.render(self.context).encode("utf-8")


class LaterTemplate:
    """What the writer gives Pelican in place of a template: ``render`` keeps the context for
    the page Pelican opens next (the writer's ``_open_w``) and renders nothing yet."""

    def __init__(self, template: Any, keep: Callable[[Any, dict], None]):
        self.template, self.keep = template, keep
        self.name = getattr(template, "name", None)

    def render(self, context: dict) -> str:
        self.keep(self.template, context)
        return ""


def _quiet_copy() -> KeptRecords:
    """In the copy: new output streams, every log record kept in a list (and no filter of the
    build's: the build passes them through its own when it logs them)."""
    devnull = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the copy
    sys.stdout = sys.stderr = devnull
    kept = KeptRecords()
    loggers = [logging.getLogger()] + [
        found
        for found in logging.Logger.manager.loggerDict.values()
        if isinstance(found, logging.Logger)
    ]
    for each in loggers:
        each.handlers, each.filters = [], []
    logging.getLogger().handlers = [kept]
    return kept


class Copy:
    """The forked copy that renders ``pages``; :meth:`outcome` waits for what it sends back."""

    def __init__(self, pages: list[Page], write: Callable[[str, bytes], object], report: Any):
        self.pages = pages
        before = len(report.problems)
        reading, writing = os.pipe()
        gc.collect()
        gc.freeze()  # the copy shares the build's objects instead of touching them all
        self.pid = os.fork()
        if self.pid == 0:  # the copy
            outcome: dict = {"done": False}
            try:
                os.close(reading)
                gc.disable()
                kept = _quiet_copy()
                for page in pages:
                    write(page.path, page.render())
                outcome = {
                    "done": True,
                    "records": kept.records,
                    "report": report.problems[before:],
                }
                data = pickle.dumps(outcome)
            except BaseException:  # noqa: BLE001 - the build renders this share again
                data = pickle.dumps({"done": False})
            try:
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(data)
            finally:
                os._exit(0)
        gc.unfreeze()
        os.close(writing)
        self.pipe = reading

    def outcome(self, seconds: float) -> dict | None:
        """What the copy sent: its log records and report lines; None when it failed, broke
        off or took more than ``seconds``."""
        deadline = time.monotonic() + seconds
        received = bytearray()
        finished = False
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                    break
                chunk = os.read(self.pipe, 1 << 16)
                if not chunk:
                    finished = True
                    break
                received += chunk
        finally:
            os.close(self.pipe)
            if not finished:
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        try:
            sent = pickle.loads(bytes(received)) if finished else None
        except Exception:  # noqa: BLE001 - half a message: as good as none
            sent = None
        return sent if sent and sent.get("done") else None


def render_shared(
    pages: list[Page],
    write_here: Callable[[str, bytes], object],
    write_there: Callable[[str, bytes], object],
    report: Any,
) -> int:
    """Render ``pages``: every other one in a forked copy (written by ``write_there``), the rest
    here (``write_here``); the copy's log records are logged and its problems added to
    ``report`` (the build's :class:`~plugins.core.problems.Report`) here. The number of pages
    the copy rendered (0: all were rendered here)."""
    if len(pages) < AT_LEAST:
        for page in pages:
            write_here(page.path, page.render())
        return 0
    mine, theirs = pages[0::2], pages[1::2]
    copy = Copy(theirs, write_there, report)
    started = time.monotonic()
    try:
        for page in mine:
            write_here(page.path, page.render())
    except BaseException:
        copy.outcome(0)  # the build fails here: the copy ends now, and writes nothing more
        raise
    sent = copy.outcome(PATIENCE * (time.monotonic() - started) + 10)
    if sent is None:
        for page in theirs:
            write_here(page.path, page.render())
        return 0
    for record in sent["records"]:
        logging.getLogger(record.name).handle(record)
    report.extend(sent["report"])
    return len(theirs)
