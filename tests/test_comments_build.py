"""Comments baked into the static pages by a real build (the pelican CLI) from a real store:
threads, replies, permalinks, the form with its question, JSON-LD, the comments manifest,
`Comments: off`, closing after N days, comments kept under the stable id, no e-mail address
anywhere in the output, the hostile corpus inert, and the Content-Security-Policy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from reader_service import comments_store
from reader_service.backends import open_store
from reader_service.comments import Submission, render
from tests.nu_checker import nu_errors
from tests.reader_service_support import make_content
from tests.sitecheck import build

HOSTILE_NAME = '"><img src=x onerror=alert(window.__pwned=1)>\u202e'
HOSTILE_BODY = "<script>alert(window.__pwned=1)</script> [x](javascript:alert(1)) ]]> </script>"
HOSTILE_SITE = 'https://e.nl/"><script>alert(1)</script>'
SECRET = "build-test-secret-0123456789"
EXTRA = {
    "articles/stil.md": "Title: Stil\nDate: 2026-01-09 10:00\nSlug: stil\nComments: off\n\nT.\n",
    "articles/oud.md": "Title: Oud\nDate: 2001-01-01 10:00\nSlug: oud\n\nTekst.\n",
}


def seed(
    database: str,
    item: str,
    name: str,
    body: str,
    *,
    email="",
    website="",
    parent=None,
    approve=True,
    when=1_767_000_000,
):
    store = open_store(database)
    try:
        comment = comments_store.add_comment(
            store,
            Submission(item, name, email, website, body, parent, bool(email)),
            render(body),
            "network",
            when,
            False,
        )
        if approve:
            comments_store.set_status(store, comment.id, "approved", when + 60)
        return comment.id
    finally:
        store.close()


def build_with_comments(folder: Path, database: str, **overrides) -> Path:
    content = make_content(folder / "content")
    for name, text in EXTRA.items():
        (content / name).write_text(text, encoding="utf-8")
    secret = folder / "secret"
    secret.write_text(SECRET)
    return build(
        folder / "output",
        content=content,
        overrides={
            "COMMENTS_STORE": database,
            "COMMENTS_SECRET_FILE": str(secret),
            "COMMENTS_SERVICE_URL": "http://127.0.0.1:8001",
            **overrides,
        },
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("comments-build")
    database = str(folder / "store.sqlite3")
    first = seed(
        database,
        "welkom",
        "Anna",
        "Eerste **reactie**",
        email="anna@example.nl",
        website="https://anna.example",
    )
    seed(
        database,
        "welkom",
        "Bob",
        "Een antwoord",
        email="bob@example.nl",
        parent=first,
        when=1_767_000_100,
    )
    seed(database, "welkom", HOSTILE_NAME, HOSTILE_BODY, website=HOSTILE_SITE, when=1_767_000_200)
    seed(
        database,
        "welkom",
        "Wachtend",
        "Nog niet goedgekeurd",
        email="wacht@example.nl",
        approve=False,
    )
    seed(database, "oude-naam", "Carla", "Onder het oude id", email="carla@example.nl")
    output = build_with_comments(folder, database, COMMENTS_CLOSE_AFTER_DAYS=365)
    return {"output": output, "first": first}


def page(output: Path, slug: str):
    return lxml.html.fromstring((output / slug / "index.html").read_bytes())


def test_thread_with_reply_author_date_and_permalink(site):
    tree = page(site["output"], "welkom")
    [section] = tree.xpath('//section[@id="reacties"]')
    assert section.xpath("string(.//h2)") == "3 reacties"
    top = section.xpath("./ol[@class='comments__list']/li")
    assert len(top) == 2  # Anna (with Bob's reply) and the hostile one
    anna = top[0].xpath("./article")[0]
    assert anna.get("id") == f"reactie-{site['first']}"
    assert anna.xpath('string(.//a[@rel="nofollow ugc noopener"]/@href)') == "https://anna.example"
    assert anna.xpath("string(.//time/@datetime)").startswith("2025-12-29T")
    assert anna.xpath('string(.//a[@class="comment__permalink"]/@href)') == f"#{anna.get('id')}"
    assert anna.xpath("string(.//div[@class='comment__text'])") == "Eerste reactie"
    [reply] = top[0].xpath("./ol[@class='comments__replies']/li/article")
    assert "Bob" in reply.xpath("string(.)")
    assert "Nog niet goedgekeurd" not in (site["output"] / "welkom" / "index.html").read_text()


def test_form_posts_to_the_service_with_a_question_in_words(site):
    tree = page(site["output"], "welkom")
    [form] = tree.xpath("//form[@id='reageren']")
    assert form.get("action") == "http://127.0.0.1:8001/comments"
    assert form.get("method") == "post"
    names = {field.get("name") for field in form.xpath(".//input|.//textarea|.//select")}
    assert names >= {
        "item",
        "period",
        "token",
        "name",
        "email",
        "website",
        "body",
        "parent",
        "notify",
        "homepage",
        "answer",
    }
    question = form.xpath("string(.//*[@data-comments-question])")
    assert re.fullmatch(
        r"(nul|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien) [−+] … = \d+", question
    ), question
    options = form.xpath(".//select[@name='parent']/option/@value")
    assert options[0] == "" and str(site["first"]) in options
    assert tree.xpath('string(//*[@id="reactie-ontvangen"])') == (
        "Bedankt! Je reactie verschijnt na goedkeuring."
    )


def test_comments_are_kept_under_the_stable_id(site):
    text = (site["output"] / "nieuwe-naam" / "index.html").read_text()
    assert "Onder het oude id" in text  # slug changed, Rating-Id: oude-naam kept the thread


def test_comments_off_and_closed_items(site):
    assert not page(site["output"], "stil").xpath('//section[@id="reacties"]')
    old = page(site["output"], "oud")
    assert old.xpath('//section[@id="reacties"]') and not old.xpath("//form[@id='reageren']")
    assert old.xpath('string(//p[@class="comments__closed"])') == "De reacties zijn gesloten."
    manifest = json.loads((site["output"] / "comments" / "manifest.json").read_text())
    items = {item["id"]: item for item in manifest["items"]}
    assert "stil" not in items
    assert items["welkom"]["url"] == "/welkom/"
    assert items["oud"]["closes_at"] < items["welkom"]["closes_at"]


def test_no_email_address_anywhere_in_the_output(site):
    for path in site["output"].rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt"):
            text = path.read_text(errors="replace")
            assert "@example.nl" not in text, path


def test_hostile_comment_is_inert_in_the_page(site):
    tree = page(site["output"], "welkom")
    scripts = tree.xpath("//script")
    assert all(s.get("type") == "application/ld+json" or s.get("src") for s in scripts)
    for element in tree.iter():
        for attribute in element.attrib:
            assert not attribute.lower().startswith("on"), (element.tag, attribute)
    assert not tree.xpath("//section[@id='reacties']//img")
    hrefs = tree.xpath("//section[@id='reacties']//a/@href")
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    hostile = tree.xpath("//article[contains(@class,'comment')]")[-1]
    assert HOSTILE_NAME.rstrip("\u202e") in hostile.xpath("string(.//bdi)")
    # A website that is no clean http(s) address (the service refuses those) is no link.
    assert not hostile.xpath(".//a[@rel='nofollow ugc noopener']")


def test_json_ld_comments_and_count(site):
    tree = page(site["output"], "welkom")
    blocks = [json.loads(s.text) for s in tree.xpath('//script[@type="application/ld+json"]')]
    [comments] = blocks  # one node per item: the ratings' type, the comments' count
    assert comments["commentCount"] == 3
    assert comments["@id"].endswith("/welkom/")
    assert comments["@type"] == "BlogPosting"
    first = comments["comment"][0]
    assert first["@type"] == "Comment" and first["author"]["name"] == "Anna"
    assert first["comment"][0]["author"]["name"] == "Bob"
    raw = (site["output"] / "welkom" / "index.html").read_text()
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S):
        assert "<" not in block  # </script> cannot end the data early


def test_every_page_carries_the_content_security_policy(site):
    for path in site["output"].rglob("*.html"):
        tree = lxml.html.fromstring(path.read_bytes())
        [policy] = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
        scripts = policy.split("script-src")[1].split(";")[0].split()
        assert scripts == ["'self'", "http://127.0.0.1:8000"], path  # the site, nothing else
        assert "'unsafe-inline'" not in scripts
        assert "connect-src 'self' http://127.0.0.1:8001" in policy


def test_pages_with_comments_have_no_nu_html_checker_errors(site):
    pages = [site["output"] / slug / "index.html" for slug in ("welkom", "nieuwe-naam", "oud")]
    assert nu_errors(pages) == []


def test_comments_stay_out_of_the_feeds(site):
    """Feeds carry the articles; no comment (hostile or not) reaches a feed reader's parser."""
    import feedparser

    feeds = list((site["output"] / "feeds").rglob("*.xml"))
    assert feeds
    for feed in feeds:
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        text = feed.read_text()
        for comment_text in ("Eerste", "Een antwoord", "onerror", "javascript:alert"):
            assert comment_text not in text, (feed, comment_text)


def test_comments_switched_off_site_wide(tmp_path):
    database = str(tmp_path / "store.sqlite3")
    seed(database, "welkom", "Anna", "Verborgen")
    output = build_with_comments(tmp_path, database, COMMENTS_ENABLED=False)
    assert 'id="reacties"' not in (output / "welkom" / "index.html").read_text()
    assert not (output / "comments" / "manifest.json").exists()
