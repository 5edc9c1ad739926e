"""Audio facts remembered between builds, so a rebuild with unchanged audio reads no audio.

One JSON file under Pelican's ``CACHE_PATH``; an entry is valid while the file's path, size,
modification time, change time (ns) and inode are unchanged. The change time is the part an edit
cannot keep: a tag editor that rewrites a chapter title in place (same size) and restores the
modification time still moves it. So does a hard link to the file, which is how Pelican
publishes static files while developing (``STATIC_CREATE_LINKS``): the cache is saved once the
build has written everything, and an entry whose link count changed (and nothing else) takes
the new change time. A strict (publish) build also compares a SHA-256 of the file's
bytes (``verify``): hashing runs at disk speed, a fraction of reading the facts, so a published
feed never rests on a cache key alone. Entries not used by a build are dropped when it saves.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from concurrent.futures import Future
from pathlib import Path

from pelican.log import console

from .facts import AudioFacts, Cover, read_audio_facts

CACHE_FILE = "podcast-audio-facts.json"
COVERS_FOLDER = "podcast-covers"
DERIVED_FOLDER = "podcast-derived"
# 3: tag text without control characters; 4: bidi embeddings closed; 5: audio-only identity
# hash, chapter images and hidden chapters, VBR-without-header flag, change time in the key
CACHE_VERSION = 5

# The one place this plugin opens audio files; the cache test counts calls through it.
open_audio = open


# Reading a large file (a real hour-long episode) takes a moment: say so, so a long cold build
# does not look stuck. Small files (the demo's) stay quiet.
ANNOUNCE_BYTES = 5_000_000


def read_audio_file(path: Path) -> AudioFacts:
    """Read a whole audio file and return its facts (raises AudioProblem, OSError)."""
    return _read(path)[0]


def _read(path: Path) -> tuple[AudioFacts, str]:
    """The facts of a file and the SHA-256 of its bytes (read once)."""
    size = path.stat().st_size
    if size >= ANNOUNCE_BYTES:
        console.print(f"Podcast: reading audio facts of {path.name} ({size / 1e6:.0f} MB)…")
    with open_audio(path, "rb") as stream:
        data = stream.read()
    return read_audio_facts(data, path.name), hashlib.sha256(data).hexdigest()


def read_in_worker(path: str) -> tuple[AudioFacts, str]:
    """:func:`_read` in one of the build's worker processes (plugins/core/workers.py)."""
    return _read(Path(path))


