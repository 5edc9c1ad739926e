"""What the reader sees (issue 13), in Debian's Chromium on a site the test writes: the duration
as the player shows it, the layout on a phone and a desktop, the newsletter block's words, the
page's language, and the rating widget after a vote and without a service.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader_service.config import Settings
from schitter.devserver import serve_in_background, url_of
from tests import audio_fixtures as af
from tests import fixture_site
from tests.nu_checker import nu_errors
from tests.reader_service_support import ServiceThread, free_port
from tests.sitecheck import build, html_pages

pytestmark = pytest.mark.browser

LONG_WORD = "gemeenschapsvoorzieningenonderhoudsplanning"
NEWSLETTER = {  # a newsletter provider's form (the demo's block signs up for its course instead)
    "NEWSLETTER_COURSE": "",
    "NEWSLETTER_ACTION": "https://buttondown.com/api/emails/embed-subscribe/voorbeeld",
    "NEWSLETTER_HEADING": "Gratis audiocursus in vier weken",
    "NEWSLETTER_TEXT": "Elke maandag een les in je inbox.",
    "NEWSLETTER_BUTTON": "Stuur me les 1",
    "NEWSLETTER_CONSENT": "Alleen voor de cursus; afmelden kan altijd.",
}

# The demo's pelicanconf.py sets its own words; "" asks for the theme's translated defaults.
EMPTY_WORDS = {key: "" for key in NEWSLETTER if key != "NEWSLETTER_ACTION"}  # and no course


def article(number: int, extra: str = "") -> str:
    return (
        f"Title: Artikel {number}\nDate: 2026-01-{number:02d} 09:00\nCategory: Community bouwen\n"
        f"Tags: leden, ritme\nSlug: artikel-{number}\nSummary: Samenvatting {number}.\n{extra}\n"
        f"Een alinea met een lang woord: {LONG_WORD}. " * 3 + "\n"
    )


# The generated site's shows, menu and share image (tests/fixture_site.py); its pictures too.
SITE = fixture_site.overrides()


def make_content(root: Path) -> Path:
    content = fixture_site.write_site(root / "content", only=("images/", "extra/"))
    (content / "articles").mkdir(parents=True)
    for number in range(1, 11):  # ten: the index has a second page ("Oudere artikelen")
        extra = "Lang: en\n" if number == 10 else ""
        (content / "articles" / f"artikel-{number}.md").write_text(article(number, extra))
    (content / "podcast").mkdir()
    (content / "podcast" / "afl.md").write_text(
        "Title: Aflevering 1: Het begin\nDate: 2026-01-20 07:00\nCategory: Podcast\nSlug: afl-1\n"
        f"Podcast: {fixture_site.PODCAST}\nEpisode: 1\nAudio: audio/afl.mp3\n\nShownotes.\n",
        encoding="utf-8",
    )
    chapters = [(0, 30, "Begin"), (30, 74.9, "Einde")]
    af.write(content / "audio" / "afl.mp3", af.tag(af.encode(74.9), chapters=chapters))
    (content / "audio" / "afl.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:14.000\nWelkom.\n\n"
        "00:00:14.000 --> 00:00:30.000\nDan het begin.\n",
        encoding="utf-8",
    )
    return content


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return make_content(tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def site(content, tmp_path_factory):
    """The development build, served; a ratings service URL where nothing listens."""
    output = build(
        tmp_path_factory.mktemp("reader-dev") / "output",
        content=content,
        overrides={
            **SITE,
            **NEWSLETTER,
            "RATINGS_SERVICE_URL": f"http://127.0.0.1:{free_port()}",
        },
    )
    server = serve_in_background(output)
    yield {"output": output, "url": url_of(server).rstrip("/")}
    server.shutdown()


@pytest.fixture(scope="module")
def english(content, tmp_path_factory) -> Path:
    """English interface, Dutch articles (CONTENT_LANG from pelicanconf.py), defaults for the
    newsletter's words."""
    return build(
        tmp_path_factory.mktemp("reader-en") / "output",
        content=content,
        overrides={
            **SITE,
            "DEFAULT_LANG": "en",
            "NEWSLETTER_ACTION": NEWSLETTER["NEWSLETTER_ACTION"],
            **EMPTY_WORDS,
        },
    )


