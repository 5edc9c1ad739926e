"""Every ``/wp-content/uploads/…`` reference → one file in ``content/``, copied from the uploads.

WordPress serves each image in several sizes (``foto-300x200.jpg``, ``foto-1024x683.jpg``,
``foto-scaled.jpg``); a post refers to whichever size its editor picked. They all map back to
the original upload, which is copied once; the theme shows it at the width the page needs.
Audio goes to ``content/audio/`` (episodes need it there), everything else to
``content/images/``, both keeping WordPress's ``YYYY/MM/`` folders so names cannot collide.
Nothing is downloaded: a file that is not in the uploads copy is listed as missing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

AUDIO = {".mp3", ".m4a", ".ogg", ".oga", ".wav", ".aac", ".opus"}
_UPLOADS = re.compile(r"/wp-content/uploads/(.+)$")
_SIZE = re.compile(r"-(?:\d+x\d+|scaled|rotated)(?=\.[A-Za-z0-9]+$)")


def uploads_path(url: str) -> str | None:
    """The path inside the uploads folder that ``url`` points at, or None.

    Any host counts (the old domain, www or not, a CDN such as i0.wp.com/site/…), and so do
    root-relative URLs; query strings (``?resize=…``) and fragments are ignored. A path that
    would leave the uploads folder (``../``) is not an uploads path.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("", "http", "https"):
        return None
    match = _UPLOADS.search(unquote(parts.path))
    if not match:
        return None
    path = PurePosixPath(match.group(1))
    if any(part in ("..", ".", "") for part in path.parts) or "\\" in match.group(1):
        return None
    return str(path)


def original_upload(path: str, uploads: set[str]) -> str | None:
    """The original upload for a size variant (``foto-300x200.jpg`` → ``foto.jpg``)."""
    candidates = [path]
    stripped = path
    while _SIZE.search(PurePosixPath(stripped).name):
        name = _SIZE.sub("", PurePosixPath(stripped).name, count=1)
        stripped = str(PurePosixPath(stripped).with_name(name))
        candidates.insert(0, stripped)
    return next((candidate for candidate in candidates if candidate in uploads), None)


def destination(upload: str) -> str:
    """Where an upload goes, relative to ``content/``."""
    folder = "audio" if PurePosixPath(upload).suffix.lower() in AUDIO else "images"
    return f"{folder}/{upload}"


def list_uploads(folder: Path | None) -> set[str]:
    """Every file in the uploads copy, as paths relative to it (links are not followed)."""
    if folder is None:
        return set()
    found = set()
    for root, directories, files in os.walk(folder):
        directories[:] = [d for d in directories if not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if not name.startswith(".") and path.is_file() and not path.is_symlink():
                found.add(path.relative_to(folder).as_posix())
    return found


@dataclass
class MediaPlan:
    """The media files an import copies, and the references it could not map."""

    uploads_folder: Path | None
    uploads: set[str]
    copies: dict[str, str] = field(default_factory=dict)  # content path → upload path
    missing: dict[str, set[str]] = field(default_factory=dict)  # upload path → where used

    def resolve(self, url: str, used_in: str) -> str | None:
        """The content path for an uploads URL (recorded for copying); None if missing.

        Only call this for URLs :func:`uploads_path` recognises.
        """
        path = uploads_path(url)
        if path is None:
            return None
        original = original_upload(path, self.uploads)
        if original is None:
            self.missing.setdefault(path, set()).add(used_in)
            return None
        target = destination(original)
        self.copies[target] = original
        return target

    def source(self, content_path: str) -> Path:
        assert self.uploads_folder is not None
        return self.uploads_folder / self.copies[content_path]
