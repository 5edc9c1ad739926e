"""``python -m schitter.build``: Pelican's command line, after a pre-flight check of the settings.

Our plugins report wrong settings by name (``settings_checks``), but a few mistakes stop Pelican
while it reads the settings, before any plugin is loaded, and then Pelican prints a Python
traceback: a settings file that is not valid Python or raises, a ``PATH`` or ``THEME`` that is
not a folder, and a ``SITEURL``, ``DEFAULT_LANG`` or ``PAGINATION_PATTERNS`` of the wrong type.
It also checks that every name in ``PLUGINS`` is a plugin Pelican can find: Pelican itself only
logs a misspelt name and builds the site without that plugin, even in a publish build.
This command checks exactly those first and, when one is wrong, prints the same kind of list as
the build report (file, setting, what is wrong, how to fix it) and exits with status 1 without
starting Pelican. Otherwise it hands the arguments, unchanged, to Pelican. The tasks
(``invoke build/serve/publish``) and the tests build through it.
"""

from __future__ import annotations

import atexit
import importlib.machinery
import importlib.util
import os
import sys
import threading
import traceback
from pathlib import Path

from pelican import main as pelican_main
from pelican import parse_arguments
from pelican.plugins._utils import get_namespace_plugins
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

_OVERRIDE_FIX = "write each value as JSON: -e KEY='\"text\"' KEY=5 KEY=true KEY=null"
# Pelican's default settings file name when no -s is given.
DEFAULT_SETTINGS_FILE = "pelicanconf.py"


def _shown(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(source: str, field: str, message: str, fix: str) -> str:
    return f"{source}: {field}: {message} — {fix}"


def _error_line(error: BaseException, settings_path: Path) -> int | None:
    """The line of the settings file where ``error`` was raised, if it was raised there."""
    if isinstance(error, SyntaxError) and error.lineno:
        return error.lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).resolve() == settings_path.resolve():
            return frame.lineno
    return None


def read_settings_file(path: Path, source: str) -> tuple[dict, list[str]]:
    """The settings a file defines, or the problem that stops it from being read."""
    try:
        return get_settings_from_file(str(path)), []
    except FileNotFoundError:
        return {}, [
            _line(
                source,
                "file",
                "does not exist",
                "run the command from the project folder, or give the right file with -s",
            )
        ]
    except Exception as error:  # a settings file is Python: anything can go wrong in it
        line = _error_line(error, path)
        where = f"line {line}" if line else "file"
        if isinstance(error, SyntaxError):
            what = f"is not valid Python ({error.msg})"
            fix = "correct the line: a missing quote, bracket or comma is the usual cause"
        else:
            what = f"stops with {type(error).__name__}: {error}"
            fix = "correct the line; settings are Python, so text needs quotes"
        return {}, [_line(source, where, what, fix)]


def _folder_setting(value: object, settings_dir: Path, from_file: bool) -> Path | None:
    """Where a PATH or THEME value points, resolved as Pelican resolves it."""
    if not isinstance(value, str | os.PathLike):
        return None
    path = Path(os.path.expanduser(value))
    if from_file and not path.is_absolute():
        path = settings_dir / path
    return path


def check_settings(settings: dict, file_settings: dict, settings_dir: Path, source: str) -> list:
    """The problems in the settings that would stop Pelican before any plugin can report them."""
    problems = []
    path = _folder_setting(settings.get("PATH"), settings_dir, "PATH" in file_settings)
    if path is None or not path.is_dir():
        problems.append(
            _line(
                source if "PATH" in file_settings else "command line",
                "PATH",
                f"{_shown(settings.get('PATH'))} is not a folder",
                'give the folder with your articles, e.g. PATH = "content" (or as the first '
                "argument: pelican content)",
            )
        )
    theme = settings.get("THEME")
    theme_path = _folder_setting(theme, settings_dir, "THEME" in file_settings)
    # Pelican tries the folder next to the settings file, then the name as given, then its own.
    found = theme_path is not None and (
        theme_path.is_dir()
        or Path(str(theme)).is_dir()
        or (Path(DEFAULT_CONFIG["THEME"]).parent / str(theme)).is_dir()
    )
    if not found:
        problems.append(
            _line(
                source,
                "THEME",
                f"{_shown(theme)} is not a theme folder",
                'use THEME = "theme" (Schitter\'s theme) or the folder of another Pelican theme',
            )
        )
    for name, example in (("SITEURL", '"https://example.nl"'), ("DEFAULT_LANG", '"nl"')):
        if name in settings and not isinstance(settings[name], str):
            problems.append(
                _line(
                    source,
                    name,
                    f"{_shown(settings[name])} is not text",
                    f"write it in quotes, e.g. {name} = {example}",
                )
            )
    patterns = settings.get("PAGINATION_PATTERNS", ())
    if not _are_pagination_patterns(patterns):
        problems.append(
            _line(
                source,
                "PAGINATION_PATTERNS",
                f"{_shown(patterns)} is not a list of (page number, URL, save_as) triples",
                "remove it to use Pelican's default, or write e.g. "
                '[(1, "{url}", "{save_as}"), (2, "{base_name}/pagina/{number}/", '
                '"{base_name}/pagina/{number}/index.html")]',
            )
        )
    return problems


