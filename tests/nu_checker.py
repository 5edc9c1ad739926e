"""The Nu HTML Checker (vnu.jar) over built pages: one Java process for all pages of a build.

vnu.jar comes from the npm package ``vnu-jar``, pinned in ``tests/vnu/package-lock.json`` and
installed by ``invoke test`` (``npm ci --ignore-scripts``); Debian's ``default-jre-headless``
runs it. The checker is slow to start (a JVM) and fast per page, so every page of a build is
handed to one run; :func:`nu_errors` returns one line per error, ``path:line.column: message``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

NU_CHECKER = Path(__file__).resolve().parent / "vnu"
VNU_JAR = NU_CHECKER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_HINT = (
    "run `.venv/bin/invoke test` (it installs Java and the checker), or "
    "`apt-get install default-jre-headless` and `npm ci --ignore-scripts --prefix tests/vnu`"
)


def java() -> str:
    found = shutil.which("java")
    assert found, f"Java is missing for the Nu HTML Checker: {INSTALL_HINT}"
    return found


def nu_errors(pages: list[Path], relative_to: Path | None = None) -> list[str]:
    """Every error the Nu HTML Checker finds in ``pages``, as ``path:line.column: message``."""
    assert VNU_JAR.is_file(), f"the Nu HTML Checker is not installed: {INSTALL_HINT}"
    assert pages, "no pages to check"
    result = subprocess.run(
        [
            java(),
            "-Xss4m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
            *map(str, pages),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"the Nu HTML Checker did not run:\n{result.stderr[-2000:]}"
    messages = json.loads(result.stderr or result.stdout)["messages"]
    lines = []
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = Path(message.get("url", "").removeprefix("file:"))
        if relative_to is not None and path.is_relative_to(relative_to):
            path = path.relative_to(relative_to)
        place = f"{message.get('lastLine', '?')}.{message.get('firstColumn', '?')}"
        extract = " ".join(message.get("extract", "").split())[:120]
        lines.append(f"{path}:{place}: {message['message']} [{extract}]")
    return lines
