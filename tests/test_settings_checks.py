"""settings_checks' pure functions: which values are wrong, what replaces them, which file.

The end-to-end outcomes (the report line through the real `pelican` command line) are in
tests/test_settings_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.settings import DEFAULT_CONFIG, read_settings

from plugins.checks.settings import check_settings, shown
from plugins.core.problems import settings_file
from tests.sitecheck import ROOT


@pytest.mark.parametrize("name", ["pelicanconf.py", "publishconf.py"])
def test_the_sites_own_settings_are_clean(name):
    settings = read_settings(str(ROOT / name))
    assert check_settings(settings) == ([], {})


def test_pelicans_defaults_are_clean():
    problems, _ = check_settings(dict(DEFAULT_CONFIG))
    assert problems == []


def fixed(**settings) -> tuple[list[str], dict]:
    problems, replacements = check_settings(settings)
    return [p.setting for p in problems], replacements


def test_wrong_values_are_replaced_by_harmless_ones():
    assert fixed(MENUITEMS=5) == (["MENUITEMS"], {"MENUITEMS": ()})
    assert fixed(MENUITEMS=[("A", "/a/"), ("B",), ["C", "/c/"]]) == (
        ["MENUITEMS"],
        {"MENUITEMS": (("A", "/a/"), ("C", "/c/"))},
    )
    assert fixed(TIMEZONE="Mars/Olympus") == (["TIMEZONE"], {"TIMEZONE": "UTC"})
    assert fixed(TIMEZONE=None) == (["TIMEZONE"], {"TIMEZONE": "UTC"})
    assert fixed(DEFAULT_PAGINATION="tien") == (
        ["DEFAULT_PAGINATION"],
        {"DEFAULT_PAGINATION": False},
    )
    assert fixed(DEFAULT_PAGINATION=True)[0] == ["DEFAULT_PAGINATION"]
    assert fixed(DEFAULT_PAGINATION=-1)[0] == ["DEFAULT_PAGINATION"]
    assert fixed(FEED_DOMAIN="https://example.nl/") == (
        ["FEED_DOMAIN"],
        {"FEED_DOMAIN": "https://example.nl"},
    )
    assert fixed(FEED_DOMAIN="example.nl", SITEURL="https://example.nl") == (
        ["FEED_DOMAIN"],
        {"FEED_DOMAIN": "https://example.nl"},
    )
    assert fixed(SITENAME=["x"]) == (["SITENAME"], {"SITENAME": "A Pelican Blog"})
    assert fixed(DEFAULT_DATE_FORMAT="qqqqqqqq") == (
        ["DEFAULT_DATE_FORMAT"],
        {"DEFAULT_DATE_FORMAT": "long"},
    )
    assert fixed(NEWSLETTER_HIDDEN_FIELDS=["u"]) == (
        ["NEWSLETTER_HIDDEN_FIELDS"],
        {"NEWSLETTER_HIDDEN_FIELDS": {}},
    )


def test_good_values_pass():
    good = {
        "MENUITEMS": (("Artikelen", "/"),),
        "TIMEZONE": "Europe/Amsterdam",
        "DEFAULT_PAGINATION": 8,
        "SITEURL": "/blog",  # a sub-folder while developing
        "FEED_DOMAIN": "http://127.0.0.1:8000",
        "DEFAULT_DATE_FORMAT": "d MMMM y",
        "ARTICLE_SAVE_AS": "",  # no article pages: Pelican writes none
        "DRAFT_SAVE_AS": None,
        "NEWSLETTER_ACTION": "https://example.us1.list-manage.com/subscribe/post",
        "NEWSLETTER_HIDDEN_FIELDS": {"u": "abc", "id": 1},
    }
    assert check_settings(good) == ([], {})


def test_none_where_text_is_meant_shows_nothing_instead_of_none():
    assert fixed(SITESUBTITLE=None) == ([], {"SITESUBTITLE": ""})


def test_a_wrong_address_resets_its_pair():
    problems, replacements = check_settings(
        {"ARTICLE_URL": "{slug/", "ARTICLE_SAVE_AS": "{slug}/index.html"}
    )
    assert [p.setting for p in problems] == ["ARTICLE_URL"]
    assert replacements == {"ARTICLE_URL": "{slug}.html", "ARTICLE_SAVE_AS": "{slug}.html"}
    problems, _ = check_settings(
        {"SITEMAP_SAVE_AS": "../sitemap.xml", "DIRECT_TEMPLATES": ["sitemap"]}
    )
    assert "points outside the output folder" in problems[0].message


def test_a_strict_build_leaves_siteurl_to_share_buttons():
    # share_buttons reports a SITEURL a publish build cannot use; one report, not two.
    assert fixed(SITEURL="example.nl", SCHITTER_STRICT=True) == ([], {})
    assert fixed(SITEURL="example.nl")[0] == ["SITEURL"]


def test_a_long_value_is_shortened_in_the_message():
    assert shown("x" * 500).endswith("…") and len(shown("x" * 500)) == 60
    assert shown(5) == "5"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/venv/bin/pelican", "content", "-s", "publishconf.py"], "publishconf.py"),
        (["/venv/bin/pelican", "content", "--settings=publishconf.py"], "publishconf.py"),
        (["/venv/bin/pelican", "content", "-spublishconf.py"], "publishconf.py"),
        (["/venv/bin/pelican", "content"], "pelicanconf.py"),  # Pelican's default
        (
            ["/venv/lib/site-packages/pelican/__main__.py", "-s", "/site/pelicanconf.py"],
            "pelicanconf.py",
        ),
        (["/venv/bin/pytest", "-s", "tests"], "settings"),  # not the pelican command
    ],
)
def test_the_settings_file_is_the_one_pelican_was_given(argv, expected):
    assert settings_file(argv, cwd=Path("/site")) == expected