def open_page(browser, url: str, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    page.goto(url)
    return context, page


# --- the player --------------------------------------------------------------------------------
def test_the_duration_on_the_page_is_the_one_the_player_shows(browser, site):
    context, page = open_page(browser, f"{site['url']}/afl-1/", 1280)
    shown = page.locator(".player__meta time").first.inner_text()
    page.wait_for_function("document.querySelector('audio').readyState >= 1")
    seconds = page.evaluate("Math.floor(document.querySelector('audio').duration)")
    context.close()
    # 74.9 s: the player shows 1:14 (whole seconds, cut off), and so must "Duur".
    assert seconds == 74
    assert shown == "1:14"


# --- layout ------------------------------------------------------------------------------------
ROWS = """(selector) => new Set([...document.querySelectorAll(selector)]
  .filter(e => e.offsetParent !== null).map(e => Math.round(e.getBoundingClientRect().top))).size"""
BOX = """(s) => { const r = [...document.querySelectorAll(s)].filter(e => e.offsetParent)
  .pop().getBoundingClientRect(); return [r.top, r.bottom]; }"""


@pytest.mark.parametrize(("width", "rows"), [(390, 3), (1280, 2)])
def test_nine_share_buttons_take_few_rows(browser, site, width, rows):
    context, page = open_page(browser, f"{site['url']}/artikel-5/", width)
    assert page.locator(".share__list > li:not([hidden])").count() == 9
    found = page.evaluate(ROWS, ".share__list > li:not([hidden])")
    # The box ends right under the buttons: no empty status line at its bottom.
    last = page.evaluate(BOX, ".share__list > li:not([hidden])")  # the last one shown
    box = page.evaluate(BOX, ".share")
    context.close()
    assert found <= rows, f"{found} rows at {width} px"
    assert box[1] - last[1] <= 24, f"{box[1] - last[1]:.0f} px below the last button"


@pytest.mark.parametrize("width", [390, 1280])
def test_pages_keep_their_distance_from_header_and_footer(browser, site, width):
    for path, last in (("/", ".pager"), ("/artikel-5/", ".pager")):
        context, page = open_page(browser, site["url"] + path, width)
        header = page.evaluate(BOX, ".site-header")
        first = page.evaluate(BOX, "main > :first-child")
        pager = page.evaluate(BOX, last)
        footer = page.evaluate(BOX, ".site-footer")
        context.close()
        assert first[0] - header[1] >= 20, (path, width, "content right under the header")
        assert footer[0] - pager[1] >= 32, (path, width, "pager flush against the footer")
    context, page = open_page(browser, site["url"] + "/artikel-5/", width)
    kicker = page.evaluate(BOX, ".entry__kicker")
    title = page.evaluate(BOX, ".entry__title")
    context.close()
    assert title[0] - kicker[1] >= 4, "category label stuck to the title"


def test_long_words_hyphenate_in_the_page_language(browser, site):
    context, page = open_page(browser, f"{site['url']}/artikel-5/", 390)
    style = page.evaluate(
        "() => { const p = document.querySelector('.prose p'); const s = getComputedStyle(p);"
        " return [s.hyphens || s.webkitHyphens, document.documentElement.lang]; }"
    )
    context.close()
    assert style == ["auto", "nl"]


# --- the newsletter block ----------------------------------------------------------------------
def test_the_newsletter_block_says_what_the_author_set(browser, site):
    context, page = open_page(browser, f"{site['url']}/artikel-5/", 390)
    block = page.locator(".newsletter")
    assert block.locator("h2").inner_text() == NEWSLETTER["NEWSLETTER_HEADING"]
    assert NEWSLETTER["NEWSLETTER_TEXT"] in block.inner_text()
    assert block.locator("button").inner_text() == NEWSLETTER["NEWSLETTER_BUTTON"]
    consent = block.locator(".newsletter__consent")
    assert consent.inner_text() == NEWSLETTER["NEWSLETTER_CONSENT"]
    email = block.locator("input[type=email]")
    assert email.get_attribute("aria-describedby") == consent.get_attribute("id")
    context.close()


def test_the_newsletter_defaults_are_translated(content, english, tmp_path):
    page = (english / "artikel-5" / "index.html").read_text()
    assert '<h2 id="nieuwsbrief-titel">Newsletter</h2>' in page
    assert ">Subscribe</button>" in page
    assert "Your address is used for this newsletter only" in page
    nl = build(
        tmp_path / "nl",
        content=content,
        overrides={**SITE, "NEWSLETTER_ACTION": NEWSLETTER["NEWSLETTER_ACTION"], **EMPTY_WORDS},
    )
    dutch = (nl / "artikel-5" / "index.html").read_text()
    assert '<h2 id="nieuwsbrief-titel">Nieuwsbrief</h2>' in dutch and ">Aanmelden</button>" in dutch
    assert "Je adres wordt alleen voor deze nieuwsbrief gebruikt" in dutch


# --- the page's language -----------------------------------------------------------------------
def test_the_text_keeps_its_language_under_an_english_interface(english):
    article = (english / "artikel-5" / "index.html").read_text()
    assert article.startswith('<!doctype html>\n<html lang="nl">')
    assert '<header class="site-header" lang="en">' in article  # the interface says so
    assert '<footer class="site-footer" lang="en">' in article
    assert '<p class="byline" lang="en">' in article
    own = (english / "artikel-10" / "index.html").read_text()  # Lang: en
    assert own.startswith('<!doctype html>\n<html lang="en">')
    assert '<header class="site-header">' in own  # the same language: nothing to mark
    assert (english / "index.html").read_text().startswith('<!doctype html>\n<html lang="nl">')
    feed = (english / "podcast" / fixture_site.PODCAST / "feed.xml").read_text()
    assert "<language>nl</language>" in feed
    assert re.search(r'<podcast:transcript [^>]*language="nl"', feed), feed[:3000]
    assert "<language>nl</language>" in (english / "feeds" / "alles.rss.xml").read_text()
    assert 'xml:lang="nl"' in (english / "feeds" / "alles.atom.xml").read_text()
    assert '<meta property="og:locale" content="nl_NL">' in article


def test_every_page_is_valid_html(site, english):
    for output in (site["output"], english):
        found = nu_errors(html_pages(output), relative_to=output)
        assert not found, "\n".join(found)


# --- the rating widget -------------------------------------------------------------------------
def test_a_service_that_is_down_gets_a_sentence_not_a_form(browser, site, page_watch):
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = page_watch.attach(context.new_page())
    page.goto(f"{site['url']}/artikel-5/")
    status = page.locator("[data-rating-status]")
    status.filter(
        has_text="Stemmen kan nu niet: de beoordelingsdienst is niet bereikbaar"
    ).wait_for()
    assert page.locator(".rating__form").is_hidden()
    context.close()


def test_no_service_configured_means_no_form(content, tmp_path):
    # Baked scores (the service's store is read directly) but no service to vote at.
    store = tmp_path / "ratings.sqlite3"
    from reader_service.backends import open_store

    open_store(str(store)).close()
    output = build(
        tmp_path / "output",
        content=content,
        overrides={**SITE, "RATINGS_SERVICE_URL": "", "RATINGS_STORE": str(store)},
    )
    page = (output / "artikel-5" / "index.html").read_text()
    widget = page.split('<section class="rating"', 1)[1].split("</section>", 1)[0]
    assert "Nog geen stemmen" in widget and "<form" not in widget
    assert "data-rating-service" not in page
    # Neither a score nor a service (invoke preview): no empty box, the JSON-LD stays.
    bare = build(tmp_path / "bare", content=content, overrides={**SITE, "RATINGS_SERVICE_URL": ""})
    page = (bare / "artikel-5" / "index.html").read_text()
    assert '<section class="rating"' not in page and "application/ld+json" in page


def test_after_a_vote_the_reader_sees_their_stars_and_the_new_average(
    browser, content, tmp_path, page_watch
):
    output = tmp_path / "output"
    site = serve_in_background(output)
    site_url = url_of(site).rstrip("/")
    database = str(tmp_path / "ratings.sqlite3")
    service = ServiceThread(
        Settings(
            database=database,
            secret="author-reader-secret-0123",
            manifest=str(output / "ratings" / "manifest.json"),
            site_origin=[site_url],
        )
    )
    try:
        service.store.add_vote("artikel-5", 5, "seed-1", 1_700_000_000)
        service.store.add_vote("artikel-5", 3, "seed-2", 1_700_000_001)
        build(
            output,
            content=content,
            overrides={**SITE, "RATINGS_SERVICE_URL": service.url, "RATINGS_STORE": database},
        )
        service.wait_for_item("artikel-5")
        context = browser.new_context(viewport={"width": 390, "height": 900})
        page = page_watch.attach(context.new_page())
        page.goto(f"{site_url}/artikel-5/")
        average = page.locator(".rating__average .rating__meter > span")
        assert average.get_attribute("style") == "width:80.0%"  # baked: (5 + 3) / 2 = 4 stars
        page.locator(".rating__star").nth(1).click()  # two stars
        page.locator(".rating__submit").click()
        page.locator("[data-rating-status]", has_text="Bedankt voor je stem").wait_for()
        mine = page.locator(".rating__mine")
        assert mine.is_visible() and "Jouw stem" in mine.inner_text()
        assert mine.locator(".rating__meter > span").get_attribute("style") == "width: 40%;"
        assert page.locator(".rating__form").is_hidden()  # no form that looks unanswered
        # (5 + 3 + 2) / 3 = 3.33 stars = 66.7 %
        assert average.get_attribute("style") == "width: 66.7%;"
        page.reload()
        page.locator("[data-rating-status]", has_text="Je gaf dit 2 sterren").wait_for()
        assert mine.is_visible() and page.locator(".rating__form").is_hidden()
        assert page_watch.console_errors == []
        context.close()
    finally:
        service.stop()
        site.shutdown()
