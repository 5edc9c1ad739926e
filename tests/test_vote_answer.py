"""The answer to a vote sent without JavaScript (issue 13): the build puts the page and its
sentences into the ratings manifest in the site's language; the service fills in the reader's
stars, the new average and the count (the browser test: test_ratings_browser.py)."""

from __future__ import annotations

import json

import pytest

from reader_service.config import Settings
from reader_service.score import Score
from reader_service.vote_answer import answer_page, usable
from tests.reader_service_support import SITE_ORIGIN, ServiceThread, make_content, request
from tests.sitecheck import build

SERVICE = "http://127.0.0.1:8001"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The ratings manifest of a Dutch and an English build with a service to vote at."""
    root = tmp_path_factory.mktemp("vote-answer")
    content = make_content(root / "content")
    sites = {}
    for lang in ("nl", "en"):
        sites[lang] = build(
            root / lang,
            content=content,
            overrides={"RATINGS_SERVICE_URL": SERVICE, "DEFAULT_LANG": lang},
        )
    return sites


def answer_of(site) -> dict:
    return json.loads((site / "ratings" / "manifest.json").read_text())["answer"]


def test_the_build_says_the_numbers_in_the_interface_language(built):
    nl, en = answer_of(built["nl"]), answer_of(built["en"])
    assert usable(nl) and usable(en)
    assert (nl["thanks"], en["thanks"]) == ("Bedankt voor je stem", "Thank you for your vote")
    assert nl["stars"] == ["1 ster", "2 sterren", "3 sterren", "4 sterren", "5 sterren"]
    assert (nl["votes_one"], nl["votes_other"]) == ("{n} stem", "{n} stemmen")
    assert (nl["decimal"], nl["group"], en["decimal"], en["group"]) == (",", ".", ".", ",")
    assert "Terug naar de pagina" in nl["page"] and "Back to the page" in en["page"]
    assert '<html lang="nl">' in nl["page"] and 'href="/theme/css/site.css"' in nl["page"]


def test_no_service_no_answer(tmp_path):
    site = build(tmp_path / "out", content=make_content(tmp_path / "content"))
    assert "answer" not in json.loads((site / "ratings" / "manifest.json").read_text())


def test_the_page_is_filled_and_escaped(built):
    en = answer_of(built["en"])
    score = Score(count=1234, total=5430)  # 4.4
    page = answer_page(en, "Tom & <Jerry>", "https://x.example/a/", score, 3, SITE_ORIGIN).decode()
    assert "SCHITTERVOTE" not in page
    assert '<h1 class="rating__title" id="beoordeling-titel">Thank you for your vote</h1>' in page
    assert "Tom &amp; &lt;Jerry&gt;" in page and "<Jerry>" not in page
    assert 'aria-label="3 stars"' in page and 'style="width:60%"' in page
    assert "Average 4.4 of 5 · 1,234 votes" in page and 'style="width:88.0%"' in page
    assert f'href="{SITE_ORIGIN}/theme/css/site.css"' in page  # the site's look, from the site
    already = answer_page(en, "A", "/a/", Score(count=1, total=5), None, SITE_ORIGIN).decode()
    assert "You have already rated this." in already and 'class="rating__mine" hidden' in already
    assert "Average 5.0 of 5 · 1 vote" in already
    assert not usable({"page": "x"}) and not usable(None)


def test_the_service_answers_a_form_post_with_the_page(built, tmp_path):
    manifest = built["nl"] / "ratings" / "manifest.json"
    service = ServiceThread(
        Settings(
            database=str(tmp_path / "r.sqlite3"),
            secret="answer-test-secret-0123456",
            manifest=str(manifest),
            site_origin=[SITE_ORIGIN],
            access_log=False,
        )
    )
    try:
        post = {**FORM, "Referer": SITE_ORIGIN + "/welkom/"}
        status, headers, _ = request(
            "POST", f"{service.url}/votes", "item=welkom&score=4", headers=post, origin=None
        )
        # Relative to the address posted to: right behind a proxy's path prefix too.
        assert (status, headers["location"]) == (303, "votes/welkom/answer?stars=4")
        status, headers, page = request(
            "GET", f"{service.url}/votes/welkom/answer?stars=4", origin=None
        )
        text = page.decode()
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert headers["cache-control"] == "private, no-store"
        assert "Bedankt voor je stem" in text and 'aria-label="4 sterren"' in text
        assert "Gemiddeld 4,0 van 5 · 1 stem" in text
        assert f'href="{SITE_ORIGIN}/welkom/"' in text
        status, headers, _ = request(
            "POST", f"{service.url}/votes", "item=welkom&score=1", headers=post, origin=None
        )
        assert headers["location"] == "votes/welkom/answer?already=1"
        status, _, page = request("GET", f"{service.url}/votes/welkom/answer?already=1")
        assert "Je hebt dit al beoordeeld." in page.decode() and "4,0 van 5" in page.decode()
        # A refused vote goes back to the form, whose notice says what to do.
        status, headers, _ = request(
            "POST", f"{service.url}/votes", "item=welkom&score=9", headers=post, origin=None
        )
        assert headers["location"] == f"{SITE_ORIGIN}/welkom/#stem-mislukt"
        assert request("GET", f"{service.url}/votes/bestaat-niet/answer")[0] == 404
    finally:
        service.stop()
