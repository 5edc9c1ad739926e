"""The episode page in a real browser: the player plays the lesson, chapters seek the player."""

from __future__ import annotations

import pytest

from schitter.devserver import serve_in_background, url_of
from tests import fixture_site
from tests.podcast_site import make_site
from tests.sitecheck import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def podcast_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("podcast-browser")
    content, overrides = make_site(root, seconds=12)
    output = build(root / "output", content=content, overrides=overrides)
    server = serve_in_background(output)
    yield url_of(server)
    server.shutdown()


def open_lesson(browser, page_watch, url):
    page = page_watch.attach(browser.new_page())
    page.goto(f"{url}/les-1/")
    page.wait_for_function("() => document.querySelector('audio.player__audio').readyState >= 1")
    return page


def test_player_plays_the_lesson(browser, page_watch, podcast_url):
    page = open_lesson(browser, page_watch, podcast_url)
    duration = page.evaluate("document.querySelector('audio').duration")
    assert abs(duration - 12) < 0.5
    page.evaluate("document.querySelector('audio').play()")
    page.wait_for_function("() => document.querySelector('audio').currentTime > 1", timeout=10000)
    assert not page.evaluate("document.querySelector('audio').paused")
    assert page_watch.console_errors == []
    assert all(r.startswith(podcast_url) for r in page_watch.requests)  # no third party
    page.close()


def test_clicking_a_chapter_seeks_the_player(browser, page_watch, podcast_url):
    page = open_lesson(browser, page_watch, podcast_url)
    url_before = page.url
    page.get_by_role("link", name="Huiswerk").click()
    page.wait_for_function(
        "() => document.querySelector('audio').currentTime >= 4.5", timeout=10000
    )
    assert page.url == url_before  # seeking, not navigating to the MP3
    time = page.evaluate("document.querySelector('audio').currentTime")
    assert 4.5 <= time < 7
    page.wait_for_function("() => !document.querySelector('audio').paused")
    # a transcript timestamp seeks as well
    page.locator("details.transcript summary").click()
    page.locator("details.transcript a[data-seek='2.0']").click()
    page.wait_for_function(
        "() => (t => t >= 2 && t < 4)(document.querySelector('audio').currentTime)", timeout=10000
    )
    assert page_watch.console_errors == []
    page.close()


def test_chapter_link_works_without_javascript(browser, podcast_url):
    """Without JS the chapter link is a media fragment on the audio URL."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{podcast_url}/les-1/")
    href = page.get_by_role("link", name="Het doel").get_attribute("href")
    assert href == "/audio/les-1.mp3#t=2"
    assert page.get_by_role("button", name="Kopiëren").count() == 0  # hidden without JS
    response = page.request.get(podcast_url + href.split("#")[0])
    assert response.ok and response.headers["content-type"] == "audio/mpeg"
    context.close()


def test_copy_button_copies_the_feed_address(browser, podcast_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{podcast_url}/podcast/cursus-test/")
    button = page.get_by_role("button", name="Kopiëren")
    button.click()
    page.wait_for_function(
        "() => document.querySelector('button[data-copy]').textContent === 'Gekopieerd'"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "http://127.0.0.1:8000/podcast/cursus-test/feed.xml"
    context.close()


def test_site_lesson_plays_and_its_chapters_seek(browser, page_watch, site_url):
    page = page_watch.attach(browser.new_page())
    page.goto(f"{site_url}/{fixture_site.LESSONS[0].slug}/")
    page.wait_for_function("() => document.querySelector('audio.player__audio').readyState >= 1")
    links = page.locator(".chapters a[data-seek]")
    assert links.count() == len(fixture_site.CHAPTERS)
    second = links.nth(1)
    start = float(second.get_attribute("data-seek"))
    second.click()
    page.wait_for_function(
        f"() => document.querySelector('audio').currentTime >= {start} && "
        "!document.querySelector('audio').paused",
        timeout=10000,
    )
    page.wait_for_function(
        f"() => document.querySelector('audio').currentTime > {start} + 0.5", timeout=10000
    )
    assert page.locator(f"text=Les 1 van {fixture_site.COURSE_LENGTH}").count() == 1
    assert page_watch.console_errors == []
    assert all(r.startswith(site_url) for r in page_watch.requests)
    page.close()
