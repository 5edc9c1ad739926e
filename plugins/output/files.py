"""A rebuild writes only what changed and removes only what the site no longer has.

Pelican either deletes the whole output folder before every build (``DELETE_OUTPUT_DIRECTORY``:
thousands of folders and files removed and made again, each rebuild) or leaves whatever an
earlier build wrote (a renamed article's old page stays online in the development server). Here:

- :class:`UnchangedKept` is Pelican's writer, except that a page or feed whose bytes are the same
  as the file already there is not written again, and a changed one is replaced in one step (a
  new file renamed over the old one: the development server never serves half a page);
- :func:`stale` is what an earlier build into the same folder made and this one did not (a page
  of a removed or renamed article, a static file taken out): :func:`remove` deletes exactly
  that, and the folders it leaves empty. What the build made is written down in a ledger
  (``CACHE_PATH/output-<folder>.json``) after every build; without a ledger nothing is removed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from pelican.writers import FileOverwriteFailedError

from ..core.feeds import AbsoluteFeedWriter


class _WhenChanged(io.StringIO):
    """A file to write that is only written (or replaced) when its text differs."""

    def __init__(self, path: str, encoding: str, write: Callable[[str, bytes], object]):
        super().__init__()
        self.path, self.text_encoding, self.write_bytes = path, encoding, write

    def close(self) -> None:
        if not self.closed:
            self.write_bytes(self.path, self.getvalue().encode(self.text_encoding))
        super().close()


def write_if_changed(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as existing:
            if os.fstat(existing.fileno()).st_size == len(data) and existing.read() == data:
                return False
    except FileNotFoundError:
        with open(path, "wb") as new:
            new.write(data)
        return True
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as new:
        new.write(data)
    os.replace(temporary, path)  # a new inode: a hard link to the old file is left alone
    return True


class UnchangedKept(AbsoluteFeedWriter):
    """Pelican's writer; a file with unchanged bytes is left as it is (its time stamp too).
    The checks are Pelican's own (``Writer._open_w``): a file written twice is an error unless
    one of the writes overrides the other. Files are written by :meth:`write_bytes` (here at
    once; :class:`~.glue.SchitterWriter` hands them to a thread)."""

    def write_bytes(self, path: str, data: bytes) -> None:
        write_if_changed(path, data)

    def _open_w(self, filename, encoding, override=False):
        if not self._claim(filename, override):
            return open(os.devnull, "w", encoding=encoding)
        return _WhenChanged(filename, encoding, self.write_bytes)

    def _claim(self, filename: str, override: bool) -> bool:
        """Pelican's bookkeeping of a file about to be written: False when an earlier write
        overrode it (this one goes nowhere)."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            return False
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return True


def ledger_path(cache: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
    return cache / f"output-{name}.json"


def read_ledger(path: Path) -> set[str] | None:
    try:
        files = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else None


def write_ledger(path: Path, files: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(sorted(files), indent=0), encoding="utf-8")
    os.replace(temporary, path)


def stale(before: set[str] | None, now: set[str], kept_folders: Iterable[str] = ()) -> list[str]:
    """What the earlier build made and this one did not (paths relative to the output)."""
    if before is None:
        return []
    folders = tuple(f.strip("/") + "/" for f in kept_folders)
    return sorted(p for p in before - now if not p.startswith(folders))


def remove(output: Path, paths: list[str]) -> list[str]:
    """Delete ``paths`` (never outside ``output``) and the folders that become empty."""
    removed = []
    root = output.resolve()
    for relative in paths:
        target = (output / relative).resolve()
        if root not in target.parents:
            continue
        for companion in (target, Path(f"{target}.gz"), Path(f"{target}.br")):
            try:
                companion.unlink()
                removed.append(str(companion.relative_to(root)))
            except FileNotFoundError:
                pass
        folder = target.parent
        while folder != root:
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent
    return removed
