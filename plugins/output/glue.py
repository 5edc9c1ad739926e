"""output's steps in the pipeline: Pelican's writer that keeps unchanged files (:mod:`.files`),
writes pages in a thread (:mod:`.background`), renders no page of a site that did not change
(:mod:`.reuse`; ``OUTPUT_REUSE = False`` renders every page) and renders the others in two
processes once all are known (:mod:`.split`; not with ``BUILD_PROCESSES = 1``); at the end of a
build into a folder that is kept (``DELETE_OUTPUT_DIRECTORY = False``), the removal of what an
earlier build made there and this one did not."""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from pelican import signals

from ..core.build import CONTEXT_KEY
from ..core.settings import read
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
from .reuse import PagesOnDisk, read_record, site_digest, write_record
from .split import LaterTemplate, Page, render_shared

WRITER_KEY = "output.writer"
# Under Pelican's logger: `pelican --debug` shows how many pages were not rendered again.
logger = logging.getLogger("pelican.schitter.output")


CODE = Path(__file__).resolve().parents[1]  # plugins/: what renders the pages


@dataclass(frozen=True)
class OutputSettings:
    reuse: bool = True


def _record_path(settings: dict, output: str) -> Path:
    ledger = ledger_path(Path(settings.get("CACHE_PATH") or "cache"), Path(output))
    return ledger.with_name(ledger.stem + "-pages.json")


class SchitterWriter(UnchangedKept):
    """The build's writer: pages go to :class:`BackgroundWrites` as they are rendered; a page
    of a site that did not change is taken from disk (:mod:`.reuse`)."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        settings = settings or {}
        build = settings.get(CONTEXT_KEY)
        self.background = BackgroundWrites(write_if_changed)
        self.on_disk, self.now = PagesOnDisk(), PagesOnDisk()
        self._this_call: list[str] | None = None
        self.taken_from_disk = 0
        # Pages noted to be rendered at the end, in two processes (None: rendered at once).
        self.later: list[Page] | None = None
        self._kept: tuple | None = None
        if build is None:
            return
        if (
            build.processes() >= 2
            and hasattr(os, "fork")
            # With relative URLs Pelican changes the shared context from page to page.
            and not settings.get("RELATIVE_URLS")
            # A plugin that reads each page as it is written needs it on disk by then.
            and not signals.content_written.receivers
        ):
            self.later = []
        build.features[WRITER_KEY] = self
        config, problems = read(OutputSettings, settings, "OUTPUT_", build.settings_file)
        build.report.extend(problems)
        record = _record_path(settings, output_path)
        if config.reuse and build.has_site:
            self.on_disk = read_record(record)
            skip = [Path(output_path), Path(settings.get("CACHE_PATH") or "cache")]
            self.now.digest = site_digest(
                build,
                settings,
                [CODE],
                skip=[p.resolve() for p in skip],
                settings_folder=Path(build.settings_file).resolve().parent,
            )
        # Until this build ends, the output folder is not what any record says.
        record.unlink(missing_ok=True)

    def write_file(self, name, template, context, *args, override_output=False, **kwargs):
        key = f"{getattr(template, 'name', template)}\0{name}"
        files = None if override_output else self.on_disk.reusable(self.now.digest, key)
        if files is not None and not any(f in self._written_files for f in files):
            self._written_files.update(files)
            self.now.calls[key] = files
            self.taken_from_disk += len(files)
            return None
        self._this_call = []
        if self.later is not None:
            template = LaterTemplate(template, self._keep)
        try:
            return super().write_file(
                name, template, context, *args, override_output=override_output, **kwargs
            )
        finally:
            self.now.calls[key], self._this_call = self._this_call, None

    def _keep(self, template, context: dict) -> None:
        self._kept = (template, context)

    def _open_w(self, filename, encoding, override=False):
        if self._this_call is not None:
            self._this_call.append(filename)
        kept, self._kept = self._kept, None
        if kept is None:
            return super()._open_w(filename, encoding, override)
        if self._claim(filename, override):  # a page to render at the end
            self.later.append(Page(filename, *kept))
        return io.StringIO()  # what Pelican writes now is nothing

    def write_bytes(self, path: str, data: bytes) -> None:
        self.background.write(path, data)


def finish_writing(pelican) -> None:
    """Every page is on disk before anything reads the output (precompression, the ledger)."""
    build = pelican.settings.get(CONTEXT_KEY)
    written = build.existing_state(WRITER_KEY) if build is not None else None
    if written is None:
        return
    if written.later:
        pages, written.later = written.later, None
        there = render_shared(pages, written.write_bytes, write_if_changed, build.report)
        logger.debug("%d of %d pages were rendered by a second process", there, len(pages))
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
    made = {os.path.relpath(path, output) for path in written._written_files if path != os.devnull}
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
    if written.now.digest:
        write_record(_record_path(settings, str(output)), written.now)
    if written.taken_from_disk:
        logger.debug("%d pages of an unchanged site were taken from disk", written.taken_from_disk)