def _plugin_exists(name: str, plugin_paths: list[str], namespace: dict) -> bool:
    """Whether Pelican will find the plugin ``name`` (as its loader looks for it)."""
    if name in namespace or f"pelican.plugins.{name}" in namespace:
        return True
    top = name.split(".", 1)[0]
    try:
        return bool(
            importlib.machinery.PathFinder.find_spec(top, plugin_paths)
            or importlib.util.find_spec(top)
        )
    except (ImportError, ValueError):
        return False


def check_plugins(settings: dict, settings_dir: Path, source: str) -> list[str]:
    """A plugin name Pelican cannot find: Pelican would only log it and build the site without
    the plugin (a site without its share buttons or podcast feed is a wrong site)."""
    names = settings.get("PLUGINS") or []
    if not isinstance(names, list | tuple):
        return [_line(source, "PLUGINS", f"{_shown(names)} is not a list", 'write PLUGINS = ["…"]')]
    paths = [str(settings_dir / path) for path in settings.get("PLUGIN_PATHS") or []]
    namespace = get_namespace_plugins()
    here = sorted(
        p.name
        for folder in map(Path, paths)
        if folder.is_dir()
        for p in folder.iterdir()
        if (p / "__init__.py").is_file() and "def register(" in (p / "__init__.py").read_text()
    )
    return [
        _line(
            source,
            "PLUGINS",
            f"there is no plugin {name!r} (in {', '.join(settings.get('PLUGIN_PATHS') or [])} "
            "or installed)",
            "check the spelling" + (f"; the plugins there are: {', '.join(here)}" if here else ""),
        )
        for name in names
        if isinstance(name, str) and not _plugin_exists(name, paths, namespace)
    ]


def _are_pagination_patterns(patterns: object) -> bool:
    if not isinstance(patterns, list | tuple):
        return False
    return all(
        isinstance(p, list | tuple)
        and len(p) == 3
        and isinstance(p[0], int)
        and all(isinstance(part, str) for part in p[1:])
        for p in patterns
    )


def preflight(argv: list[str], cwd: Path | None = None) -> list[str]:
    """The report lines of the settings problems that would stop Pelican; [] when none."""
    cwd = cwd or Path.cwd()
    try:
        args = parse_arguments(argv)
    except ValueError as error:  # an -e value that is not JSON
        return [_line("command line", "-e", str(error).split(". ", 1)[0], _OVERRIDE_FIX)]
    name = args.settings
    if name is None and (cwd / DEFAULT_SETTINGS_FILE).is_file():
        name = DEFAULT_SETTINGS_FILE
    file_settings: dict = {}
    settings_dir = cwd
    source = "settings"
    if name is not None:
        path = cwd / name
        source = os.path.relpath(path, cwd) if path.is_relative_to(cwd) else str(path)
        settings_dir = path.parent
        file_settings, problems = read_settings_file(path, source)
        if problems:
            return problems
    settings = {**DEFAULT_CONFIG, **file_settings}
    overrides = dict(args.overrides or {})
    if args.path:
        overrides["PATH"] = os.path.abspath(os.path.expanduser(args.path))
    if args.theme:
        overrides["THEME"] = args.theme
    settings.update(overrides)
    from_file = {key: value for key, value in file_settings.items() if key not in overrides}
    problems = check_settings(settings, from_file, settings_dir, source)
    return problems + check_plugins(settings, settings_dir, source)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    problems = preflight(argv)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        print(
            f"The build cannot start: {len(problems)} problem(s) in the settings:\n{lines}",
            file=sys.stderr,
        )
        return 1
    sys.argv = ["pelican", *argv]  # build_report names the settings file from Pelican's argv
    pelican_main(argv)
    return 0


def end(code: object) -> None:
    """End the process once the build is done, as ``sys.exit(code)`` would, except that after
    a build that went well the objects are not freed one by one first: the exit handlers run
    (logging is flushed), the output streams are flushed, and the operating system takes the
    memory back at once. Freeing a built site's objects took about 0.4 s for 1,000 articles.

    Any other end (a failed build, or threads still at work: a build that broke off leaves its
    worker processes running) is Python's own, which first lets those threads and workers end."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if code not in (0, None) or any(not t.daemon for t in others):
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    try:
        status: object = main()
    except SystemExit as stop:
        status = stop.code
    end(status)
