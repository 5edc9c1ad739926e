"""output's steps in the pipeline: Pelican's writer that keeps unchanged files, and, at the end
of a build into a folder that is kept (``DELETE_OUTPUT_DIRECTORY = False``), the removal of
what an earlier build made there and this one did not (:mod:`.files`)."""

from __future__ import annotations

import os
from pathlib import Path

from ..core.build import CONTEXT_KEY
from .background import BackgroundWrites
from .files import (
    UnchangedKept,
    ledger_path,
    read_ledger,
    remove,
    stale,
    write_if_changed,
    write_ledger,
)

WRITER_KEY = "output.writer"


class SchitterWriter(UnchangedKept):
    """The build's writer: pages go to :class:`BackgroundWrites` as they are rendered."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        build = (settings or {}).get(CONTEXT_KEY)
        self.background = BackgroundWrites(write_if_changed)
        if build is not None:
            build.features[WRITER_KEY] = self

    def write_bytes(self, path: str, data: bytes) -> None:
        self.background.write(path, data)


def finish_writing(pelican) -> None:
    """Every page is on disk before anything reads the output (precompression, the ledger)."""
    build = pelican.settings.get(CONTEXT_KEY)
    written = build.existing_state(WRITER_KEY) if build is not None else None
    if written is not None:
        written.background.finish()


def writer(pelican) -> type:
    return SchitterWriter


def remove_stale(pelican) -> None:
    settings = pelican.settings
    build = settings.get(CONTEXT_KEY)
    written = build.existing_state(WRITER_KEY) if build is not None else None
    if written is None:
        return
    output = Path(settings["OUTPUT_PATH"])
    made = {
        os.path.relpath(path, output)
        for path in written._written_files
        if path != os.devnull
    }
    made |= {
        static.save_as
        for static in build.context.get("staticfiles") or []
        if getattr(static, "save_as", None)
    }
    ledger = ledger_path(Path(settings.get("CACHE_PATH") or "cache"), output)
    if not settings.get("DELETE_OUTPUT_DIRECTORY"):
        kept = [str(folder) for folder in settings.get("OUTPUT_RETENTION") or []]
        remove(output, stale(read_ledger(ledger), made, kept))
    write_ledger(ledger, made)
