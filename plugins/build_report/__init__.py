"""One list of everything the author can fix, reported at the end of every build.

Plugins call :func:`report` with the file, the field, what is wrong and how to fix it. At the
end of the build the list is logged as one block. A development build only warns (the plugin
that reported a problem leaves the broken item out); with ``SCHITTER_STRICT = True`` (the
publish settings) the build then fails with a non-zero exit code and the same list.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pelican import signals

log = logging.getLogger(__name__)

CONTEXT_KEY = "schitter_problems"


@dataclass(frozen=True, order=True)
class Problem:
    source: str  # file (relative to the project) or setting the problem is in
    field: str  # metadata field, tag or setting name
    message: str  # what is wrong
    fix: str  # what the author should do

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.message} — {self.fix}"


class BuildFailed(SystemExit):
    """Ends a strict build that has problems: exit status 1, the list already logged.

    A SystemExit, so that Pelican's command line exits without a traceback (tracebacks are
    for our bugs, not for the author's typos).
    """

    def __init__(self, found: list[Problem]):
        super().__init__(1)
        self.problems = found


# The context of the build that is running now. Each build (also each autoreload rebuild)
# creates new generators with a fresh context, so nothing here outlives a build.
_current: dict | None = None


def report(context: dict | None, source: str, field: str, message: str, fix: str) -> Problem:
    """Record a problem for the end-of-build list and warn about it right away."""
    problem = Problem(str(source), field, message, fix)
    context = context if context is not None else _current
    problems = context.setdefault(CONTEXT_KEY, []) if context is not None else []
    if problem not in problems:
        problems.append(problem)
        log.warning("%s", problem)
    return problem


def settings_file(argv: list[str] | None = None, cwd: Path | None = None) -> str:
    """The settings file of this build, as the source of a problem in a setting.

    Pelican keeps no record of it; it is the -s option of the `pelican` command line.
    """
    argv = sys.argv if argv is None else argv
    program = Path(argv[0]) if argv else Path()
    if program.name != "pelican" and program.parent.name != "pelican":
        return "settings"  # Pelican run from Python (e.g. a test): no file to name
    found = "pelicanconf.py"  # Pelican's default when there is no -s
    for index, arg in enumerate(argv[1:], 1):
        if arg in ("-s", "--settings") and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith("--settings="):
            found = arg.split("=", 1)[1]
        elif arg.startswith("-s") and len(arg) > 2:
            found = arg[2:]
    path = Path(found)
    try:
        return str(path.resolve().relative_to((cwd or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def problems(context: dict | None = None) -> list[Problem]:
    context = context if context is not None else _current
    return list(context.get(CONTEXT_KEY, [])) if context is not None else []


# The content folder of the build that is running now (see `where`).
_content_path: str | None = None


def where(path: str | os.PathLike) -> str:
    """A file as the author knows it, for the source of a problem: relative to the project
    (the folder that holds the content folder), e.g. ``content/articles/x.md``; a file outside
    the project keeps its full path."""
    return _where(os.fspath(path), _content_path, os.getcwd())


@lru_cache(maxsize=4096)  # every content file is looked up once per check, in every build
def _where(path: str, content_path: str | None, cwd: str) -> str:
    path = os.path.normpath(os.path.join(cwd, path))
    base = (
        os.path.dirname(os.path.normpath(os.path.join(cwd, content_path))) if content_path else cwd
    )
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def _remember_context(generator) -> None:
    global _current, _content_path
    _current = generator.context
    _current.setdefault(CONTEXT_KEY, [])
    _content_path = generator.settings.get("PATH")


def _summarise(pelican) -> None:
    found = sorted(problems())
    if not found:
        return
    lines = "\n".join(f"  - {p}" for p in found)
    if pelican.settings.get("SCHITTER_STRICT"):
        log.error("The build found %d problem(s) and fails:\n%s", len(found), lines)
        raise BuildFailed(found)
    log.warning(
        "The build found %d problem(s); the affected items were left out:\n%s", len(found), lines
    )


def register() -> None:
    signals.generator_init.connect(_remember_context)
    signals.finalized.connect(_summarise)
