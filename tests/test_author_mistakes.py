"""The mistakes a first-time author makes each end in one report line (issue 13): file, field,
what is wrong, the fix. Each of these was published silently (or wrongly) before."""

from __future__ import annotations

import re

import pytest

from tests import fixture_site
from tests.nu_checker import nu_errors
from tests.sitecheck import ROOT, html_pages, run_pelican

GOOD = "Title: Goed\nDate: 2026-01-03\nSlug: goed\n\nDit artikel is in orde.\n"
TYPOS = (
    "Title: Typfouten\nDate: 2026-01-04\nSlug: typfouten\nCatgory: Community bouwen\n"
    "Tgas: ritme, leden\nSumary: Een korte samenvatting.\nSlgu: andere-slug\n"
    "Onderwerp: iets\n\nTekst.\n"
)
# (file, text, report line after "content/", published?)
MISTAKES = [
    (
        "articles/typfouten.md",
        TYPOS,
        "articles/typfouten.md: Catgory: is not a field (a typo for `Category`?); the article "
        "is published without it — write `Category:` instead of `Catgory:`",
        True,
    ),
    (
        "articles/typfouten.md",
        TYPOS,
        "articles/typfouten.md: Tgas: is not a field (a typo for `Tags`?)",
        True,
    ),
    (
        "articles/typfouten.md",
        TYPOS,
        "articles/typfouten.md: Sumary: is not a field (a typo for `Summary`?)",
        True,
    ),
    (
        "articles/typfouten.md",
        TYPOS,
        "articles/typfouten.md: Slgu: is not a field (a typo for `Slug`?)",
        True,
    ),
    (
        "articles/typfouten.md",
        TYPOS,
        "articles/typfouten.md: Onderwerp: is not a field any part of the site reads; the "
        "article is published without it — remove the line, or use one of: Audio, Author,",
        True,
    ),
    (
        "articles/datum.md",
        "Title: Datum\nDate: 03-04-2026\nSlug: datum\n\nTekst.\n",
        "articles/datum.md: Date: '03-04-2026' puts the day or the month before the year, "
        "which can be misread (03-04-2026 is 3 April to a Dutch reader, 4 March to Pelican); "
        "left out — write the year first, YYYY-MM-DD: 2026-04-03 (3 April) or 2026-03-04 "
        "(4 March)",
        False,
    ),
    (
        "articles/gewijzigd.md",
        "Title: Gewijzigd\nDate: 2026-01-05\nModified: 3/4/2026 10:00\nSlug: gewijzigd\n\nT.\n",
        "articles/gewijzigd.md: Modified: '3/4/2026 10:00' puts the day or the month before "
        "the year",
        False,
    ),
    (
        "los.md",
        "Title: Los\nDate: 2026-01-06\n\nTekst.\n",
        "los.md: file: is not in a folder of articles or pages (content/articles/, "
        "content/cursus/, content/podcast/, content/pages/), so it is not published — move it "
        "to content/articles/ (an article) or content/pages/ (a page), or add its folder to "
        "ARTICLE_PATHS in pelicanconf.py",
        False,
    ),
    (
        "artikelen/verkeerde-map.md",
        "Title: Verkeerde map\nDate: 2026-01-07\n\nTekst.\n",
        "artikelen/verkeerde-map.md: file: is not in a folder of articles or pages",
        False,
    ),
    (
        "articles/leeg.md",
        "Title: Leeg\nDate: 2026-01-08\nSlug: leeg\n",
        "articles/leeg.md: text: there is a title but no text after the metadata lines; this "
        "file was left out — write the text below the metadata lines",
        False,
    ),
    (
        "articles/slash.md",
        "Title: Slash\nDate: 2026-01-09\nSlug: slash\n\n[goed](/{filename}/articles/goed.md) "
        "![foto](/{static}/images/buren.jpg)\n",
        "articles/slash.md: link: /{filename}/articles/goed.md has a / before the braces, which "
        "Pelican publishes as it is (a link that leads nowhere); it was read as "
        "{filename}/articles/goed.md — write {filename}/articles/goed.md (no / before the "
        "braces)",
        True,
    ),
    (
        "articles/slash.md",
        None,
        "articles/slash.md: link: /{static}/images/buren.jpg has a / before the braces",
        True,
    ),
    (
        "articles/kapot.md",
        "Title: Kapot\nDate: 2026-01-10\nSlug: kapot\n\n![foto]({static}/images/bestaat-niet.jpg)"
        " en [les]({filename}/cursus/weg.md)\n",
        "articles/kapot.md: link: {static}/images/bestaat-niet.jpg points to a file that is not "
        "in the content folder; the article stays, with this link broken — correct the path",
        True,
    ),
    (
        "articles/kapot.md",
        None,
        "articles/kapot.md: link: {filename}/cursus/weg.md points to a file that is not in the "
        "content folder; the article stays, with this link broken",
        True,
    ),
]
PROBLEMS = len(MISTAKES)


