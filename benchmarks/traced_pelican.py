"""Run Pelican's command line while counting what it reads of audio files.

An audit hook sees every ``open()`` of the build; for audio files opened for reading it records
the path. At exit it writes the files and their total size to the JSON file named by
``SCHITTER_AUDIO_TRACE``. A build that opens no audio file has read 0 audio bytes. (Pelican's
hard links in development builds, ``STATIC_CREATE_LINKS``, open nothing.)
"""

from __future__ import annotations

import atexit
import json
import os
import sys

AUDIO_SUFFIXES = (".mp3", ".m4a")
opened: set[str] = set()


def audit(event: str, args: tuple) -> None:
    if event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
        reading = ("r" in mode or "+" in mode) if mode else not flags & (os.O_WRONLY)
        if path.lower().endswith(AUDIO_SUFFIXES) and reading:
            opened.add(os.path.realpath(path))


def write_trace() -> None:
    target = os.environ.get("SCHITTER_AUDIO_TRACE")
    if not target:
        return
    sizes = {p: os.path.getsize(p) for p in opened if os.path.exists(p)}
    with open(target, "w") as fp:
        json.dump({"files": sorted(sizes), "bytes": sum(sizes.values())}, fp)


if __name__ == "__main__":
    sys.addaudithook(audit)
    atexit.register(write_trace)
    from pelican import main

    sys.argv[0] = "pelican"
    main()
