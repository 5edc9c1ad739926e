"""Pagefind's indexer as a service: pages in, the search bundle out.

``pagefind --service`` (the binary of the pinned ``pagefind-bin`` package; no network) reads
requests on stdin and answers on stdout, each a base64-encoded JSON message ended by a comma.
:class:`Indexer` feeds it our pages and writes the bundle from a thread while Pelican goes on
writing the site, so the indexing runs on the other CPU core; :meth:`Indexer.wait` waits for it.

(The ``pagefind`` Python package speaks the same protocol, but polls for every answer with a
0.1 s sleep: 110 s for 1,100 pages. This client answers as soon as the indexer does.)
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path

AHEAD = 16  # pages sent before the first answer is waited for


class SearchIndexError(RuntimeError):
    """The indexer refused a page or could not write the bundle; the message says why."""


def executable() -> Path:
    from pagefind_bin import get_executable  # the binary shipped in the pinned wheel

    return Path(get_executable())


class Indexer:
    def __init__(self, config: dict, binary: Path | None = None):
        self.process = subprocess.Popen(
            [str(binary or executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.message_id = 0
        self._unread = b""
        self.index_id = self._ask({"type": "NewIndex", "config": config})["index_id"]
        self.thread: threading.Thread | None = None
        self.error: SearchIndexError | None = None
        self.pages = 0

    def _send(self, payload: dict) -> int:
        self.message_id += 1
        message = {"message_id": self.message_id, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
        except (BrokenPipeError, OSError) as error:
            raise SearchIndexError(f"the indexer stopped ({error})") from None
        return self.message_id

    def _answer(self) -> dict:
        """The next answer: its payload (raises SearchIndexError for an error)."""
        while b"," not in self._unread:  # base64 has no commas: a comma ends an answer
            try:
                self.process.stdin.flush()
                more = self.process.stdout.read1(1 << 20)
            except (BrokenPipeError, OSError) as error:
                raise SearchIndexError(f"the indexer stopped ({error})") from None
            if not more:
                raise SearchIndexError("the indexer stopped before it answered")
            self._unread += more
        answer, _, self._unread = self._unread.partition(b",")
        result = json.loads(base64.b64decode(answer)).get("payload") or {}
        if result.get("type") == "Error":
            raise SearchIndexError(str(result.get("message") or "unknown error"))
        return result

    def _ask(self, payload: dict) -> dict:
        self._send(payload)
        self.process.stdin.flush()
        return self._answer()

    def start(self, pages: Iterable[tuple[str, str]], output: Path, archive: Path) -> None:
        """Index (url, html) pages and write the bundle into the folder ``output`` and, as one
        file, into ``archive`` (a zip, kept for later builds), in a thread: the build goes on
        meanwhile; :meth:`wait` waits for it."""

        def work():
            try:
                # Up to AHEAD pages on their way: the indexer works on the next while its
                # answer to the last one travels (one at a time, it waited for each).
                waiting = 0
                for url, html in pages:
                    file = {"url": url, "file_path": None, "file_contents": html}
                    self._send({"type": "AddFile", "index_id": self.index_id, **file})
                    waiting += 1
                    if waiting == AHEAD:
                        self._answer()
                        waiting -= 1
                        self.pages += 1
                for _ in range(waiting):
                    self._answer()
                    self.pages += 1
                self._write(output, archive)
            except SearchIndexError as error:
                self.error = error
            finally:
                self.close()

        self.thread = threading.Thread(target=work, name="search-index", daemon=True)
        self.thread.start()

    def _write(self, output: Path, archive: Path) -> None:
        # The bundle's files are asked for (GetFiles) and written here, each completely:
        # Pagefind's own WriteFiles answers before its last files are on disk.
        files = self._ask({"type": "GetFiles", "index_id": self.index_id}).get("files")
        if not files:
            raise SearchIndexError("the indexer returned no files")
        bundle = {}
        for file in files:
            relative = Path(file["path"])
            if relative.is_absolute() or ".." in relative.parts:
                raise SearchIndexError(f"the indexer named a file outside the bundle: {relative}")
            bundle[relative.as_posix()] = base64.b64decode(file["content"])
        put(bundle, output)
        archive.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(archive, "w") as kept:  # stored: Pagefind compressed them
            for name in sorted(bundle):
                kept.writestr(zipfile.ZipInfo(name), bundle[name])

    def wait(self) -> None:
        """Wait until the bundle is written; raises SearchIndexError if it could not be."""
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def put(bundle: dict[str, bytes], output: Path) -> None:
    """The bundle's files (relative path: bytes) into the folder ``output``."""
    made: set[Path] = set()
    for name, data in bundle.items():
        target = output / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(data)


def unpack(archive: Path, output: Path) -> None:
    """A bundle kept by :meth:`Indexer.start` into the folder ``output``."""
    with zipfile.ZipFile(archive) as kept:
        put({name: kept.read(name) for name in kept.namelist()}, output)