def make_content(root):
    # The generated site's pictures and favicons (tests/fixture_site.py), none of its articles.
    content = fixture_site.write_site(root / "content", only=("images/", "extra/"))
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "goed.md").write_text(GOOD, encoding="utf-8")
    for name, text, _, _ in MISTAKES:
        if text is not None:
            (content / name).parent.mkdir(parents=True, exist_ok=True)
            (content / name).write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def mistakes(tmp_path_factory):
    root = tmp_path_factory.mktemp("mistakes")
    content = make_content(root)
    result = run_pelican(root / "output", content=content, overrides=fixture_site.overrides())
    return root / "output", result.stdout + result.stderr, result.returncode


def test_each_mistake_is_one_report_line(mistakes):
    output, log, code = mistakes
    assert code == 0, log
    assert "Traceback" not in log
    lines = [line for line in log.splitlines() if line.startswith("  - ")]
    for _, _, expected, _ in MISTAKES:
        assert any(line.startswith(f"  - content/{expected}") for line in lines), (expected, log)
    assert len(lines) == PROBLEMS, "\n".join(lines)
    assert f"The build found {PROBLEMS} problem(s) and went on" in log


def test_what_stays_and_what_is_left_out(mistakes):
    output, _, _ = mistakes
    built = {p.parent.name for p in output.glob("*/index.html") if "h-entry" in p.read_text()}
    assert built == {"goed", "typfouten", "slash", "kapot"}
    # 03-04-2026 is never published as 4 March (nor as anything else).
    assert not list(output.glob("archief/2026/03/*")) and not (output / "datum").exists()
    # The typo'd fields did nothing: no tag or category pages from them.
    assert not (output / "categorie" / "community-bouwen").exists()
    assert not (output / "tag" / "ritme").exists()
    slash = (output / "slash" / "index.html").read_text()
    assert 'href="/goed/"' in slash
    # the picture is published (as resized copies of images/buren.jpg: plugins/images)
    assert re.search(r'src="/[^"]*buren[^"]*\.jpg"', slash), slash
    assert "{filename}" not in slash and "{static}" not in slash


def test_pages_with_reported_mistakes_are_valid_html(mistakes):
    output, _, _ = mistakes
    found = nu_errors(html_pages(output), relative_to=output)
    assert not found, "\n".join(found)


def test_a_publish_build_fails_on_them(tmp_path):
    content = make_content(tmp_path)
    result = run_pelican(
        tmp_path / "output",
        settings="publishconf.py",
        content=content,
        overrides={**fixture_site.overrides(), "RATINGS_ALLOW_MISSING_SNAPSHOT": True},
    )
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert f"The build found {PROBLEMS} problem(s) and fails" in log
    assert "  - content/articles/kapot.md: link: {static}/images/bestaat-niet.jpg" in log


def test_a_problem_is_one_line_in_a_narrow_terminal(tmp_path):
    """Through Pelican's rich log handler (what `invoke build` uses), at 80 columns: the list is
    printed plainly, each problem on one line, without the log handler's source column."""
    content = make_content(tmp_path)
    import json
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schitter.build",
            str(content),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-o",
            str(tmp_path / "output"),
            "-e",
            f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}",
            *(f"{key}={json.dumps(value)}" for key, value in fixture_site.overrides().items()),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "80", "TERM": "xterm"},
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    expected = next(e for _, _, e, _ in MISTAKES if e.startswith("articles/datum.md"))
    line = next(line for line in log.splitlines() if "articles/datum.md" in line)
    assert line.startswith(f"  - content/{expected}") and len(line) > 200
    assert "problems.py" not in log and "__init__.py:" not in log
    assert log.count("articles/datum.md") == 1  # said once, at the end
