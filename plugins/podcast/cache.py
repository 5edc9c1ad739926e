"""Audio facts remembered between builds, so a rebuild with unchanged audio reads no audio.

One JSON file under Pelican's ``CACHE_PATH``; an entry is valid while the file's path, size and
modification time (ns) are unchanged. Entries not used by a build are dropped when it saves.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from pelican.log import console

from .facts import AudioFacts, read_audio_facts

CACHE_FILE = "podcast-audio-facts.json"
COVERS_FOLDER = "podcast-covers"
CACHE_VERSION = 4  # 3: tag text without control characters; 4: bidi embeddings closed

# The one place this plugin opens audio files; the cache test counts calls through it.
open_audio = open


# Reading a large file (a real hour-long episode) takes a moment: say so, so a long cold build
# does not look stuck. Small files (the demo's) stay quiet.
ANNOUNCE_BYTES = 5_000_000


def read_audio_file(path: Path) -> AudioFacts:
    """Read a whole audio file and return its facts (raises AudioProblem, OSError)."""
    size = path.stat().st_size
    if size >= ANNOUNCE_BYTES:
        console.print(f"Podcast: reading audio facts of {path.name} ({size / 1e6:.0f} MB)…")
    with open_audio(path, "rb") as stream:
        data = stream.read()
    return read_audio_facts(data, path.name)


class FactsCache:
    def __init__(self, cache_path: str | os.PathLike | None):
        self.file = Path(cache_path) / CACHE_FILE if cache_path else None
        self.entries: dict[str, dict] = {}
        self.used: set[str] = set()
        self.changed = False
        if self.file and self.file.is_file():
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("version") == CACHE_VERSION:
                self.entries = data.get("files", {})

    def facts(self, path: Path) -> AudioFacts:
        """The facts of ``path``, from the cache when the file is unchanged."""
        if self.file is None:
            return read_audio_file(path)
        stat = path.stat()
        key = str(path.resolve())
        self.used.add(key)
        entry = self.entries.get(key)
        if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
            cover = entry.get("cover")
            if not cover or self._cover_file(cover).is_file():
                return self._facts(entry)
        facts = read_audio_file(path)
        data = facts.to_json()
        cover = data.pop("cover")
        if cover:
            # Cover art lives beside the JSON, so the JSON stays small to load.
            cover_bytes = bytes.fromhex(cover["data"])
            cover = {"mime": cover["mime"], "sha256": hashlib.sha256(cover_bytes).hexdigest()}
            target = self._cover_file(cover)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(cover_bytes)
        self.entries[key] = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "facts": data,
            "cover": cover,
        }
        self.changed = True
        return facts

    def _cover_file(self, cover: dict) -> Path:
        extension = ".png" if cover["mime"] == "image/png" else ".jpg"
        return self.file.parent / COVERS_FOLDER / (cover["sha256"] + extension)

    def _facts(self, entry: dict) -> AudioFacts:
        data = dict(entry["facts"])
        cover = entry.get("cover")
        data["cover"] = (
            {"mime": cover["mime"], "data": self._cover_file(cover).read_bytes().hex()}
            if cover
            else None
        )
        return AudioFacts.from_json(data)

    def save(self) -> None:
        if not self.file:
            return
        unused = set(self.entries) - self.used
        if not self.changed and not unused:
            return
        for key in unused:
            del self.entries[key]
        kept = {self._cover_file(e["cover"]).name for e in self.entries.values() if e.get("cover")}
        covers = self.file.parent / COVERS_FOLDER
        for stale in covers.glob("*") if covers.is_dir() else ():
            if stale.name not in kept:
                stale.unlink()
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"version": CACHE_VERSION, "files": self.entries}, sort_keys=True),
            encoding="utf-8",
        )
        tmp.replace(self.file)
        self.changed = False
