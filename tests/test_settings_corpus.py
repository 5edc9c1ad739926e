"""Wrong settings: one clear line naming the settings file and the setting, never a traceback.

The settings corpus of issue 7. Each case is one wrong setting given to the real `pelican`
command line (as an -e override, or an environment variable publishconf.py reads), on a tiny
site: one article and one podcast episode, so that the podcast's show checks apply too.
A development build lists the problem and still completes (exit 0); a publish build fails with
exit 1 and the same list. The checks live in settings_checks (core Pelican and theme settings)
and in the plugins that own a setting (share_buttons, podcast, i18n, star_ratings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from tests import fixture_site
from tests.sitecheck import run_pelican

EPISODE = fixture_site.EPISODES[0]  # the test site's podcast episode with show notes
SHOW = EPISODE.show
SITE = fixture_site.overrides()  # the settings of the test site (its shows, menu, images)
PUBLISH = {"RATINGS_ALLOW_MISSING_SNAPSHOT": True}  # no ratings service in the tests


def shows_with(**changes) -> dict:
    """The test site's PODCAST_SHOWS with one field of its podcast changed."""
    shows = fixture_site.shows()
    shows[SHOW].update(changes)
    return shows


@dataclass
class Case:
    overrides: dict
    # The report lines (after "  - "): "<settings file>: <SETTING>: <what is wrong>"; the fix
    # follows after " — " and must contain the given text.
    expected: list[tuple[str, str]]
    settings: str = "pelicanconf.py"
    env: dict = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.settings == "publishconf.py" else 0


