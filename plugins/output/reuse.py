"""A rebuild of a site in which nothing changed renders no page again.

Rendering is most of a warm rebuild (two thousand pages for 1,000 articles: every page shows the
menu, the lists show cards). When everything a page can show is as it was in the build that
wrote the output folder, the pages on disk are what rendering would write again; the writer
then takes each page as written instead of rendering it (:class:`PagesOnDisk`).

"Everything" is one digest, :func:`site_digest`, over what pages are made from: every file of
the content folder, of the theme and of the plugins (size and time stamp), the settings files,
the settings, the installed packages, the date, the items Pelican publishes, and the data that
features bring from outside the content folder (scores, comments: ``build.depends_on``). Any
change to one of them renders every page, as before; pages whose bytes come out the same are
still not written again (:mod:`.files`). Feeds are always made (they are few). A page missing
from disk is rendered.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from ..core.digest import stable

RECORD_VERSION = 1
# Settings that say how the build works, not what a page shows: a build with the content cache
# switched off makes the same pages.
HOW_NOT_WHAT = frozenset(
    {
        "LOAD_CONTENT_CACHE",
        "CACHE_CONTENT",
        "CACHE_PATH",
        "CONTENT_CACHING_LAYER",
        "CHECK_MODIFIED_METHOD",
        "GZIP_CACHE",
        "DELETE_OUTPUT_DIRECTORY",
        "OUTPUT_RETENTION",
        "BUILD_PROCESSES",
        "OUTPUT_REUSE",
        "LOG_FILTER",
        # The build itself and what it hands between its steps.
        "SCHITTER_BUILD",
        "SCHITTER_PENDING_PROBLEMS",
        "SCHITTER_WORKER_MODULES",
    }
)


def stamps(folder: Path, skip: Iterable[Path] = ()) -> Iterable[str]:
    """Every file under ``folder`` as path, size and modification time (ns)."""
    skipped = {str(p) for p in skip}
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(
            f for f in folders if os.path.join(root, f) not in skipped and f != "__pycache__"
        )
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            yield f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}"


def _packages() -> list[str]:
    return sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())


def site_digest(
    build, settings: dict, code: Iterable[Path], skip: Iterable[Path] = (), settings_folder=None
) -> str:
    """The digest of everything a page of this build can show (see the module); ``code``: the
    folders of the code that renders pages, ``settings_folder``: where the settings files are
    (its ``.py`` files count, not its subfolders)."""
    digest = hashlib.sha256(f"schitter-pages-{RECORD_VERSION}\0".encode())
    today = datetime.datetime.now(datetime.UTC).astimezone().date().isoformat()
    digest.update(f"{today}\0{build.base_url}\0".encode())
    pages_settings = {k: v for k, v in settings.items() if k not in HOW_NOT_WHAT}
    digest.update(stable(pages_settings).encode())
    # What features brought from outside (scores, comments), and which items Pelican publishes
    # (a date that has passed publishes an article without any file changing).
    digest.update(stable(build.outside).encode())
    digest.update(stable([(i.source, i.path, i.content.status) for i in build.site.items]).encode())
    for folder in [build.content, Path(settings["THEME"]), *code]:
        for line in stamps(Path(folder), skip):
            digest.update(line.encode("utf-8", "surrogateescape"))
    if settings_folder is not None:
        for path in sorted(Path(settings_folder).glob("*.py")):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    digest.update("\0".join(_packages()).encode())
    return digest.hexdigest()


@dataclasses.dataclass
class PagesOnDisk:
    """What the build that wrote the output folder rendered: its digest and, for each page the
    writer was asked for, the files that came of it (more than one for a list in pages)."""

    digest: str = ""
    calls: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    def reusable(self, digest: str, key: str) -> list[str] | None:
        """The files of ``key`` if this build would write them again unchanged."""
        if not digest or digest != self.digest or key not in self.calls:
            return None
        files = self.calls[key]
        return files if all(os.path.isfile(f) for f in files) else None


def read_record(path: Path) -> PagesOnDisk:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != RECORD_VERSION:
            return PagesOnDisk()
        calls = {str(k): [str(f) for f in v] for k, v in data["calls"].items()}
        return PagesOnDisk(str(data["digest"]), calls)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return PagesOnDisk()


def write_record(path: Path, record: PagesOnDisk) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    data = {"version": RECORD_VERSION, "digest": record.digest, "calls": record.calls}
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)