def _file_sha256(path: Path) -> str:
    with open_audio(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _stat_key(stat: os.stat_result) -> dict:
    return {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "ctime_ns": stat.st_ctime_ns,
        "inode": stat.st_ino,
    }


_LINK_INDEPENDENT = ("size", "mtime_ns", "inode")


class FactsCache:
    def __init__(self, cache_path: str | os.PathLike | None, verify: bool = False):
        self.verify = verify  # strict builds: also compare the bytes' hash
        self.file = Path(cache_path) / CACHE_FILE if cache_path else None
        self.entries: dict[str, dict] = {}
        self.used: set[str] = set()
        self.changed = False
        self.ahead: dict[str, Future] = {}  # files being read by the build's workers
        self.hashed: dict[str, tuple | None] = {}  # strict builds: stamp whose bytes matched
        if self.file and self.file.is_file():
            try:
                data = json.loads(self.file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            if data.get("version") == CACHE_VERSION:
                self.entries = data.get("files", {})

    def kept(self, path: Path, stat: os.stat_result) -> dict | None:
        """The entry of an unchanged file whose images are all there, else None. A strict
        build hashes the file's bytes once per build, however often it asks."""
        key = str(path.resolve())
        entry = self.entries.get(key)
        if entry and all(entry.get(k) == v for k, v in _stat_key(stat).items()):
            images = self._images(entry)
            fresh = not self.verify or self._same_bytes(path, key, stat, entry)
            if fresh and all(self._image_file(image).is_file() for image in images):
                return entry
        return None

    def _same_bytes(self, path: Path, key: str, stat: os.stat_result, entry: dict) -> bool:
        stamp = tuple(_stat_key(stat).values())
        if self.hashed.get(key) != stamp:
            self.hashed[key] = stamp if entry.get("file_sha256") == _file_sha256(path) else None
        return self.hashed[key] == stamp

    def stale(self, paths: list[Path]) -> list[Path]:
        """The files among ``paths`` that the cache cannot answer for."""
        return [path for path in paths if self.kept(path, path.stat()) is None]

    def read_ahead(self, paths: list[Path], submit) -> int:
        """Have ``submit`` (the build's workers) read the files the cache cannot answer for,
        while the build reads the articles; returns how many bytes they will read."""
        if self.file is None:
            return 0
        waiting = 0
        for path in self.stale(paths):
            self.ahead[str(path.resolve())] = submit(read_in_worker, str(path))
            waiting += path.stat().st_size
        return waiting

    def _read_once(self, path: Path, key: str) -> tuple[AudioFacts, str]:
        future = self.ahead.pop(key, None)
        if future is not None:
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - read here, so the problem is reported as ever
                pass
        return _read(path)

    def facts(self, path: Path) -> AudioFacts:
        """The facts of ``path``, from the cache when the file is unchanged."""
        if self.file is None:
            return read_audio_file(path)
        stat = path.stat()
        key = str(path.resolve())
        self.used.add(key)
        entry = self.kept(path, stat)
        if entry is not None:
            return self._facts(entry)
        facts, file_sha256 = self._read_once(path, key)
        data = facts.to_json()
        # Cover and chapter art live beside the JSON, so the JSON stays small to load.
        data["cover"] = self._store_image(data["cover"])
        for chapter in data["chapters"]:
            chapter["image"] = self._store_image(chapter["image"])
        cover = data.pop("cover")
        self.entries[key] = {
            **_stat_key(stat),
            "links": stat.st_nlink,
            "file_sha256": file_sha256,
            "facts": data,
            "cover": cover,
        }
        self.changed = True
        return facts

    def _store_image(self, image: dict | None) -> dict | None:
        if not image:
            return None
        data = bytes.fromhex(image["data"])
        stored = {"mime": image["mime"], "sha256": hashlib.sha256(data).hexdigest()}
        target = self._image_file(stored)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file():
            target.write_bytes(data)
        return stored

    @staticmethod
    def _images(entry: dict) -> list[dict]:
        chapters = [c["image"] for c in entry["facts"]["chapters"] if c.get("image")]
        return ([entry["cover"]] if entry.get("cover") else []) + chapters

    def image_file(self, image: Cover) -> Path:
        """Where a cover or chapter image of a read file is kept (published from there)."""
        return self._image_file(
            {"mime": image.mime, "sha256": hashlib.sha256(image.data).hexdigest()}
        )

    def derived_file(self, name: str, data: bytes) -> Path:
        """A file made from the content (an optimised artwork copy), kept with the cache."""
        folder = self.file.parent if self.file else Path(tempfile.gettempdir())
        target = folder / DERIVED_FOLDER / hashlib.sha256(data).hexdigest() / Path(name).name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return target

    def _image_file(self, image: dict) -> Path:
        extension = ".png" if image["mime"] == "image/png" else ".jpg"
        return self.file.parent / COVERS_FOLDER / (image["sha256"] + extension)

    def _load_image(self, image: dict | None) -> dict | None:
        if not image:
            return None
        return {"mime": image["mime"], "data": self._image_file(image).read_bytes().hex()}

    def _facts(self, entry: dict) -> AudioFacts:
        data = dict(entry["facts"])
        data["cover"] = self._load_image(entry.get("cover"))
        data["chapters"] = [
            {**c, "image": self._load_image(c.get("image"))} for c in data["chapters"]
        ]
        return AudioFacts.from_json(data)

    def _take_new_links(self) -> None:
        """A file that only gained or lost a hard link (Pelican's static links) keeps its
        entry: the link moved its change time, not its content."""
        for key in self.used:
            entry = self.entries.get(key)
            try:
                stat = os.stat(key)
            except OSError:
                continue
            current = _stat_key(stat)
            if (
                entry
                and all(entry.get(k) == current[k] for k in _LINK_INDEPENDENT)
                and entry.get("links") != stat.st_nlink
            ):
                entry.update(ctime_ns=stat.st_ctime_ns, links=stat.st_nlink)
                self.changed = True

    def save(self) -> None:
        """Write the cache; call it once the build has written its output (see the module)."""
        if not self.file:
            return
        self._take_new_links()
        unused = set(self.entries) - self.used
        if not self.changed and not unused:
            return
        for key in unused:
            del self.entries[key]
        kept = {self._image_file(i).name for e in self.entries.values() for i in self._images(e)}
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
