"""Search (issue 18): Pagefind over the built site, Dutch word forms, loaded only on use.

A fixture site of Dutch articles is built for real; Pagefind's own binary (the pinned
``pagefind-bin``) indexes it; Debian's Chromium searches it over loopback.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plugins.search.documents import digest, main_language, search_page
from schitter.devserver import serve_in_background, url_of
from tests import fixture_site
from tests.sitecheck import parse_page, run_pelican

ARTICLES = {
    "verhalen.md": """Title: Verhalen van leden
Date: 2026-02-01 09:00
Slug: verhalen-van-leden
Summary: Waarom je leden hun verhalen laat vertellen.

De verhalen van je leden zijn het beste bewijs dat je community werkt. Vraag leden om hun
verhalen te delen: in een draad, in een nieuwsbrief, op een bijeenkomst. Verhalen blijven hangen.
""",
    "huisregels.md": """Title: Huisregels die mensen lezen
Date: 2026-01-10 09:00
Slug: huisregels

Huisregels werken als ze kort zijn. Schrijf ze samen met je leden, en leg uit waarom elke
regel bestaat. Lange lijsten met verboden leest niemand; een paar verhalen over wat goed ging
wel.
""",
    "moderatie.md": """Title: Moderatie zonder burn-out
Date: 2025-12-05 09:00
Slug: moderatie

Moderatoren hebben rust nodig. Verdeel de diensten, spreek af wie wanneer reageert en neem
vrije weken echt vrij. Een moderator die opgebrand raakt, helpt niemand. Vraag vrijwilligers
om mee te doen.
""",
}
PAGE = """Title: Over mij
Slug: over

