"""Build the demo site from two versions of Schitter and list every output file that differs.

    .venv/bin/python scripts/compare_builds.py [REVISION]   (default: the last commit, HEAD)

Checks out REVISION into a temporary worktree, builds its content/ with its own code and
settings (development and publish builds), does the same with the working tree, and prints for
each build the files that exist in only one of them and those whose bytes differ, with a short
unified diff of text files. Exit status 0 when both builds are byte-identical. Used to prove a
restructure changes nothing a reader, a podcast app or a search engine receives.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILDS = {"dev": "pelicanconf.py", "publish": "publishconf.py"}
# Publish builds record new GUIDs in content/; the snapshot of the live service is not fetched.
ENV = {
    "SCHITTER_RATINGS_URL": "",
    "SCHITTER_RATINGS_SNAPSHOT_URL": "",
    "SCHITTER_RATINGS_ALLOW_MISSING": "1",
    "TZ": "UTC",
}


def build(project: Path, settings: str, output: Path) -> None:
    cache = output.with_name(output.name + "-cache")
    overrides = {"CACHE_PATH": str(cache), "PODCAST_GUID_REGISTRY_WRITE": False}
    command = [
        sys.executable,
        "-m",
        "schitter.build",
        "content",
        "-s",
        settings,
        "-o",
        str(output),
        "-e",
        *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
    ]
    result = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV, "PYTHONPATH": str(project)},
    )
    if result.returncode != 0:
        sys.exit(f"build failed in {project} ({settings}):\n{result.stdout}\n{result.stderr}")


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def compare(before: Path, after: Path, label: str) -> int:
    old, new = files(before), files(after)
    differences = 0
    for name in sorted(old.keys() - new.keys()):
        print(f"{label}: only before: {name}")
        differences += 1
    for name in sorted(new.keys() - old.keys()):
        print(f"{label}: only after: {name}")
        differences += 1
    for name in sorted(old.keys() & new.keys()):
        if old[name] == new[name]:
            continue
        differences += 1
        print(f"{label}: differs: {name}")
        try:
            a, b = old[name].decode().splitlines(), new[name].decode().splitlines()
        except UnicodeDecodeError:
            continue
        for line in list(difflib.unified_diff(a, b, lineterm="", n=0))[2:12]:
            print(f"    {line[:160]}")
    print(f"{label}: {len(new)} files, {differences} difference(s)")
    return differences


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default="HEAD")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="schitter-compare-") as tmp:
        tmp = Path(tmp)
        before = tmp / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(before), args.revision],
            cwd=ROOT,
            check=True,
        )
        try:
            shutil.rmtree(before / "content")
            shutil.copytree(ROOT / "content", before / "content")  # the same content for both
            total = 0
            for label, settings in BUILDS.items():
                build(before, settings, tmp / f"{label}-before")
                build(ROOT, settings, tmp / f"{label}-after")
                total += compare(tmp / f"{label}-before", tmp / f"{label}-after", label)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT)
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
