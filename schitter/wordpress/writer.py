"""Write an import into ``content/`` all at once, never over the author's own edits.

Every file the import writes is recorded with its SHA-256 in ``content/.wordpress-import.json``.
On the next import a file is replaced only if it still has the recorded hash (nobody touched
it); a file the author edited, or deleted, since the import, and any file the import did not
write, is left as it is and listed. A file whose new text is what is already there is not
touched at all, so importing the same export again changes nothing.

Atomic: everything is first written next to its target under a temporary name; only when all
of that succeeded are the files renamed into place (a replaced file is kept as a hard link
until the end). If anything fails, the renames done so far are undone and the temporary files
removed, so a failed import leaves ``content/`` exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".wordpress-import.json"


class WriteProblem(OSError):
    """The import could not be written; nothing was changed. The message is one line."""


@dataclass
class WriteResult:
    new: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)  # changed by the author: not written
    kept_deleted: list[str] = field(default_factory=list)  # deleted by the author: not recreated
    kept_foreign: list[str] = field(default_factory=list)  # not written by an import: untouched

    @property
    def changed(self) -> bool:
        return bool(self.new or self.replaced)


def _hash_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(content: Path) -> dict[str, str]:
    path = content / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
        assert isinstance(files, dict) and all(isinstance(v, str) for v in files.values())
        return files
    except (ValueError, KeyError, TypeError, AssertionError, OSError):
        raise WriteProblem(
            f"{path}: not the manifest an import writes (unreadable JSON) — restore it from "
            "version control, or delete it: the next import then leaves every existing file "
            "alone and lists it"
        ) from None


def plan_writes(content: Path, files: dict[str, bytes | Path]) -> tuple[WriteResult, dict, dict]:
    """What an import would do, without doing it: (result, files to write, new manifest)."""
    manifest = read_manifest(content)
    result = WriteResult()
    to_write: dict[str, bytes | Path] = {}
    new_manifest = dict(manifest)
    root = content.resolve()
    for name in sorted(files):
        target = content / name
        if root not in target.resolve().parents:
            raise WriteProblem(f"{name}: would be written outside {content}; nothing was written")
        data = files[name]
        new_hash = _hash_file(data) if isinstance(data, Path) else _hash_bytes(data)
        if target.exists():
            current = _hash_file(target)
            if current == new_hash:
                result.unchanged.append(name)
                new_manifest[name] = new_hash
            elif manifest.get(name) == current:
                result.replaced.append(name)
                to_write[name] = data
                new_manifest[name] = new_hash
            elif name in manifest:
                result.kept_edited.append(name)
            else:
                result.kept_foreign.append(name)
        elif name in manifest:
            result.kept_deleted.append(name)
        else:
            result.new.append(name)
            to_write[name] = data
            new_manifest[name] = new_hash
    return result, to_write, new_manifest


def apply_writes(content: Path, to_write: dict[str, bytes | Path], manifest: dict) -> None:
    """Write the planned files and the manifest, all or nothing (see the module docstring)."""
    manifest_data = json.dumps({"version": 1, "files": dict(sorted(manifest.items()))}, indent=1)
    to_write = {**to_write, MANIFEST: (manifest_data + "\n").encode("utf-8")}
    created_dirs: list[Path] = []
    staged: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    done: list[Path] = []
    try:
        for name, data in to_write.items():
            target = content / name
            missing = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                created_dirs.append(folder)
            temporary = target.with_name(f".{target.name}.wordpress-import")
            if isinstance(data, Path):
                shutil.copyfile(data, temporary)
            else:
                temporary.write_bytes(data)
            staged[target] = temporary
        for target, temporary in staged.items():
            if target.exists():
                backup = target.with_name(f".{target.name}.wordpress-import-old")
                backup.unlink(missing_ok=True)
                os.link(target, backup)
                backups[target] = backup
            os.replace(temporary, target)
            done.append(target)
    except OSError as error:
        for target in reversed(done):
            if target in backups:
                os.replace(backups.pop(target), target)
            else:
                target.unlink(missing_ok=True)
        for path in list(staged.values()) + list(backups.values()):
            path.unlink(missing_ok=True)
        for folder in reversed(created_dirs):
            shutil.rmtree(folder, ignore_errors=True)
        where = getattr(error, "filename", None) or content
        raise WriteProblem(
            f"{where}: {error.strerror or error} — nothing was changed in {content}; fix this "
            "and run the import again"
        ) from None
    for backup in backups.values():
        backup.unlink(missing_ok=True)
