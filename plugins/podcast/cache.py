"""Audio facts remembered between builds, so a rebuild with unchanged audio reads no audio.

One JSON file under Pelican's ``CACHE_PATH``; an entry is valid while the file's path, size and
modification time (ns) are unchanged. Entries not used by a build are dropped when it saves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .facts import AudioFacts, read_audio_facts

CACHE_FILE = "podcast-audio-facts.json"
CACHE_VERSION = 1

# The one place this plugin opens audio files; the cache test counts calls through it.
open_audio = open


def read_audio_file(path: Path) -> AudioFacts:
    """Read a whole audio file and return its facts (raises AudioProblem, OSError)."""
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
        stat = path.stat()
        key = str(path.resolve())
        self.used.add(key)
        entry = self.entries.get(key)
        if entry and entry["size"] == stat.st_size and entry["mtime_ns"] == stat.st_mtime_ns:
            return AudioFacts.from_json(entry["facts"])
        facts = read_audio_file(path)
        self.entries[key] = {
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "facts": facts.to_json(),
        }
        self.changed = True
        return facts

    def save(self) -> None:
        if not self.file:
            return
        unused = set(self.entries) - self.used
        if not self.changed and not unused:
            return
        for key in unused:
            del self.entries[key]
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"version": CACHE_VERSION, "files": self.entries}, sort_keys=True),
            encoding="utf-8",
        )
        tmp.replace(self.file)
        self.changed = False