CASES = {
    # --- Issue 7's list --------------------------------------------------------------------
    "missing SITEURL in a publish build": Case(
        PUBLISH,
        [
            # one line, from the core (the podcast no longer works out the base URL itself)
            (
                "publishconf.py: SITEURL: is '', but feeds, share links and link previews need "
                "the site's absolute address",
                'set SITEURL = "https://your-domain.example" in publishconf.py',
            ),
        ],
        settings="publishconf.py",
        env={"SCHITTER_SITEURL": ""},
    ),
    "share networks not a list": Case(
        {"SHARE_NETWORKS": 5},
        [
            (
                "pelicanconf.py: SHARE_NETWORKS: must be a list of network names, not 5; the "
                "default is used",
                'use e.g. SHARE_NETWORKS = ["whatsapp", "linkedin", "email"]; valid: whatsapp,',
            )
        ],
    ),
    "unknown share network": Case(
        {"SHARE_NETWORKS": ["whatsapp", "myspace"]},
        [
            (
                "pelicanconf.py: SHARE_NETWORKS: 'myspace' is not a network Schitter can share to; "
                "('whatsapp',) is used",
                "use only these names: whatsapp, linkedin,",
            )
        ],
    ),
    "podcast artwork that does not exist": Case(
        {"PODCAST_SHOWS": shows_with(artwork="images/bestaat-niet.jpg")},
        [
            (
                f'pelicanconf.py: PODCAST_SHOWS["{SHOW}"]["artwork"]: '
                "content/images/bestaat-niet.jpg does not exist",
                "put the artwork there (export a square JPEG or PNG of 1400–3000 px in RGB)",
            )
        ],
    ),
    "unknown Apple category": Case(
        {"PODCAST_SHOWS": shows_with(category="Onderwijs")},
        [
            (
                f'pelicanconf.py: PODCAST_SHOWS["{SHOW}"]["category"]: '
                "'Onderwijs' is not one of Apple's podcast categories",
                "use one of: Arts, Business, Comedy, Education,",
            )
        ],
    ),
    "invalid language code": Case(
        {"DEFAULT_LANG": "xx"},
        [
            (
                "pelicanconf.py: DEFAULT_LANG: 'xx' is not a language the theme speaks, so the "
                "site was built in Dutch",
                "set DEFAULT_LANG to one of: nl, en",
            )
        ],
    ),
    # --- Core settings (settings_checks) ----------------------------------------------------
    "MENUITEMS a number": Case(
        {"MENUITEMS": 5},
        [
            (
                "pelicanconf.py: MENUITEMS: 5 is not a list of (label, url) pairs; the menu has "
                "no items",
                'write MENUITEMS = [("Articles", "/"), ("Archive", "/archief/")]',
            )
        ],
    ),
    "MENUITEMS in a publish build": Case(
        {**PUBLISH, "MENUITEMS": 5},
        [
            (
                "publishconf.py: MENUITEMS: 5 is not a list of (label, url) pairs; the menu has "
                "no items",
                "write MENUITEMS = [",
            )
        ],
        settings="publishconf.py",
    ),
    "MENUITEMS with a bad pair": Case(
        {"MENUITEMS": [["Artikelen", "/"], ["Archief"]]},
        [
            (
                "pelicanconf.py: MENUITEMS: item 2, ['Archief'], is not a (label, url) pair of "
                "texts; it is left out of the menu",
                "write MENUITEMS = [",
            )
        ],
    ),
    "unknown TIMEZONE": Case(
        {"TIMEZONE": "Mars/Olympus"},
        [
            (
                "pelicanconf.py: TIMEZONE: 'Mars/Olympus' is not a time zone; 'UTC' is used",
                'use a name from the tz database, e.g. TIMEZONE = "Europe/Amsterdam"',
            )
        ],
    ),
    "DEFAULT_PAGINATION as a word": Case(
        {"DEFAULT_PAGINATION": "tien"},
        [
            (
                "pelicanconf.py: DEFAULT_PAGINATION: 'tien' is not a number of articles per "
                "page; the default False (no pagination) is used",
                "write a whole number such as DEFAULT_PAGINATION = 8",
            )
        ],
    ),
    "relative FEED_DOMAIN": Case(
        {"FEED_DOMAIN": "127.0.0.1:8000"},
        [
            (
                "pelicanconf.py: FEED_DOMAIN: '127.0.0.1:8000' is not an absolute address "
                "(http:// or https://…); the feeds use 'http://127.0.0.1:8000' instead",
                'e.g. FEED_DOMAIN = "https://communitykompas.nl"',
            )
        ],
    ),
    "relative FEED_DOMAIN in a publish build": Case(
        {**PUBLISH, "FEED_DOMAIN": "communitykompas.nl"},
        [
            (
                "publishconf.py: FEED_DOMAIN: 'communitykompas.nl' is not an absolute address "
                "(http:// or https://…); the feeds use 'https://communitykompas.nl' instead",
                "write the address the feeds are read from",
            )
        ],
        settings="publishconf.py",
    ),
    "SITEURL without a scheme": Case(
        {"SITEURL": "communitykompas.nl"},
        [
            (
                "pelicanconf.py: SITEURL: 'communitykompas.nl' is not an absolute address "
                "(http:// or https://…); the default '' (links from the site root) is used",
                'SITEURL = "https://communitykompas.nl"',
            )
        ],
    ),
    "SITENAME a number": Case(
        {"SITENAME": 5},
        [
            (
                "pelicanconf.py: SITENAME: 5 is not text; the default 'A Pelican Blog' is used",
                'write it between quotes, e.g. SITENAME = "…"',
            )
        ],
    ),
    "save_as outside the output folder": Case(
        {"ARTICLE_SAVE_AS": "../{slug}/index.html"},
        [
            (
                "pelicanconf.py: ARTICLE_SAVE_AS: '../{slug}/index.html' points outside the "
                "output folder; Pelican's defaults are used for ARTICLE_SAVE_AS ('{slug}.html') "
                "and ARTICLE_URL ('{slug}.html')",
                'e.g. "{slug}/index.html"',
            )
        ],
    ),
    "URL pattern with a broken field": Case(
        {"ARTICLE_URL": "{slug/"},
        [
            (
                "pelicanconf.py: ARTICLE_URL: '{slug/' is not a valid pattern (expected '}' "
                "before end of string); Pelican's defaults are used for ARTICLE_URL "
                "('{slug}.html') and ARTICLE_SAVE_AS ('{slug}.html')",
                'e.g. "{slug}/"',
            )
        ],
    ),
    "URL starting with a slash": Case(
        {"TAG_URL": "/tag/{slug}/"},
        [
            (
                "pelicanconf.py: TAG_URL: '/tag/{slug}/' starts with a slash, which makes links "
                "like //slug/ (another host); 'tag/{slug}/' is used",
                "leave out the slash at the start",
            )
        ],
    ),
    "feed written outside the output folder": Case(
        {"FEED_ALL_ATOM": "/tmp/alles.atom.xml"},
        [
            (
                "pelicanconf.py: FEED_ALL_ATOM: '/tmp/alles.atom.xml' points outside the output "
                "folder; the default 'feeds/all.atom.xml' is used",
                'e.g. "feeds/all.atom.xml"',
            )
        ],
    ),
    "date format with minutes": Case(
        {"DEFAULT_DATE_FORMAT": "dd-mm-yyyy"},
        [
            (
                "pelicanconf.py: DEFAULT_DATE_FORMAT: 'dd-mm-yyyy' is not a Babel date format "
                "(it asks for a time of day); 'long' is used",
                '("dd-MM-y" for 21-11-2026; MM is the month, mm would be minutes)',
            )
        ],
    ),
    "newsletter form address without a scheme": Case(
        {"NEWSLETTER_ACTION": "nieuwsbrief.example/aanmelden"},
        [
            (
                "pelicanconf.py: NEWSLETTER_ACTION: 'nieuwsbrief.example/aanmelden' is not an "
                "absolute address; the signup form is hidden",
                "copy the form's https://… address from your newsletter provider",
            )
        ],
    ),
    "ratings switch not a boolean": Case(
        {"RATINGS_ENABLED": "ja"},
        [
            (
                "pelicanconf.py: RATINGS_ENABLED: 'ja' is not True or False; the default True "
                "is used",
                "write RATINGS_ENABLED as True or False, or remove it",
            )
        ],
    ),
}


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    """One good article and one podcast episode, with the test site's images and favicons."""
    content = fixture_site.write_site(
        tmp_path_factory.mktemp("settings") / "content",
        only=("images/", "extra/", EPISODE.source, EPISODE.audio),
    )
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "goed.md").write_text(
        "Title: Goed artikel\nDate: 2026-01-03\nSlug: goed\n\nDit artikel is in orde.\n"
    )
    notes = content / EPISODE.source
    # The show notes link to articles this site does not have: keep the link texts only.
    notes.write_text(re.sub(r"\[([^\]]*)\]\(\{filename\}[^)]*\)", r"\1", notes.read_text()))
    return content


