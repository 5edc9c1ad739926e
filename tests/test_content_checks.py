"""Broken Markdown ends in one clear line per problem, never a traceback (content_checks)."""

from __future__ import annotations

import pytest

from tests import fixture_site
from tests.nu_checker import nu_errors
from tests.sitecheck import html_pages, run_pelican

GOOD = "Title: Goed artikel\nDate: 2026-01-03\nSlug: goed\n\nDit artikel is in orde.\n"
CASES = {
    # file name: (bytes, expected report line (after "content/articles/"), left out)
    "geen-titel.md": (
        b"Date: 2026-01-01\n\nGeen titel.\n",
        "geen-titel.md: Title: is missing, so the file was left out",
    ),
    "slechte-datum.md": (
        b"Title: Slechte datum\nDate: 2026-13-45\n\nTekst.\n",
        "slechte-datum.md: Date: '2026-13-45' is not a date Pelican can read",
    ),
    "tijdzone.md": (
        b"Title: Tijdzone\nDate: 2026-01-01 10:00 Mars/Olympus\n\nTekst.\n",
        "tijdzone.md: Date: '2026-01-01 10:00 Mars/Olympus' is not a date",
    ),
    "leeg.md": (b"", "leeg.md: Title: is missing, so the file was left out"),
    "binair.md": (
        bytes(range(256)) * 4,
        "binair.md: file: is not UTF-8 text (a binary file or another encoding?)",
    ),
    "spaties.md": (
        b"Title:    \nDate: 2026-01-01\n\nTekst.\n",
        "spaties.md: Title: is empty; the file was left out",
    ),
    "tweede.md": (
        b"Title: Tweede\nDate: 2026-01-05\nSlug: goed\n\nZelfde adres.\n",
        "tweede.md: Slug: 'goed' is also the address of content/articles/goed.md; "
        "this file was left out — give one of them another `Slug:`",
    ),
    "status.md": (
        b"Title: Status\nDate: 2026-01-07\nStatus: publiceren\n\nTekst.\n",
        "status.md: Status: 'publiceren' is not a status; the file was left out — write "
        "`Status: published`, `draft` or `hidden`",
    ),
    "sjabloon.md": (
        b"Title: Sjabloon\nDate: 2026-01-08\nTemplate: speciaal\n\nTekst.\n",
        "sjabloon.md: Template: 'speciaal' is not a template of the theme; this file was left "
        "out — remove the line, or use one of: article, page",
    ),
    "gewijzigd.md": (
        b"Title: Gewijzigd\nDate: 2026-01-09\nModified: gisteren\n\nTekst.\n",
        "gewijzigd.md: Modified: 'gisteren' is not a date Pelican can read",
    ),
    "taal.md": (
        b"Title: Taal\nDate: 2026-01-10\nLang: nederlands\n\nTekst.\n",
        "taal.md: Lang: 'nederlands' is not a language code; this file was left out",
    ),
    "slug-omhoog.md": (
        b"Title: Omhoog\nDate: 2026-01-12\nSlug: ../../kwaad\n\nTekst.\n",
        "slug-omhoog.md: Slug: '../../kwaad' cannot be part of an address (it leads out of the "
        "site's folder); left out — use lowercase letters, digits and hyphens, e.g. Slug: kwaad",
    ),
    "slug-hekje.md": (
        b"Title: Hekje\nDate: 2026-01-13\nSlug: vraag en#antwoord?\n\nTekst.\n",
        "slug-hekje.md: Slug: 'vraag en#antwoord?' cannot be part of an address (it contains a "
        "space, '#', '?'); this file was left out",
    ),
    "buiten.md": (
        b"Title: Buiten\nDate: 2026-01-06\nSave_as: ../../buiten.html\n\nTekst.\n",
        "buiten.md: Save_as: '../../buiten.html' would be written outside the site's folder; "
        "left out — remove the `Save_as:` line",
    ),
}
# Broken links: reported, and the article stays (its other links and text are fine).
LINKS = {
    "{filename}/articles/bestaat-niet.md": "links.md: link: {filename}/articles/bestaat-niet.md "
    "points to a file that is not in the content folder; the article stays, with this link "
    "broken — correct the path",
    "{static}/images/weg.png": "links.md: link: {static}/images/weg.png points to a file that is "
    "not in the content folder",
}
LINKED = (
    "Title: Links\nDate: 2026-01-11\nSlug: links\n\n"
    + " ".join(f"[link {n}]({target})" for n, target in enumerate(LINKS))
    + " [goed]({filename}/articles/goed.md)\n"
)
# Names without letters or digits would get the address of the list page (/tag/, /categorie/).
NAMELESS = {
    "lege-tag.md": (
        "Title: Lege tag\nDate: 2026-01-14\nSlug: lege-tag\nTags: leden, !!!\n\nTekst.\n",
        "lege-tag.md: Tags: '!!!' has no letters or digits to make an address from; it was left "
        "out — write it as a word",
    ),
    "rare-categorie.md": (
        "Title: Rare categorie\nDate: 2026-01-15\nSlug: rare-categorie\nCategory: ../..\n\nX.\n",
        "rare-categorie.md: Category: '../..' has no letters or digits to make an address from; "
        "the 'misc' category is used",
    ),
}
SITE = fixture_site.overrides()  # the settings of the test site's images
PROBLEM_COUNT = len(CASES) + len(LINKS) + len(NAMELESS)
REPORTED = [*(line for _, line in CASES.values()), *LINKS.values()]
REPORTED += [line for _, line in NAMELESS.values()]


@pytest.fixture(scope="module")
def broken_content(tmp_path_factory):
    content = tmp_path_factory.mktemp("site") / "content"
    (content / "articles").mkdir(parents=True)
    # The link-preview image and the favicon, so that only the broken articles are reported.
    fixture_site.write_site(content, only=("images/", "extra/"))
    (content / "articles" / "goed.md").write_text(GOOD)
    lang = "Lang " * 400
    (content / "articles" / "lange-titel.md").write_text(
        f"Title: {lang}\nDate: 2026-01-04\nSlug: lange-titel\n\nTekst.\n"
    )
    for name, (data, _) in CASES.items():
        (content / "articles" / name).write_bytes(data)
    (content / "articles" / "links.md").write_text(LINKED)
    for name, (text, _) in NAMELESS.items():
        (content / "articles" / name).write_text(text)
    return content


def test_development_build_reports_each_problem_and_leaves_the_file_out(broken_content, tmp_path):
    result = run_pelican(tmp_path / "out", content=broken_content, overrides=SITE)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    for expected in REPORTED:
        assert f"content/articles/{expected}" in output
    assert f"The build found {PROBLEM_COUNT} problem(s)" in output
    # Each problem is said once, in our words: Pelican's own lines about them are left out.
    assert "Could not process" not in output and "Skipping" not in output
    assert not (tmp_path.parent / "buiten.html").exists()  # out/../../buiten.html
    built = sorted(
        p.parent.name
        for p in (tmp_path / "out").glob("*/index.html")
        if "entry h-entry" in p.read_text()
    )
    assert built == ["goed", "lange-titel", "lege-tag", "links", "rare-categorie"]
    out = tmp_path / "out"
    assert not (out / "tag" / "index.html").exists() and (out / "tag" / "leden").is_dir()
    assert not (out / "categorie" / "index.html").exists() and (out / "categorie/misc").is_dir()
    links = (tmp_path / "out/links/index.html").read_text()
    assert 'href="/goed/"' in links  # the good link of the same article still works
    # The first of two files with the same address is the one that stays.
    assert "Dit artikel is in orde." in (tmp_path / "out/goed/index.html").read_text()
    found = nu_errors(html_pages(out), relative_to=out)  # what was kept is valid HTML
    assert not found, "\n".join(found)


def test_a_warm_rebuild_reports_the_same_problems(broken_content, tmp_path):
    cache = tmp_path / "cache"
    first = run_pelican(tmp_path / "a", content=broken_content, overrides=SITE, cache=cache)
    second = run_pelican(tmp_path / "b", content=broken_content, overrides=SITE, cache=cache)
    summary = [
        line for line in (first.stdout + first.stderr).splitlines() if line.startswith("  - ")
    ]
    assert len(summary) == PROBLEM_COUNT
    assert summary == [
        line for line in (second.stdout + second.stderr).splitlines() if line.startswith("  - ")
    ]


def test_publish_build_fails_with_the_same_list(broken_content, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        settings="publishconf.py",
        content=broken_content,
        overrides={**SITE, "RATINGS_ALLOW_MISSING_SNAPSHOT": True},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert f"The build found {PROBLEM_COUNT} problem(s) and fails" in output
    for expected in REPORTED:
        assert f"  - content/articles/{expected}" in output


def test_a_wrong_setting_is_reported_instead_of_crashing(tmp_path):
    # MENUITEMS = 5 once crashed inside base.html ("'int' object is not iterable");
    # settings_checks now names the setting and the build completes without a menu.
    result = run_pelican(tmp_path / "out", overrides={"MENUITEMS": 5})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "  - pelicanconf.py: MENUITEMS: 5 is not a list of (label, url) pairs" in output


def test_a_crash_is_never_silent_with_plain_logs(tmp_path):
    # A template that breaks (here a theme override with a bug): Pelican's own error must reach
    # the author, also with `--log-handler plain` (which the tests use), where our log handler
    # once hid it.
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "index.html").write_text("{% for item in 5 %}{{ item }}{% endfor %}")
    result = run_pelican(
        tmp_path / "out", overrides={"THEME_TEMPLATES_OVERRIDES": [str(overrides)]}
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "'int' object is not iterable" in output


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("gewoon", "gewoon"),
        ("שלום \u200fעולם", "שלום \u200fעולם"),  # RTL text and RLM mark: untouched
        ("a\u202eb", "a\u202eb\u202c"),  # RLO closed by PDF
        ("a\u202eb\u202cc", "a\u202eb\u202cc"),  # already closed
        ("a\u202ab\u202dc", "a\u202ab\u202dc\u202c\u202c"),  # nested: one PDF each
        ("a\u2067b", "a\u2067b\u2069"),  # RLI closed by PDI
        ("a\u2068b\u202ec", "a\u2068b\u202ec\u202c\u2069"),  # inner override first
        ("a\u202eb\u2066c\u202cd", "a\u202eb\u2066c\u202cd\u2069\u202c"),  # PDF can't close
        ("a\u2066b\u202ec\u2069d", "a\u2066b\u202ec\u2069d"),  # PDI closes both
        ("a\u202cb\u2069", "a\u202cb\u2069"),  # stray terminators: inert, kept
    ],
)
def test_balance_bidi(typed, shown):
    from plugins.core.text import author_text, balance_bidi

    assert balance_bidi(typed) == shown
    assert balance_bidi(shown) == shown
    assert author_text("\x07" + typed) == shown
