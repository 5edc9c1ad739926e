"""Markdown read in the build's worker processes: what a worker does and what it sends back.

Pelican reads one file after the other; Markdown is most of a cold build (about four fifths of
plain Pelican's on 1,000 articles). :class:`ReadAhead` hands the files a build will read to the
build's worker processes (:mod:`plugins.core.workers`). A worker makes the reader the build
made (the same class on the same settings, so the same Markdown extensions), so a file reads
exactly as it would have in the build's own process.

What comes back is the reader's ``(content, metadata)``, pickled with the settings left out
(tags, categories and authors point at them) and put back as the build's own settings object
on arrival, plus the log records the reader emitted, which the build logs again when it takes
the file, in Pelican's order. A file whose reading raised is read again by the build itself, so
its error, message and log lines are exactly Pelican's.
"""

from __future__ import annotations

import hashlib
import io
import logging
import pickle
from concurrent.futures import Future

from ..core.records import KeptRecords

SETTINGS_ID = "settings"
# Files per message to a worker: few messages (each costs the build's threads a hand-over of
# the interpreter lock), yet the first answers arrive after a few dozen milliseconds.
BATCH = 16

# A worker process's readers by the digest of (class, settings): made once per worker, not
# once per file. Only ever filled in a worker process, never in the build's.
_readers_of_worker: dict[str, object] = {}


class _SettingsPickler(pickle.Pickler):
    def __init__(self, file, settings):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.settings = settings

    def persistent_id(self, obj):
        return SETTINGS_ID if obj is self.settings else None


class _SettingsUnpickler(pickle.Unpickler):
    def __init__(self, file, settings):
        super().__init__(file)
        self.settings = settings

    def persistent_load(self, pid):
        if pid == SETTINGS_ID:
            return self.settings
        raise pickle.UnpicklingError(f"unknown persistent id {pid!r}")


def _reader(spec: bytes):
    key = hashlib.sha256(spec).hexdigest()
    if key not in _readers_of_worker:
        reader_class, settings = pickle.loads(spec)
        _readers_of_worker[key] = reader_class(settings)
    return _readers_of_worker[key]


def _read_one(reader, path: str) -> bytes | None:
    """The reader's answer for one file, or None if it raised (the build reads it again)."""
    records = KeptRecords()
    root = logging.getLogger()
    saved, root.handlers = root.handlers, [records]  # nothing printed here: the build logs
    try:
        answer = reader.read(path)
        buffer = io.BytesIO()
        _SettingsPickler(buffer, reader.settings).dump((answer, records.records))
        return buffer.getvalue()
    except Exception:  # noqa: BLE001 - any failure: the build's own read reports it
        return None
    finally:
        root.handlers = saved


def read_in_worker(spec: bytes, paths: list[str]) -> list[bytes | None]:
    """The answers for a batch of files (one message each way per batch, not per file)."""
    reader = _reader(spec)
    return [_read_one(reader, path) for path in paths]


class ReadAhead:
    """The files of one build that its workers are reading, by absolute path."""

    def __init__(self, workers):
        self.workers = workers
        self.specs: dict[int, bytes] = {}
        self.pending: dict[str, tuple[Future, int]] = {}
        self.read_ahead = 0  # files answered by a worker (for tests and the benchmark)
        self.taken_back = 0  # files the build read itself because no worker had them yet

    def add(self, reader, paths: list[str]) -> None:
        """Begin reading ``paths`` (absolute) as ``reader`` would."""
        if id(reader) not in self.specs:
            self.specs[id(reader)] = pickle.dumps((type(reader), reader.settings))
        spec = self.specs[id(reader)]
        paths = [p for p in paths if p not in self.pending]
        for start in range(0, len(paths), BATCH):
            batch = paths[start : start + BATCH]
            future = self.workers.submit(read_in_worker, spec, batch)
            for index, path in enumerate(batch):
                self.pending[path] = (future, index)

    def take(self, path: str, settings: dict, steal: bool = True):
        """The reader's ``(content, metadata)`` for ``path`` and the records it logged, or None
        when no worker read it (or its reading failed: the build reads it itself).

        With ``steal``, a file whose batch no worker has yet is not waited for: the batch is
        taken back and the build reads its files itself (while the workers start, the build
        reads the first files; at the end, the last ones)."""
        waiting = self.pending.pop(path, None)
        if waiting is None:
            return None
        future, index = waiting
        if steal and future.cancel():
            self.taken_back += 1
            return None
        try:
            data = future.result()[index]
        except Exception:  # noqa: BLE001 - a worker that died: the build reads the file itself
            return None
        if data is None:
            return None
        answer, records = _SettingsUnpickler(io.BytesIO(data), settings).load()
        self.read_ahead += 1
        return answer, records

    def stop(self) -> None:
        """Files not taken are not needed: their reading is dropped."""
        for future, _ in self.pending.values():
            future.cancel()
        self.pending.clear()
