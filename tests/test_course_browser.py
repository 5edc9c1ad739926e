"""The course sign-up in a real browser (Debian's Chromium): without JavaScript the form's
answer page shows the personal feed; with JavaScript the same answer replaces the form. The
signup block under every page (NEWSLETTER_COURSE, as in the demo) signs up for the course too."""

from __future__ import annotations

import pytest

from reader_service.config import Settings
from schitter.devserver import serve_in_background, url_of
from tests.course_site import COURSE, Clock, CourseService, make_course_site
from tests.reader_service_support import write_manifest
from tests.sitecheck import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """The site on one loopback port, the service on another: the site is built for them."""
    root = tmp_path_factory.mktemp("course-browser")
    output = root / "output"
    output.mkdir()
    site = serve_in_background(output)
    settings = Settings(
        database=str(root / "reader.sqlite3"),
        secret="b" * 32,
        manifest=str(write_manifest(root / "manifest.json", [])),
        courses=str(output / "podcast"),
        site_origin=[url_of(site)],
        access_log=False,
    )
    service = CourseService(settings, Clock(1_780_000_000))
    content, overrides = make_course_site(root, service_url=service.url)
    overrides["SITEURL"] = url_of(site)
    overrides["NEWSLETTER_COURSE"] = COURSE  # the block under every page signs up for it
    build(output, content=content, overrides=overrides)
    yield url_of(site), service
    service.stop()
    site.shutdown()


def check_answer(page, service) -> str:
    feed_url = page.locator("#course-feed-url").input_value()
    assert feed_url.startswith(f"{service.url}/course/") and feed_url.endswith("/feed.xml")
    token = feed_url.split("/")[-2]
    assert len(token) == 43
    answer = page.locator("#course-answer")
    apple = answer.get_by_role("link", name="Apple Podcasts").get_attribute("href")
    assert apple == "podcast://" + feed_url.split("://", 1)[1]
    rss = answer.locator("a[type='application/rss+xml']").get_attribute("href")
    assert rss == feed_url
    return feed_url


def test_sign_up_without_javascript(browser, page_watch, running):
    site, service = running
    context = browser.new_context(java_script_enabled=False)
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/podcast/{COURSE}/")
    page.locator("#course-consent").check()
    page.get_by_role("button", name="Ontvang mijn persoonlijke feed").click()
    page.wait_for_url(f"{service.url}/course/*/")
    feed_url = check_answer(page, service)
    # the feed URL answers with the course feed: lesson 1 and the welcome
    response = page.request.get(feed_url)
    assert response.status == 200 and response.body().count(b"<enclosure") == 1
    # the answer page looks like the site: its style sheet comes from the site
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
    assert any(r.startswith(f"{site}/theme/css/") for r in page_watch.requests)
    assert page_watch.console_errors == []
    context.close()


def test_sign_up_with_javascript_answers_in_place(browser, page_watch, running):
    site, service = running
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/podcast/{COURSE}/")
    page.locator("#course-email").fill("lezer@example.org")
    page.locator("#course-consent").check()
    page.get_by_role("button", name="Ontvang mijn persoonlijke feed").click()
    page.locator("#course-answer").wait_for()
    assert page.url == f"{site}/podcast/{COURSE}/"  # in place
    assert page.locator("[data-course-signup]").count() == 0
    feed_url = check_answer(page, service)
    copy = page.locator("#course-answer button[data-copy]")
    assert copy.is_visible()
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    assert page_watch.console_errors == []
    assert all(r.startswith((site, service.url)) for r in page_watch.requests)
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_the_signup_block_under_a_lesson_signs_up_for_the_course(
    browser, page_watch, running, javascript
):
    site, service = running
    from reader_service import course_store

    before = len(course_store.subscribers(service.service.store))
    context = browser.new_context(java_script_enabled=javascript)
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/les-2/")
    block = page.locator(".newsletter")
    email = f"lezer-{'js' if javascript else 'nojs'}@example.org"
    block.get_by_label("E-mailadres", exact=True).fill(email)
    block.get_by_role("button", name="Stuur me de eerste les").click()
    # The consent tick is asked for by the browser before anything is sent.
    assert page.url == f"{site}/les-2/"
    block.locator("input[name=consent]").check()
    block.get_by_role("button", name="Stuur me de eerste les").click()
    page.wait_for_url(f"{service.url}/course/*/")
    feed_url = check_answer(page, service)
    assert page.request.get(feed_url).body().count(b"<enclosure") == 1  # lesson 1, today
    subscribers = course_store.subscribers(service.service.store)
    assert len(subscribers) == before + 1
    assert [s.show for s in subscribers if s.email == email] == [COURSE]
    assert page_watch.console_errors == []
    context.close()
