"""Problems the author can fix, and the one report of a build that lists them.

A problem names the file (or the settings file), the field, what is wrong and the fix, and is
printed as one line, like a compiler: ``content/articles/x.md: Date: '03-04-2026' is … — write …``.
Every feature reports through the :class:`Report` of its build (``build_of(...).report``). At the
end of the build the list is printed once; a development build only warns (the feature that found
a problem left the broken item out, or used a default), a strict build (``SCHITTER_STRICT``, the
publish settings) then fails with exit status 1 and the same list.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("schitter")


@dataclass(frozen=True, order=True)
class Problem:
    source: str  # file (relative to the project) or settings file the problem is in
    field: str  # metadata field, tag or setting name
    message: str  # what is wrong (and what the build did instead)
    fix: str  # what the author should do

    def __str__(self) -> str:
        return f"{self.source}: {self.field}: {self.message} — {self.fix}"


class BuildFailed(SystemExit):
    """Ends a strict build that has problems: exit status 1, the list already printed.

    A SystemExit, so that Pelican's command line exits without a traceback (tracebacks are for
    our bugs, not for the author's typos).
    """

    def __init__(self, found: list[Problem]):
        super().__init__(1)
        self.problems = found


@dataclass
class Report:
    """The problems of one build, in the order they were found, each once."""

    strict: bool = False
    problems: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set, repr=False)

    def add(self, source: str, field_name: str, message: str, fix: str) -> Problem:
        problem = Problem(str(source), field_name, message, fix)
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)
            log.debug("%s", problem)  # said once, in the list at the end
        return problem

    def extend(self, problems) -> None:
        for problem in problems:
            self.add(problem.source, problem.field, problem.message, problem.fix)

    def summary(self) -> str:
        """The end-of-build block: one line per problem, sorted by file."""
        found = sorted(self.problems)
        lines = "\n".join(f"  - {p}" for p in found)
        if self.strict:
            return f"The build found {len(found)} problem(s) and fails:\n{lines}"
        return (
            f"The build found {len(found)} problem(s) and went on; each line says what it did "
            f"(a file left out, a default used, a link kept broken):\n{lines}"
        )

    def finish(self, stream=None) -> None:
        """Print the list; a strict build with problems ends here (exit status 1).

        Printed as it is, not through Pelican's log handler: that one wraps every line at the
        terminal's width and puts its source (``__init__.py:60``) on the right, so a problem
        could not be read or copied as one line."""
        if not self.problems:
            return
        stream = stream or sys.stderr
        print(self.summary(), file=stream, flush=True)
        if self.strict:
            raise BuildFailed(sorted(self.problems))


def settings_file(argv: list[str] | None = None, cwd: Path | None = None) -> str:
    """The settings file of this build, as the source of a problem in a setting.

    Pelican keeps no record of it; it is the -s option of the ``pelican`` command line (which
    ``python -m schitter.build`` hands on unchanged).
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


def where(path: str | os.PathLike, content_path: str | os.PathLike | None) -> str:
    """A file as the author knows it, for the source of a problem: relative to the project (the
    folder that holds the content folder), e.g. ``content/articles/x.md``; a file outside the
    project keeps its full path."""
    cwd = os.getcwd()
    path = os.path.normpath(os.path.join(cwd, os.fspath(path)))
    base = (
        os.path.dirname(os.path.normpath(os.path.join(cwd, os.fspath(content_path))))
        if content_path
        else cwd
    )
    try:
        relative = os.path.relpath(path, base)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative
