"""The resized copies kept between builds, under ``CACHE_PATH/images/``.

A copy is stored under a key made of the source's bytes (SHA-256) and everything that decides
its bytes (widths, format, quality, Pillow's version): a rebuild finds every copy it needs and
encodes nothing; a changed picture or setting gets new copies. What a source is (its digest,
size and transparency) is remembered by path, file size and modification time
(``sources.json``), so a rebuild with unchanged pictures does not even read them.

Pelican's static step then links (development) or copies (publish) the stored files into the
output, as it does with every other static file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .variants import ENCODER, Copy, Facts, read_facts

MANIFEST = "sources.json"


def settings_key(widths: tuple[int, ...], modern: str, quality: int) -> str:
    text = json.dumps([ENCODER, list(widths), modern, quality])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class ImageStore:
    def __init__(self, cache_path: str | os.PathLike, key: str):
        self.folder = Path(cache_path) / "images"
        self.key = key
        self.manifest_path = self.folder / MANIFEST
        try:
            self.sources = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.sources = {}
        if not isinstance(self.sources, dict):
            self.sources = {}
        self.changed = False
        self.encoded = 0  # copies encoded in this build

    def source(self, path: Path) -> tuple[str, Facts]:
        """(digest, facts) of a source picture; raises ImageProblem for an unreadable one."""
        stat = path.stat()
        name = str(path)
        known = self.sources.get(name)
        if (
            isinstance(known, dict)
            and known.get("size") == stat.st_size
            and known.get("mtime_ns") == stat.st_mtime_ns
        ):
            try:
                facts = Facts(int(known["width"]), int(known["height"]), bool(known["alpha"]))
                return str(known["digest"]), facts
            except (KeyError, TypeError, ValueError):
                pass
        data = path.read_bytes()
        facts = read_facts(data)
        digest = hashlib.sha256(data).hexdigest()[:24]
        self.sources[name] = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "digest": digest,
            "width": facts.width,
            "height": facts.height,
            "alpha": facts.transparent,
        }
        self.changed = True
        return digest, facts

    def stored(self, digest: str, copy: Copy) -> Path:
        return self.folder / f"{digest}-{self.key}" / f"{copy.width}w.{copy.ext}"

    def missing(self, digest: str, copies: tuple[Copy, ...]) -> tuple[Copy, ...]:
        return tuple(c for c in copies if not self.stored(digest, c).is_file())

    def put(self, digest: str, copies: tuple[Copy, ...], made: dict[str, bytes]) -> None:
        for copy in copies:
            target = self.stored(digest, copy)
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".tmp")
            temporary.write_bytes(made[copy.path])
            os.replace(temporary, target)  # a copy is complete or absent, never half-written
            self.encoded += 1

    def save(self) -> None:
        if not self.changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.manifest_path.with_name(MANIFEST + ".tmp")
        temporary.write_text(json.dumps(self.sources, sort_keys=True, indent=0), "utf-8")
        os.replace(temporary, self.manifest_path)