def reported(output: str) -> list[str]:
    """The lines of the end-of-build list."""
    return [line[4:] for line in output.splitlines() if line.startswith("  - ")]


def test_the_tiny_site_itself_has_no_problems(tiny_site, tmp_path):
    result = run_pelican(tmp_path / "out", content=tiny_site, overrides=SITE)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert reported(output) == [] and "problem(s)" not in output
    assert (tmp_path / "out" / EPISODE.slug / "index.html").exists()
    assert (tmp_path / "out" / "podcast" / SHOW / "feed.xml").exists()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_wrong_setting_gets_one_clear_line(case: Case, tiny_site, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        settings=case.settings,
        content=tiny_site,
        overrides={**SITE, **case.overrides},
        env=case.env,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == case.exit_code, output
    lines = reported(output)
    assert len(lines) == len(case.expected), lines  # each problem once, nothing else
    for problem, fix in case.expected:
        matching = [line for line in lines if line.startswith(problem + " — ")]
        assert matching, f"{problem!r} not in {lines}"
        assert fix in matching[0].split(" — ", 1)[1]
    if case.exit_code == 0:  # the wrong value was made harmless: the site is complete
        pages = [(tmp_path / "out" / "goed" / "index.html"), (tmp_path / "out" / "goed.html")]
        assert any(p.exists() and "Dit artikel is in orde." in p.read_text() for p in pages)
    else:
        assert f"The build found {len(case.expected)} problem(s) and fails" in output


def test_a_wrong_value_is_replaced_by_a_harmless_one(tiny_site, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        content=tiny_site,
        overrides={
            **SITE,
            "MENUITEMS": [["Artikelen", "/"], ["Archief"]],
            "FEED_DOMAIN": "127.0.0.1:8000",
            "TAG_URL": "/tag/{slug}/",
        },
    )
    assert result.returncode == 0
    index = (tmp_path / "out" / "index.html").read_text()
    menu = index.split('class="site-nav', 1)[1].split("</nav>", 1)[0]
    assert ">Artikelen</a>" in menu and "Archief" not in menu  # the good menu item stays
    feed = (tmp_path / "out" / "feeds" / "alles.atom.xml").read_text()
    assert 'href="http://127.0.0.1:8000/feeds/alles.atom.xml"' in feed
    podcast = (tmp_path / "out" / "podcast" / SHOW / "feed.xml").read_text()
    assert f'url="http://127.0.0.1:8000/{EPISODE.audio}"' in podcast
    episode = (tmp_path / "out" / EPISODE.slug / "index.html").read_text()
    assert 'href="/tag/podcast/"' in episode and 'href="//tag/' not in episode
