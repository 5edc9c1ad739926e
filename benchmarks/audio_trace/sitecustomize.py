"""Counts what a build reads of audio files and the CPU time of its worker processes: on the
path of every Python the benchmark starts (``PYTHONPATH``), so the build's fork server and worker
processes, started fresh, count too.

With ``SCHITTER_AUDIO_TRACE`` set, an audit hook sees every ``open()``; each audio file opened
for reading is appended, as one line, to that file (appending: any process, at any moment, even
one that ends without running ``atexit``). A build that opens no audio file has read 0 bytes.
(Pelican's hard links in development builds, ``STATIC_CREATE_LINKS``, open nothing.)
"""

from __future__ import annotations

import os
import sys

AUDIO_SUFFIXES = (".mp3", ".m4a")
TRACE = os.environ.get("SCHITTER_AUDIO_TRACE")


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path = os.fsdecode(args[0])
    if not path.lower().endswith(AUDIO_SUFFIXES):
        return
    mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
    flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
    if ("r" in mode or "+" in mode) if mode else not flags & os.O_WRONLY:
        line = (os.path.realpath(path) + "\n").encode("utf-8", "surrogateescape")
        descriptor = os.open(TRACE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, line)
        finally:
            os.close(descriptor)


CPU_TRACE = os.environ.get("SCHITTER_CPU_TRACE")


def _cpu() -> None:
    """At exit: this process's CPU time and that of the children it waited for (a fork server
    waits for the workers it forked), one line, appended."""
    import resource  # noqa: PLC0415 - only when tracing

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = f"{os.getpid()} {own.ru_utime + children.ru_utime} {own.ru_stime + children.ru_stime}\n"
    descriptor = os.open(CPU_TRACE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line.encode())
    finally:
        os.close(descriptor)


if TRACE:
    sys.addaudithook(_audit)
if CPU_TRACE:
    import atexit

    atexit.register(_cpu)
