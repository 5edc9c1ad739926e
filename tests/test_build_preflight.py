"""Settings that would stop Pelican before any plugin runs: one clear line, no traceback.

`python -m schitter.build` (what `invoke build/serve/publish` and these tests run) checks them
before it starts Pelican; see schitter/build.py. Each case asserts the exact report line, exit
status 1 and that nothing was built.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.sitecheck import PELICAN, ROOT, run_pelican

CASES = {
    "a content folder that does not exist": (
        {"PATH": "/nergens/content"},
        "command line: PATH: '/nergens/content' is not a folder — give the folder with your "
        'articles, e.g. PATH = "content"',
    ),
    "a theme that does not exist": (
        {"THEME": "thema"},
        "pelicanconf.py: THEME: 'thema' is not a theme folder — use THEME = \"theme\"",
    ),
    "SITEURL that is not text": (
        {"SITEURL": 5},
        'pelicanconf.py: SITEURL: 5 is not text — write it in quotes, e.g. SITEURL = "https://',
    ),
    "DEFAULT_LANG that is not text": (
        {"DEFAULT_LANG": ["nl"]},
        "pelicanconf.py: DEFAULT_LANG: ['nl'] is not text — write it in quotes",
    ),
    "pagination patterns that are not triples": (
        {"PAGINATION_PATTERNS": [[1, "{url}"]]},
        "pelicanconf.py: PAGINATION_PATTERNS: [[1, '{url}']] is not a list of (page number, "
        "URL, save_as) triples",
    ),
    "a misspelt plugin": (
        {"PLUGINS": ["plugins", "share_butons"]},
        "pelicanconf.py: PLUGINS: there is no plugin 'share_butons' (in ",
    ),
    "PLUGINS that is not a list": (
        {"PLUGINS": "plugins"},
        "pelicanconf.py: PLUGINS: 'plugins' is not a list — write PLUGINS = [",
    ),
}


def assert_refused(result, expected: str, output) -> None:
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert "Traceback" not in text
    assert "The build cannot start: 1 problem(s) in the settings:" in text
    assert f"  - {expected}" in text, text
    assert not output.exists(), "Pelican must not have started"


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_setting_pelican_would_crash_on_is_refused_by_name(case, tmp_path):
    overrides, expected = CASES[case]
    # PATH is Pelican's first argument; the corpus case gives it there.
    overrides = dict(overrides)
    content = overrides.pop("PATH", None)
    result = run_pelican(tmp_path / "out", overrides=overrides, content=content)
    assert_refused(result, expected, tmp_path / "out")


def test_the_plugin_message_lists_the_plugins_there_are(tmp_path):
    result = run_pelican(tmp_path / "out", overrides={"PLUGINS": ["share_butons"]})
    assert "check the spelling; the plugins there are: plugins\n" in result.stderr


SETTINGS_FILES = {
    "a syntax error": (
        'SITENAME = "Community Kompas\nPATH = "content"\n',
        "line 1: is not valid Python (unterminated string literal (detected at line 1)) — "
        "correct the line: a missing quote, bracket or comma is the usual cause",
    ),
    "text without quotes": (
        'PATH = "content"\nSITENAME = Community\n',
        "line 2: stops with NameError: name 'Community' is not defined — correct the line; "
        "settings are Python, so text needs quotes",
    ),
}


@pytest.mark.parametrize("case", SETTINGS_FILES, ids=list(SETTINGS_FILES))
def test_a_settings_file_that_is_not_valid_python_names_the_line(case, tmp_path):
    text, expected = SETTINGS_FILES[case]
    settings = tmp_path / "mijnconf.py"
    settings.write_text(text)
    result = run_pelican(tmp_path / "out", settings=str(settings))
    assert_refused(result, f"{settings}: {expected}", tmp_path / "out")


def test_a_settings_file_that_does_not_exist(tmp_path):
    result = run_pelican(tmp_path / "out", settings=str(tmp_path / "pelicanconf.py"))
    assert_refused(
        result,
        f"{tmp_path / 'pelicanconf.py'}: file: does not exist — run the command from the "
        "project folder, or give the right file with -s",
        tmp_path / "out",
    )


def test_an_override_that_is_not_json(tmp_path):
    content = tmp_path / "content"  # refused before anything is read: an empty folder will do
    content.mkdir()
    bad = subprocess.run(
        [*PELICAN, str(content), "-s", "pelicanconf.py", "-o", str(tmp_path / "x"), "-e", "X=[1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert_refused(
        bad,
        "command line: -e: Invalid JSON value: [1 — write each value as JSON",
        tmp_path / "x",
    )
