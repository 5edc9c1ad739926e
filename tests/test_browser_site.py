"""The generated test site in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests import fixture_site

pytestmark = pytest.mark.browser


ARTICLE_PATH = f"/{fixture_site.LONG_ARTICLE.slug}/"
LESSON_PATH = f"/{fixture_site.LESSONS[0].slug}/"


def assert_only_loopback(requests: list[str]):
    foreign = [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob")
        and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
    ]
    assert not foreign, f"requests left 127.0.0.1: {foreign}"


@pytest.mark.parametrize("which", ["home", "article", "lesson"])
def test_page_loads_cleanly_and_only_from_loopback(browser, site_url, page_watch, which):
    path = {"home": "/", "article": ARTICLE_PATH, "lesson": LESSON_PATH}[which]
    page = page_watch.attach(browser.new_page())
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response.status == 200
    assert page.locator("main h1").first.is_visible()
    assert page_watch.console_errors == []
    assert_only_loopback(page_watch.requests)
    page.close()


def test_lesson_audio_is_playable(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + LESSON_PATH)
    audio = page.locator("audio").first
    # Metadata loaded: the browser decoded the MP3 header and knows the duration.
    page.wait_for_function("() => document.querySelector('audio').readyState >= 1", timeout=15000)
    duration = audio.evaluate("a => a.duration")
    assert abs(duration - fixture_site.LESSONS[0].seconds) < 0.5
    assert audio.evaluate("a => a.error") is None
    page.close()


def test_mobile_layout_does_not_overflow(browser, site_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    for path in ("/", ARTICLE_PATH, LESSON_PATH, "/archief/"):
        page.goto(site_url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 390, f"{path} is {scroll_width}px wide at a 390px viewport"
    context.close()


def test_pages_work_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + ARTICLE_PATH)
    assert page.locator("article .prose p").first.is_visible()
    page.goto(site_url + "/")
    page.get_by_role("link", name="Archief").first.click()
    assert page.url.endswith("/archief/")
    context.close()


def test_skip_link_is_first_and_moves_focus_to_main(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Naar de inhoud"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"
    page.close()


def test_unknown_url_gets_the_dutch_404_page(browser, site_url):
    page = browser.new_page()
    response = page.goto(site_url + "/bestaat-niet/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Pagina niet gevonden"
    page.close()
