"""The rating widget in a real browser (Debian's Chromium), against the real service on loopback:
keyboard voting with JavaScript, the vote remembered after a reload, and the plain form post
with JavaScript disabled."""

from __future__ import annotations

import pytest

from reader_service.backends import open_store
from reader_service.config import Settings
from schitter.devserver import serve_in_background, url_of
from tests.reader_service_support import ServiceThread, make_content
from tests.sitecheck import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rated_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ratings-browser")
    output = folder / "output"
    database = str(folder / "ratings.sqlite3")
    store = open_store(database)
    store.add_vote("welkom", 5, "seed-1", 1_700_000_000)
    store.add_vote("welkom", 3, "seed-2", 1_700_000_001)
    store.close()
    site = serve_in_background(output)
    site_url = url_of(site).rstrip("/")
    service = ServiceThread(
        Settings(
            database=database,
            secret="browser-test-secret-0123",
            manifest=str(output / "ratings" / "manifest.json"),
            site_origin=[site_url],
        )
    )
    build(
        output,
        content=make_content(folder / "content"),
        overrides={"RATINGS_SERVICE_URL": service.url, "RATINGS_STORE": database},
        # The site's address, as `invoke serve` gives it: the service's answer page (served
        # from the service's address) may load the site's stylesheet (its CSP names the site).
        env={"SCHITTER_DEV_URL": site_url},
    )
    service.wait_for_item("welkom")
    yield {"site": site_url, "service": service}
    service.stop()
    site.shutdown()


def local_only(requests: list[str]) -> bool:
    return all(url.startswith(("http://127.0.0.1:", "data:")) for url in requests)


def test_keyboard_vote_updates_score_and_is_remembered(browser, rated_site, page_watch):
    context = browser.new_context()
    page = page_watch.attach(context.new_page())
    page.goto(f"{rated_site['site']}/welkom/")
    score = page.locator("[data-rating-score]")
    assert score.inner_text() == "Gemiddeld 4,0 van 5 · 2 stemmen"  # baked
    page.locator('input[name="score"][value="1"]').focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.locator('input[name="score"]:checked').get_attribute("value") == "4"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "rating__submit"
    page.keyboard.press("Enter")
    status = page.locator("[data-rating-status]")
    status.filter(has_text="Bedankt voor je stem").wait_for()
    assert score.inner_text() == "Gemiddeld 4,0 van 5 · 3 stemmen"
    four = page.locator('.rating__spread li[data-stars="4"] .rating__spread-count')
    assert four.text_content() == "1"  # inside the closed <details>
    scores = rated_site["service"].store.scores()
    assert (scores["welkom"].count, scores["welkom"].total) == (3, 12)

    page.reload()
    status.filter(has_text="Je gaf dit 4 sterren").wait_for()
    assert "rating--voted" in page.locator("#beoordeling").get_attribute("class")
    assert page.locator('input[name="score"]:checked').get_attribute("value") == "4"
    # The live score (fetched after load) replaces the stale baked one.
    page.locator("[data-rating-score]", has_text="3 stemmen").wait_for()
    assert page_watch.console_errors == []
    assert local_only(page_watch.requests)
    context.close()


def meter_fraction(locator) -> float:
    """How much of a star meter is filled (the coloured stars over the grey ones)."""
    return locator.evaluate(
        "m => m.firstElementChild.getBoundingClientRect().width / m.getBoundingClientRect().width"
    )


def test_vote_without_javascript(browser, rated_site, page_watch, tmp_path):
    from tests.nu_checker import nu_errors

    site, service = rated_site["site"], rated_site["service"]
    context = browser.new_context(java_script_enabled=False)
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/aflevering-1/")
    assert not page.locator("#bedankt").is_visible()
    page.locator("label.rating__star").nth(3).click()  # "4 sterren"
    page.get_by_role("button", name="Stem versturen").click()
    # The service answers with a page of its own: the reader's stars and the new average.
    page.wait_for_url(f"{service.url}/votes/aflevering-1/answer?stars=4")
    assert page.get_by_role("heading", level=1).inner_text() == "Bedankt voor je stem"
    assert page.locator(".rating__item").inner_text() == "Aflevering 1: Beginnen"
    mine = page.locator(".rating__mine .rating__meter")
    assert mine.get_attribute("aria-label") == "4 sterren" and mine.is_visible()
    assert abs(meter_fraction(mine) - 0.8) < 0.02
    average = page.locator(".rating__average .rating__meter")
    assert average.get_attribute("aria-label") == "Gemiddeld 4,0 van 5"
    assert abs(meter_fraction(average) - 0.8) < 0.02
    assert page.locator(".rating__score").inner_text() == "Gemiddeld 4,0 van 5 · 1 stem"
    # In the site's look: its stylesheet, from the site (the stars are drawn by it).
    assert f"{site}/theme/css/site.css" in page_watch.requests
    assert page.evaluate("getComputedStyle(document.querySelector('.rating__meter')).fontSize")
    assert mine.evaluate("m => getComputedStyle(m, '::before').content") == '"★★★★★"'
    back = page.get_by_role("link", name="Terug naar de pagina")
    assert back.get_attribute("href") == f"{site}/aflevering-1/"
    scores = service.store.scores()
    assert (scores["aflevering-1"].count, scores["aflevering-1"].total) == (1, 4)
    page.reload()  # a reload shows the page again and votes nothing
    assert service.store.scores()["aflevering-1"].count == 1
    served = tmp_path / "answer.html"
    served.write_bytes(page.request.get(page.url).body())
    assert nu_errors([served]) == []
    back.click()
    page.wait_for_url(f"{site}/aflevering-1/")

    # A second form post of the same reader: "already rated", with the average as it is.
    page.locator("label.rating__star").nth(0).click()
    page.get_by_role("button", name="Stem versturen").click()
    page.wait_for_url(f"{service.url}/votes/aflevering-1/answer?already=1")
    assert page.get_by_role("heading", level=1).inner_text() == "Je hebt dit al beoordeeld."
    assert not page.locator(".rating__mine").is_visible()
    assert page.locator(".rating__score").inner_text() == "Gemiddeld 4,0 van 5 · 1 stem"
    assert service.store.scores()["aflevering-1"].total == 4
    assert page_watch.console_errors == []  # the page's Content-Security-Policy holds
    assert local_only(page_watch.requests)
    context.close()


def test_widget_is_accessible(browser, rated_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{rated_site['site']}/les-1-het-fundament/")
    group = page.get_by_role("group", name="Beoordeel deze les")
    for label in ("1 ster", "2 sterren", "3 sterren", "4 sterren", "5 sterren"):
        assert group.get_by_role("radio", name=label, exact=True).count() == 1
    radio = page.locator('input[name="score"][value="3"]')
    radio.focus()
    outline = page.evaluate(
        "getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    )
    assert outline == "solid"  # visible focus on the star
    page.keyboard.press("ArrowRight")  # 4 stars chosen: the first four are filled
    page.mouse.move(0, 0)
    fills = page.eval_on_selector_all(
        ".rating__star svg", "svgs => svgs.map(s => getComputedStyle(s).fill)"
    )
    assert len(set(fills[:4])) == 1 and fills[0] != fills[4]
    assert fills[4] == "rgba(0, 0, 0, 0)"
    page.locator("label.rating__star").nth(1).hover()  # hovering 2 stars previews two
    fills = page.eval_on_selector_all(
        ".rating__star svg", "svgs => svgs.map(s => getComputedStyle(s).fill)"
    )
    assert fills[2] == "rgba(0, 0, 0, 0)" and fills[1] == fills[0] != fills[2]
    context.close()