Ik schrijf over online gemeenschappen en moderatoren.
"""


@pytest.fixture(scope="module")
def search_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("search") / "content"
    # The generated site's favicons and link-preview image (never the author's content/).
    fixture_site.write_site(content, only=("extra/", fixture_site.DEFAULT_IMAGE))
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    for name, text in ARTICLES.items():
        (content / "articles" / name).write_text(text)
    (content / "pages" / "over.md").write_text(PAGE)
    return content


SETTINGS = {"SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE, "RATINGS_STORE": ""}


def run(out: Path, content: Path, overrides: dict | None = None, **kwargs):
    return run_pelican(out, content=content, overrides={**SETTINGS, **(overrides or {})}, **kwargs)


def build_site(content: Path, out: Path, cache: Path, **kwargs) -> Path:
    result = run(out, content, cache=cache, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def search_site(search_content, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("search-build")
    return build_site(search_content, work / "out", work / "cache")


# --- pure parts -------------------------------------------------------------------------------


def test_search_page_is_the_title_date_and_body_only():
    page = search_page("/a/", "Waarom <div> niet werkt", "2026-02-01", "article", "<p>x</p>", "nl")
    assert page.url == "/a/"
    assert '<html lang="nl">' in page.html
    assert '<h1 data-pagefind-meta="title">Waarom &lt;div&gt; niet werkt</h1>' in page.html
    assert 'data-pagefind-meta="date:2026-02-01"' in page.html
    assert page.html.endswith("<p>x</p></main></body></html>")


def test_the_index_speaks_the_language_most_items_are_in():
    assert main_language(["nl", "nl", "en"], "en") == "nl"
    assert main_language(["nl", "en"], "en") == "en"  # a tie: the site's own language
    assert main_language([], "nl") == "nl"
    assert main_language(["en-GB", "en"], "nl") == "en"


def test_the_digest_changes_with_any_page_or_setting():
    pages = [search_page("/a/", "A", "", "page", "<p>a</p>", "nl")]
    same = digest(pages, {"force_language": "nl"}, "1.5.2")
    assert same == digest(list(pages), {"force_language": "nl"}, "1.5.2")
    assert same != digest(pages, {"force_language": "en"}, "1.5.2")
    assert same != digest(pages, {"force_language": "nl"}, "1.5.3")
    other = [search_page("/a/", "A", "", "page", "<p>b</p>", "nl")]
    assert same != digest(other, {"force_language": "nl"}, "1.5.2")


# --- the build --------------------------------------------------------------------------------


def test_build_writes_a_dutch_pagefind_bundle(search_site):
    bundle = search_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    # One Dutch index: Pagefind's Dutch stemmer (wasm.nl) is part of the bundle.
    assert list(entry["languages"]) == ["nl"]
    assert entry["languages"]["nl"]["page_count"] == len(ARTICLES) + 1  # articles and "Over mij"
    assert (bundle / "wasm.nl.pagefind").is_file()
    assert (bundle / "pagefind.js").is_file()


def test_no_page_loads_the_bundle_by_itself(search_site):
    for path in search_site.rglob("*.html"):
        if path.is_relative_to(search_site / "pagefind"):
            continue
        assert "pagefind" not in path.read_text().replace('data-search="/pagefind/"', ""), path


def test_search_page_without_javascript_searches_the_site_on_duckduckgo(search_site):
    page = search_site / "zoeken" / "index.html"
    assert not parse_page(page).errors
    html = page.read_text()
    form = re.search(r"<form class=\"search__form\"[^>]*>", html, re.S).group(0)
    assert 'action="https://duckduckgo.com/"' in form and " hidden" not in form
    assert '<input id="zoekterm" type="search" name="q"' in html
    assert '<input type="hidden" name="sites" value="127.0.0.1:8000"' in html
    assert "Zonder JavaScript zoekt DuckDuckGo deze site voor je door." in html
    # The page's Content-Security-Policy lets the form go there.
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "form-action &#39;self&#39; https://duckduckgo.com" in policy
    assert '<meta name="robots" content="noindex">' in html
    # The menu leads there on every page.
    assert '<a href="/zoeken/">Zoeken</a>' in (search_site / "index.html").read_text()


def test_search_page_fits_the_page_budget(search_site):
    page = search_site / "zoeken" / "index.html"
    # The search page lists results as cards: the stylesheet with the lists' part (lists.css).
    assert 'href="/theme/css/lists.css"' in page.read_text()
    files = [page, *(search_site / "theme" / p for p in ("css/lists.css", "js/site.js"))]
    files.append(search_site / "theme" / "js" / "search.js")
    assert sum(len(gzip.compress(f.read_bytes(), 9)) for f in files) <= 14 * 1024
    assert len(files) <= 4


def test_without_a_fallback_engine_the_form_waits_for_javascript(search_content, tmp_path):
    out = build_site(
        search_content, tmp_path / "out", tmp_path / "cache", overrides={"SEARCH_FALLBACK": ""}
    )
    html = (out / "zoeken" / "index.html").read_text()
    form = re.search(r"<form class=\"search__form\"[^>]*>", html, re.S).group(0)
    assert " hidden" in form and "action=" not in form
    assert "Zoeken werkt alleen met JavaScript." in html


def test_publish_build_names_the_real_domain_and_copies_the_bundle(search_content, tmp_path):
    out = build_site(
        search_content, tmp_path / "out", tmp_path / "cache", settings="publishconf.py"
    )
    html = (out / "zoeken" / "index.html").read_text()
    assert '<input type="hidden" name="sites" value="communitykompas.nl"' in html
    assert 'data-search="https://communitykompas.nl/pagefind/"' in html
    assert (out / "pagefind" / "pagefind.js").stat().st_nlink == 1  # a copy, not a link


def test_rebuild_reuses_the_bundle_and_a_changed_article_indexes_again(search_content, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(search_content, content)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_site(content, out, cache)
    (bundle,) = (cache / "search").iterdir()
    made = bundle.stat().st_mtime_ns
    files = {
        p.relative_to(out): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()
    }
    build_site(content, out, cache)
    assert [p.name for p in (cache / "search").iterdir()] == [bundle.name]
    assert bundle.stat().st_mtime_ns == made  # not indexed again
    again = {
        p.relative_to(out): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()
    }
    assert again == files
    # An output folder without the bundle (deleted) gets the kept one, not a new index.
    shutil.rmtree(out / "pagefind")
    build_site(content, out, cache)
    assert bundle.stat().st_mtime_ns == made
    unpacked = {
        p.relative_to(out): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()
    }
    assert unpacked == files
    # Another machine, another cache: the same bytes (deterministic).
    fresh = build_site(content, tmp_path / "fresh", tmp_path / "fresh-cache")
    assert [p.name for p in (tmp_path / "fresh-cache" / "search").iterdir()] == [bundle.name]
    assert {
        p.relative_to(fresh): p.read_bytes() for p in (fresh / "pagefind").rglob("*") if p.is_file()
    } == files
    article = content / "articles" / "moderatie.md"
    article.write_text(article.read_text() + "\nEen nieuwe alinea over vrijwilligers.\n")
    build_site(content, out, cache)
    assert len(list((cache / "search").iterdir())) == 2


def test_wrong_search_settings_are_reported(search_content, tmp_path):
    result = run(
        tmp_path / "out",
        search_content,
        overrides={"SEARCH_FALLBACK": "altavista", "SEARCH_BUNDLE": "../weg"},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "SEARCH_FALLBACK: 'altavista' is not a search engine the form knows" in output
    assert "SEARCH_BUNDLE: '../weg' is not a folder inside the site" in output
    assert (tmp_path / "out" / "pagefind" / "pagefind.js").is_file()


# --- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_url(search_site):
    server = serve_in_background(search_site)
    yield url_of(server)
    server.shutdown()


def results(page) -> list[dict]:
    """The results shown, read through locators (the page's Content-Security-Policy forbids the
    string evaluation that Playwright's wait_for_function uses)."""
    page.locator("[data-search-results] .card").first.wait_for()
    found = []
    for item in page.locator("[data-search-results] .card").all():
        time = item.locator("time")
        found.append(
            {
                "title": item.locator("h2").text_content(),
                "href": item.locator("a").get_attribute("href"),
                "date": time.text_content() if time.count() else "",
                "excerpt": item.locator(".card__summary").inner_html(),
            }
        )
    return found


@pytest.mark.browser
def test_a_dutch_word_form_finds_the_right_article_first(browser, search_url, page_watch):
    page = page_watch.attach(browser.new_page())
    page.goto(search_url + "/zoeken/", wait_until="networkidle")
    assert not [u for u in page_watch.requests if "/pagefind/" in u], "loaded before use"
    # "verhaal" is nowhere in the site; its plural "verhalen" is: Dutch stemming finds it.
    page.fill("#zoekterm", "verhaal")
    found = results(page)
    assert found[0]["title"] == "Verhalen van leden"
    assert found[0]["href"] == "/verhalen-van-leden/"
    assert found[0]["date"] == "1 februari 2026"
    assert "<mark>" in found[0]["excerpt"] and "verhalen" in found[0]["excerpt"].lower()
    assert [r["title"] for r in found] == ["Verhalen van leden", "Huisregels die mensen lezen"]
    status = page.text_content("[data-search-status]")
    assert status == "2 resultaten voor “verhaal”"
    assert "q=verhaal" in page.url  # a search can be shared and bookmarked
    page.fill("#zoekterm", "vrijwilliger")  # only "vrijwilligers" is in the site
    expect(page.locator("[data-search-status]")).to_contain_text("vrijwilliger")
    assert "q=vrijwilliger" in page.url
    assert results(page)[0]["title"] == "Moderatie zonder burn-out"
    page.fill("#zoekterm", "verha")  # while typing: the last word as a prefix
    expect(page.locator("[data-search-status]")).to_contain_text("verha”")
    assert results(page)[0]["title"] == "Verhalen van leden"
    assert any(u.endswith("/pagefind/wasm.nl.pagefind") for u in page_watch.requests)
    foreign = [u for u in page_watch.requests if not u.startswith(search_url)]
    assert not foreign, foreign
    assert page_watch.console_errors == []
    page.close()


@pytest.mark.browser
def test_a_search_link_opens_with_its_results_and_nothing_found_is_said(browser, search_url):
    page = browser.new_page()
    page.goto(search_url + "/zoeken/?q=dienst")
    assert results(page)[0]["title"] == "Moderatie zonder burn-out"
    assert page.input_value("#zoekterm") == "dienst"
    page.fill("#zoekterm", "fietsenmaker")
    expect(page.locator("[data-search-status]")).to_contain_text("fietsenmaker")
    assert page.text_content("[data-search-status]") == "Niets gevonden voor “fietsenmaker”."
    assert page.locator("[data-search-results] .card").count() == 0
    page.close()


@pytest.mark.browser
def test_english_interface_searches_the_dutch_articles(browser, search_content, tmp_path):
    # DEFAULT_LANG is also Pelican's language of every article without a Lang: field, so an
    # English interface over Dutch articles names the index's language.
    overrides = {"DEFAULT_LANG": "en", "SEARCH_LANGUAGE": "nl"}
    out = build_site(search_content, tmp_path / "out", tmp_path / "cache", overrides=overrides)
    server = serve_in_background(out)
    try:
        page = browser.new_page()
        page.goto(url_of(server) + "/zoeken/?q=verhaal")
        found = results(page)
        assert found[0]["title"] == "Verhalen van leden"
        assert found[0]["date"] == "February 1, 2026"  # as the site's own dates (Babel "en")
        assert page.text_content("[data-search-status]") == "2 results for “verhaal”"
        page.close()
    finally:
        server.shutdown()


def test_an_indexer_that_stops_is_an_error_not_a_hang(tmp_path):
    from plugins.search.service import Indexer, SearchIndexError

    with pytest.raises(SearchIndexError, match="the indexer stopped"):
        Indexer({}, binary=Path("/bin/true"))


@pytest.mark.browser
def test_search_works_under_the_sites_content_security_policy_header(browser, search_site):
    """Served as the README tells a host to: the policy as a header on every response, so also
    on Pagefind's worker script. Pagefind runs WebAssembly, which the policy must allow."""
    import re as regex
    import threading
    from functools import partial
    from http.server import ThreadingHTTPServer

    from plugins.security.policy import header_policy
    from schitter.devserver import SiteRequestHandler

    page_html = (search_site / "zoeken" / "index.html").read_text()
    meta = regex.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page_html)
    header = header_policy(meta.group(1).replace("&#39;", "'"))

    class WithPolicy(SiteRequestHandler):
        quiet = True

        def end_headers(self):
            self.send_header("Content-Security-Policy", header)
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(WithPolicy, directory=str(search_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(url_of(server) + "/zoeken/?q=verhaal")
        assert results(page)[0]["title"] == "Verhalen van leden", errors
        assert not [e for e in errors if "Content Security Policy" in e], errors
        page.close()
    finally:
        server.shutdown()
