"""Pages written by threads while the build renders the next one.

Rendering is Python (one core, the GIL); creating a folder or a file is a system call that waits
for the file system (on a cold build of 1,000 articles, two thousand new files).
:class:`BackgroundWrites` writes each finished page in a thread, in the order Pelican finished
them, while Pelican renders the next page. (Making the folders in a thread too was tried and
was slower: the build's own look-ups of those folders then waited for the thread.)
:meth:`finish` waits for every write and raises the first error, so a build whose page could
not be written still fails.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Callable

# Pages waiting to be written (each is held in memory until it is): a bound that never slows
# rendering down on a working disk.
WAITING = 256


def _write_pages(jobs: queue.Queue, write: Callable[[str, bytes], object], errors: list) -> None:
    while True:
        job = jobs.get()
        if job is None:
            return
        if not errors:
            try:
                write(*job)
            except BaseException as error:  # noqa: BLE001 - raised again by finish()
                errors.append(error)


def _stop(jobs: queue.Queue) -> None:
    jobs.put(None)


class BackgroundWrites:
    def __init__(self, write: Callable[[str, bytes], object]):
        self._jobs: queue.Queue = queue.Queue(maxsize=WAITING)
        self._errors: list[BaseException] = []
        # A build that ends calls finish(); one that breaks off (an exception) lets the thread
        # stop when the build is let go of (the thread holds no reference to this object), or
        # at exit: a daemon, so a failed build never keeps the process from ending.
        self._writer = threading.Thread(
            target=_write_pages,
            args=(self._jobs, write, self._errors),
            name="output-writes",
            daemon=True,
        )
        self._stop = weakref.finalize(self, _stop, self._jobs)
        self._writer.start()

    def write(self, path: str, data: bytes) -> None:
        if self._errors:
            self.finish()
        self._jobs.put((path, data))

    def finish(self) -> None:
        """Every page written; the first error of a write is raised here."""
        self._stop()  # once: a finalizer runs at most once
        self._writer.join()
        if self._errors:
            raise self._errors[0]
