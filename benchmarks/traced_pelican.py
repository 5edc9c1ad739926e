"""Run Pelican's command line while counting what it reads of audio files.

The counting is ``benchmarks/audio_trace/sitecustomize.py`` (an audit hook), which every Python
started with that folder on ``PYTHONPATH`` loads: the build's worker processes too. This script
makes sure the build's own process counts even without it; :func:`audio_bytes` adds up the
files named in the trace.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

TRACE_FOLDER = Path(__file__).resolve().parent / "audio_trace"


def environment(trace: Path, cpu_trace: Path) -> dict:
    """The environment of a traced build: the hooks on the path of every process it starts."""
    path = os.pathsep.join(p for p in (str(TRACE_FOLDER), os.environ.get("PYTHONPATH")) if p)
    return {
        **os.environ,
        "SCHITTER_AUDIO_TRACE": str(trace),
        "SCHITTER_CPU_TRACE": str(cpu_trace),
        "PYTHONPATH": path,
    }


def other_cpu(cpu_trace: Path, build_pid: int) -> tuple[float, float]:
    """User and system CPU seconds of the processes of a build that it did not wait for itself
    (its fork server and, through it, its worker processes)."""
    if not cpu_trace.exists():
        return 0.0, 0.0
    user = system = 0.0
    for line in cpu_trace.read_text().splitlines():
        pid, u, s = line.split()
        if int(pid) != build_pid:
            user, system = user + float(u), system + float(s)
    return user, system


def audio_bytes(trace: Path) -> int:
    """The bytes of the audio files a traced build opened for reading (each file once)."""
    if not trace.exists():
        return 0
    files = set(trace.read_text(encoding="utf-8", errors="surrogateescape").splitlines())
    return sum(os.path.getsize(p) for p in files if os.path.exists(p))


if __name__ == "__main__":
    loaded = getattr(sys.modules.get("sitecustomize"), "__file__", "") or ""
    if not loaded.startswith(str(TRACE_FOLDER)):
        runpy.run_path(str(TRACE_FOLDER / "sitecustomize.py"))  # the hook in this process
    if sys.argv[1:2] == ["--schitter"]:  # Schitter's own command, as the author builds
        sys.argv[0:2] = ["schitter.build"]
        sys.path.insert(0, os.getcwd())  # as `python -m` has it: the project's folder
        runpy.run_module("schitter.build", run_name="__main__", alter_sys=True)
    from pelican import main

    sys.argv[0] = "pelican"
    main()
