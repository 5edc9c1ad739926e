"""share_buttons end to end: real Pelican builds of generated content, the test site, a browser.

The generated content here holds the hard cases (a title with quotes, &, #, +, emoji, diacritics,
HTML and </script>; a missing Image: file; an episode; a page). The site-wide tests check every
article of the generated test site (tests/fixture_site.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html
from PIL import Image

from schitter.devserver import serve_in_background, url_of
from tests import audio_fixtures, fixture_site
from tests.sitecheck import build, html_pages, parse_page, run_pelican

DEV_BASE = "http://127.0.0.1:8000"
# What the reader sees of the tricky title: the <em> is markup, &lt;/script&gt; is text.
TRICKY_TITLE_SOURCE = "\"Quotes\" & 'enkel' <em>#1</em> + 2 🎉 één &lt;/script&gt; café"
# A title is text: shown exactly as typed, tags and entities included (tests/test_hardening_*).
TRICKY_TITLE = TRICKY_TITLE_SOURCE
TRICKY_SUMMARY = 'Samenvatting met "quotes" & <strong>HTML</strong> en &lt;/script&gt; erin.'
# Summary is Markdown whose raw HTML is shown as text; its entities are Markdown's.
TRICKY_DESCRIPTION = 'Samenvatting met "quotes" & <strong>HTML</strong> en </script> erin.'
DUTCH_LABELS = {
    "whatsapp": "Deel via WhatsApp",
    "linkedin": "Deel op LinkedIn",
    "facebook": "Deel op Facebook",
    "x": "Deel op X",
    "bluesky": "Deel op Bluesky",
    "mastodon": "Deel op Mastodon",
    "telegram": "Deel op Telegram",
    "email": "Deel via e-mail",
    "copy": "Link kopiëren",
}


def write_content(root: Path) -> Path:
    """A small site with every case the plugin handles."""
    for folder in ("articles", "cursus", "pages", "images", "extra", "audio"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (32, 32), "teal").save(root / "extra/favicon.ico")
    (root / "extra/favicon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1"/></svg>'
    )
    Image.new("RGB", (1200, 630), "teal").save(root / "images/standaard-deelafbeelding.jpg")
    Image.new("RGB", (1000, 500), "red").save(root / "images/eigen foto.png")
    Image.new("RGB", (1400, 1400), "navy").save(root / "images/cursus-cover.jpg")
    (root / "articles/lastig.md").write_text(
        f"Title: {TRICKY_TITLE_SOURCE}\n"
        "Date: 2026-10-01 10:00\nModified: 2026-10-05 09:30\n"
        "Category: Artikelen\nTags: moderatie, één & twee\nSlug: lastig\n"
        "Image: images/eigen foto.png\n"
        'ImageAlt: Een rood vlak met "aanhalingstekens"\n'
        f"Summary: {TRICKY_SUMMARY}\n\nDe tekst.\n",
        encoding="utf-8",
    )
    (root / "articles/gewoon.md").write_text(
        "Title: Gewoon artikel\nDate: 2026-09-01\nCategory: Artikelen\nSlug: gewoon\n\n"
        "Tekst van een gewoon artikel.\n",
        encoding="utf-8",
    )
    (root / "articles/kapot.md").write_text(
        "Title: Artikel met een kapotte afbeelding\nDate: 2026-09-02\nCategory: Artikelen\n"
        "Slug: kapot\nImage: images/bestaat-niet.jpg\n\nTekst.\n",
        encoding="utf-8",
    )
    # A real (tiny) MP3: the podcast plugin leaves out an episode whose audio is missing.
    (root / "audio").mkdir(exist_ok=True)
    (root / "audio/les-1.mp3").write_bytes(audio_fixtures.encode(2))
    (root / "cursus/les-1.md").write_text(
        "Title: Les 1: het fundament\nDate: 2026-09-03\nCategory: Cursus\nSlug: les-1\n"
        "Podcast: succesvollere-communities\nEpisode: 1\nAudio: audio/les-1.mp3\n\nShownotes.\n",
        encoding="utf-8",
    )
    (root / "pages/over.md").write_text(
        "Title: Over mij\nSlug: over\n\nOver deze site & mij.\n", encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def share_content(tmp_path_factory) -> Path:
    return write_content(tmp_path_factory.mktemp("share") / "content")


EPISODE_COVERS = {"succesvollere-communities": "images/cursus-cover.jpg"}


@pytest.fixture(scope="module")
def share_site(share_content, tmp_path_factory) -> Path:
    return build(
        tmp_path_factory.mktemp("share-dev") / "output",
        content=share_content,
        overrides={"SHARE_PODCAST_IMAGES": EPISODE_COVERS},
    )


def meta(page_path: Path) -> dict[str, list[str]]:
    tree = lxml_html.parse(str(page_path))
    found: dict[str, list[str]] = {}
    for element in tree.getroot().head.iter("meta"):
        key = element.get("property") or element.get("name")
        if key:
            found.setdefault(key, []).append(element.get("content"))
    return found


def share_block(page_path: Path):
    tree = lxml_html.parse(str(page_path))
    blocks = tree.getroot().find_class("share")
    assert len(blocks) == 1, f"{page_path}: {len(blocks)} share blocks"
    return blocks[0]


def share_anchors(page_path: Path) -> dict[str, lxml_html.HtmlElement]:
    return {a.get("data-share"): a for a in share_block(page_path).iter("a")}


def params(encoded: str) -> dict[str, str]:
    return {k: unquote(v) for k, _, v in (p.partition("=") for p in encoded.split("&"))}


# --- generated content, development build ----------------------------------------------------


def test_article_has_the_share_block_in_order_with_dutch_names(share_site):
    page = share_site / "gewoon/index.html"
    assert parse_page(page).errors == []
    block = share_block(page)
    assert block.find(".//h2").text_content() == "Help je mij dit artikel te delen?"
    anchors = share_anchors(page)
    assert list(anchors) == list(DUTCH_LABELS)
    for name, anchor in anchors.items():
        assert anchor.get("aria-label") == DUTCH_LABELS[name]
        svg = anchor.find("svg")
        assert svg is not None and svg.get("aria-hidden") == "true"
        # Label in name: the visible text is part of the accessible name.
        assert anchor.text_content().strip().lower() in DUTCH_LABELS[name].lower()
        if name in ("email", "copy"):
            assert anchor.get("target") is None
        else:
            assert anchor.get("target") == "_blank"
            assert anchor.get("rel") == "noopener noreferrer"
            assert anchor.get("href").startswith("https://")
    assert anchors["copy"].get("href") == f"{DEV_BASE}/gewoon/"
    assert anchors["email"].get("href").startswith("mailto:?subject=Gewoon%20artikel&body=")
    native = block.find('.//button[@data-share="native"]')
    assert native.getparent().get("hidden") is not None, "Delen… is for JS with navigator.share"
    assert native.text_content().strip() == "Delen…"


def test_development_previews_are_absolute_on_the_local_server(share_site):
    tags = meta(share_site / "gewoon/index.html")
    assert tags["og:url"] == [f"{DEV_BASE}/gewoon/"]
    assert tags["og:type"] == ["article"]
    assert tags["og:site_name"] == ["Community Kompas"]
    assert tags["og:locale"] == ["nl_NL"]
    assert tags["og:title"] == ["Gewoon artikel"]
    assert tags["og:description"] == ["Tekst van een gewoon artikel."]
    assert tags["article:published_time"][0].startswith("2026-09-01T00:00:00")
    assert tags["article:author"] == [f"{DEV_BASE}/auteur/sanne-de-wit/"]
    assert tags["og:image"] == [f"{DEV_BASE}/images/standaard-deelafbeelding.jpg"]
    assert (tags["og:image:width"], tags["og:image:height"]) == (["1200"], ["630"])
    assert tags["og:image:alt"] == ["Community Kompas"]
    assert tags["twitter:card"] == ["summary_large_image"]


def test_tricky_title_is_escaped_in_attributes_and_encoded_in_urls(share_site):
    page = share_site / "lastig/index.html"
    source = page.read_text(encoding="utf-8")
    assert parse_page(page).errors == []
    # The only script element is site.js; the text "</script>" never appears unescaped in <head>.
    head = source.split("</head>")[0]
    assert head.count("<script") == 1 and head.count("</script>") == 1
    assert '<meta property="og:title" content="&#34;Quotes&#34; &amp; ' in head
    tags = meta(page)
    assert tags["og:title"] == [TRICKY_TITLE]
    assert tags["twitter:title"] == [TRICKY_TITLE]
    assert tags["og:description"] == [TRICKY_DESCRIPTION]
    assert tags["article:tag"] == ["moderatie", "één & twee"]
    assert tags["article:modified_time"][0].startswith("2026-10-05T09:30:00")
    url = f"{DEV_BASE}/lastig/"
    anchors = share_anchors(page)
    x = urlsplit(anchors["x"].get("href"))
    assert params(x.query) == {"text": TRICKY_TITLE, "url": url}
    mastodon = anchors["mastodon"]
    assert params(urlsplit(mastodon.get("href")).fragment) == {"text": f"{TRICKY_TITLE}\n\n{url}"}
    assert mastodon.get("data-share-text") == f"{TRICKY_TITLE}\n\n{url}"
    email = params(urlsplit(anchors["email"].get("href")).query)
    assert email == {"subject": TRICKY_TITLE, "body": f"{TRICKY_DESCRIPTION}\r\n\r\n{url}"}
    block = share_block(page)
    assert block.get("data-share-title") == TRICKY_TITLE


def test_article_image_with_its_alt_and_real_size(share_site):
    tags = meta(share_site / "lastig/index.html")
    assert tags["og:image"] == [f"{DEV_BASE}/images/eigen%20foto.png"]
    assert tags["og:image:type"] == ["image/png"]
    assert (tags["og:image:width"], tags["og:image:height"]) == (["1000"], ["500"])
    assert tags["og:image:alt"] == ['Een rood vlak met "aanhalingstekens"']
    assert (share_site / "images/eigen foto.png").exists()


def test_episode_uses_the_show_cover_and_its_own_call_to_action(share_site):
    page = share_site / "les-1/index.html"
    tags = meta(page)
    assert tags["og:image"] == [f"{DEV_BASE}/images/cursus-cover.jpg"]
    assert (tags["og:image:width"], tags["og:image:height"]) == (["1400"], ["1400"])
    assert tags["og:image:alt"] == ["Omslagafbeelding van de podcast Succesvollere communities"]
    assert tags["twitter:card"] == ["summary"]  # a square cover: a thumbnail, not cropped
    # A lesson of a course: "deze les", as its rating says "Beoordeel deze les".
    assert share_block(page).find(".//h2").text_content() == "Help je mij deze les te delen?"


def test_missing_image_warns_naming_the_article_and_falls_back(share_content, tmp_path):
    result = run_pelican(tmp_path / "out", content=share_content)
    assert result.returncode == 0
    log = " ".join((result.stdout + result.stderr).split())
    assert "kapot.md: Image: there is no image file" in log
    assert "bestaat-niet.jpg" in log
    tags = meta(tmp_path / "out/kapot/index.html")
    assert tags["og:image"] == [f"{DEV_BASE}/images/standaard-deelafbeelding.jpg"]


def test_pages_get_link_previews_as_websites(share_site):
    tags = meta(share_site / "over/index.html")
    assert tags["og:type"] == ["website"]
    assert tags["og:url"] == [f"{DEV_BASE}/over/"]
    assert tags["og:description"] == ["Over deze site & mij."]
    assert "article:published_time" not in tags
    assert tags["og:image"] == [f"{DEV_BASE}/images/standaard-deelafbeelding.jpg"]


def test_english_interface_and_own_networks_and_call_to_action(share_content, tmp_path):
    out = build(
        tmp_path / "out",
        content=share_content,
        overrides={
            "DEFAULT_LANG": "en",
            "CONTENT_LANG": "en",  # og:locale is the text's language (en_GB), not only the UI's
            "SHARE_NETWORKS": ["reddit", "threads", "pinterest", "copy"],
            "SHARE_CALL_TO_ACTION": "Deel dit & zeg het voort!",
        },
    )
    page = out / "lastig/index.html"
    anchors = share_anchors(page)
    assert list(anchors) == ["reddit", "threads", "pinterest", "copy"]
    assert anchors["reddit"].get("aria-label") == "Share on Reddit"
    assert anchors["copy"].text_content().strip() == "Copy link"
    pinterest = params(urlsplit(anchors["pinterest"].get("href")).query)
    assert pinterest["media"] == f"{DEV_BASE}/images/eigen%20foto.png"
    assert share_block(page).find(".//h2").text_content() == "Deel dit & zeg het voort!"
    assert share_block(page).find(".//form") is None  # no Mastodon, no server form
    assert meta(page)["og:locale"] == ["en_GB"]


def test_wrong_settings_are_reported_by_setting_name(share_content, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        content=share_content,
        overrides={
            "SHARE_NETWORKS": ["linkedin", "myspace"],
            "SHARE_DEFAULT_IMAGE": "images/weg.jpg",
        },
    )
    assert result.returncode == 0
    log = " ".join((result.stdout + result.stderr).split())
    assert "pelicanconf.py: SHARE_NETWORKS: 'myspace' is not a network" in log
    assert "whatsapp, linkedin, facebook" in log
    assert "pelicanconf.py: SHARE_DEFAULT_IMAGE: there is no image file" in log
    # The missing site default is a warning, not a problem that fails a publish build: only
    # SHARE_NETWORKS and kapot.md's Image: are in the build report.
    assert "The build found 2 problem(s)" in log
    assert list(share_anchors(tmp_path / "out/gewoon/index.html")) == ["linkedin"]
    # No image to show: no og:image at all (never a broken one) and the small card.
    tags = meta(tmp_path / "out/gewoon/index.html")
    assert "og:image" not in tags and tags["twitter:card"] == ["summary"]
    assert meta(tmp_path / "out/lastig/index.html")["og:image"][0].endswith("eigen%20foto.png")


def test_publish_build_with_empty_siteurl_fails_clearly(share_content, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        settings="publishconf.py",
        content=share_content / "pages",  # no broken image: SITEURL is the only problem
        overrides={"SITEURL": ""},
    )
    assert result.returncode == 1
    log = " ".join((result.stdout + result.stderr).split())
    assert "publishconf.py: SITEURL: is '', but feeds, share links and link previews need" in log
    assert "Traceback" not in log


def test_publish_build_fails_on_a_missing_image(share_content, tmp_path):
    result = run_pelican(tmp_path / "out", settings="publishconf.py", content=share_content)
    assert result.returncode == 1
    log = " ".join((result.stdout + result.stderr).split())
    assert "kapot.md: Image:" in log and "Traceback" not in log


# --- the generated test site -----------------------------------------------------------------


def article_pages(site: Path) -> list[Path]:
    """Every published article page (a development build also previews drafts in drafts/)."""
    found = [
        p
        for p in html_pages(site)
        if 'class="entry h-entry"' in p.read_text("utf-8") and p.parent.name != "drafts"
    ]
    assert sorted(p.parent.name for p in found) == sorted(a.slug for a in fixture_site.PUBLISHED)
    return found


@pytest.mark.parametrize("which", ["dev_site", "publish_site"])
def test_every_article_has_share_links_and_absolute_previews(request, which):
    site = request.getfixturevalue(which)
    base = "https://communitykompas.nl" if which == "publish_site" else DEV_BASE
    pages = article_pages(site)
    for page in pages:
        slug = page.parent.relative_to(site).as_posix()
        anchors = share_anchors(page)
        assert list(anchors) == list(DUTCH_LABELS), slug
        assert anchors["copy"].get("href") == f"{base}/{slug}/"
        linkedin = params(urlsplit(anchors["linkedin"].get("href")).query)
        assert linkedin == {"url": f"{base}/{slug}/"}
        tags = meta(page)
        assert tags["og:url"] == [f"{base}/{slug}/"], slug
        for key in ("og:title", "og:description", "og:image:alt", "article:published_time"):
            assert tags.get(key) and tags[key][0], f"{slug}: {key} missing"
        image = tags["og:image"][0]
        assert image.startswith(base + "/"), f"{slug}: {image}"
        local = site / unquote(urlsplit(image).path).lstrip("/")
        with Image.open(local) as picture:
            assert [str(n) for n in picture.size] == tags["og:image:width"] + tags[
                "og:image:height"
            ], slug
        wide = int(tags["og:image:width"][0]) >= 1.5 * int(tags["og:image:height"][0])
        assert tags["twitter:card"] == ["summary_large_image" if wide else "summary"], slug
        assert tags["og:locale"] == ["nl_NL"]


# --- in a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def share_url(share_site):
    server = serve_in_background(share_site)
    yield url_of(server)
    server.shutdown()


def only_loopback(requests: list[str]) -> list[str]:
    return [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob")
        and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
    ]


@pytest.mark.browser
def test_share_block_loads_nothing_from_elsewhere(browser, share_url, page_watch):
    page = page_watch.attach(browser.new_page())
    page.goto(share_url + "/lastig/", wait_until="networkidle")
    assert page.locator(".share a").count() == 9
    assert only_loopback(page_watch.requests) == []
    assert page_watch.console_errors == []
    page.close()


@pytest.mark.browser
def test_copy_button_puts_the_url_on_the_clipboard(browser, share_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(share_url + "/lastig/")
    page.get_by_role("link", name="Link kopiëren").click()
    status = page.locator("[data-share-status]")
    status.filter(has_text="Link gekopieerd").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == f"{DEV_BASE}/lastig/"
    assert urlsplit(page.url).path == "/lastig/", "copying must not navigate"
    context.close()


@pytest.mark.browser
def test_mastodon_goes_to_the_readers_own_server_and_remembers_it(browser, share_url):
    context = browser.new_context()
    opened: list[str] = []

    def block_outside(route):
        opened.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1",), block_outside)
    page = context.new_page()
    page.goto(share_url + "/lastig/")
    form = page.locator("form[data-share-mastodon]")
    assert not form.is_visible()
    mastodon = page.get_by_role("link", name="Deel op Mastodon")
    mastodon.click()
    assert form.is_visible() and mastodon.get_attribute("aria-expanded") == "true"
    field = page.get_by_label("Jouw Mastodon-server")
    # Not a server name: refused with a message, nothing opened.
    field.fill("geen server!")
    page.get_by_role("button", name="Deel op Mastodon").click()
    page.locator("[data-share-status]").filter(has_text="geen servernaam").wait_for()
    assert field.get_attribute("aria-invalid") == "true"
    assert opened == []
    # A handle as readers copy it from their profile works too.
    field.fill("@sanne@Social.Example.NL")
    with context.expect_page():
        page.get_by_role("button", name="Deel op Mastodon").click()
    # The new tab's request is caught by the route above and aborted: never really loaded.
    for _ in range(50):
        if opened:
            break
        page.wait_for_timeout(100)
    (target,) = set(opened)  # one URL (Chromium may retry an aborted navigation once)
    expected_text = f"{TRICKY_TITLE}\n\n{DEV_BASE}/lastig/"
    parts = urlsplit(target)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", "social.example.nl", "/share")
    assert params(parts.query) == {"text": expected_text}
    assert page.evaluate("localStorage.getItem('schitter.mastodon-server')") == (
        "social.example.nl"
    )
    # Next visit: the server is filled in already.
    page.reload()
    page.get_by_role("link", name="Deel op Mastodon").click()
    assert page.get_by_label("Jouw Mastodon-server").input_value() == "social.example.nl"
    context.close()


@pytest.mark.browser
def test_share_buttons_are_reachable_by_keyboard_in_order(browser, share_url):
    page = browser.new_page()
    page.goto(share_url + "/gewoon/")
    names = []
    page.locator(".share a").first.focus()
    for _ in range(9):
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"no visible focus on {names[-1]}"
        page.keyboard.press("Tab")
    assert names == list(DUTCH_LABELS.values())
    # Enter on the focused Mastodon link opens the server form (keyboard users get it too).
    page.locator(".share a[data-share=mastodon]").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "share-mastodon-server"
    page.close()


@pytest.mark.browser
def test_native_share_button_only_where_the_browser_has_a_share_sheet(browser, share_url):
    page = browser.new_page()
    page.goto(share_url + "/gewoon/")
    has_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.locator("[data-share=native]").is_visible() == has_share
    page.close()
    context = browser.new_context()
    context.add_init_script(
        "navigator.share = (data) => { window.__shared = data; return Promise.resolve(); };"
    )
    page = context.new_page()
    page.goto(share_url + "/gewoon/")
    button = page.get_by_role("button", name="Delen…")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.__shared") == {
        "title": "Gewoon artikel",
        "url": f"{DEV_BASE}/gewoon/",
    }
    context.close()


@pytest.mark.browser
def test_receivers_parsing_reads_back_the_exact_title_and_url(browser, share_url):
    """What the networks' own pages see: the browser's URL + URLSearchParams, which (unlike
    strict percent-decoding) turn '+' into a space — so a raw '+' would corrupt the title."""
    page = browser.new_page()
    page.goto(share_url + "/lastig/")
    decoded = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.share a')].map(a => {
            const url = new URL(a.href);
            const raw = a.dataset.share === 'mastodon' ? url.hash.slice(1) : url.search;
            return [a.dataset.share, Object.fromEntries(new URLSearchParams(raw))];
        }))"""
    )
    url = f"{DEV_BASE}/lastig/"
    assert decoded["x"] == {"text": TRICKY_TITLE, "url": url}
    assert decoded["whatsapp"] == {"text": f"{TRICKY_TITLE} {url}"}
    assert decoded["bluesky"] == {"text": f"{TRICKY_TITLE} {url}"}
    assert decoded["mastodon"] == {"text": f"{TRICKY_TITLE}\n\n{url}"}
    assert decoded["telegram"] == {"url": url, "text": TRICKY_TITLE}
    assert decoded["linkedin"] == {"url": url}
    assert decoded["facebook"] == {"u": url}
    assert decoded["email"] == {
        "subject": TRICKY_TITLE,
        "body": f"{TRICKY_DESCRIPTION}\r\n\r\n{url}",
    }
    page.close()


@pytest.mark.browser
def test_every_article_loads_its_share_block_from_loopback_only(
    browser, site_url, dev_site, page_watch
):
    context = browser.new_context()
    opened: list[str] = []

    def block_outside(route):
        opened.append(route.request.url)
        route.abort()

    context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1",), block_outside)
    page = page_watch.attach(context.new_page())
    pages = article_pages(dev_site)
    for path in pages:
        slug = path.parent.relative_to(dev_site).as_posix()
        page.goto(f"{site_url}/{slug}/", wait_until="networkidle")
        assert page.locator(".share a").count() == len(DUTCH_LABELS), slug
        assert page.locator(".share a").first.is_visible(), slug
    assert opened == [] and only_loopback(page_watch.requests) == []
    assert page_watch.console_errors == []
    # A network button opens the share URL in a new tab (caught here, never loaded).
    linkedin = page.get_by_role("link", name="Deel op LinkedIn")
    with context.expect_page():
        linkedin.click()
    for _ in range(50):
        if opened:
            break
        page.wait_for_timeout(100)
    assert set(opened) == {linkedin.get_attribute("href")}
    context.close()


def test_image_outside_the_static_folders_is_reported(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "images").mkdir()
    Image.new("RGB", (1200, 630)).save(content / "images/standaard-deelafbeelding.jpg")
    Image.new("RGB", (800, 400)).save(content / "articles/naast-de-tekst.jpg")
    (content / "articles/a.md").write_text(
        "Title: A\nDate: 2026-01-01\nSlug: a\nImage: articles/naast-de-tekst.jpg\n\nTekst.\n"
    )
    # Out of the content folder: a real image right next to it, a system file.
    Image.new("RGB", (1200, 630), "red").save(tmp_path / "buiten.jpg")
    outside = {"b": "../buiten.jpg", "c": "images/../../buiten.jpg", "d": "/etc/hostname"}
    outside["e"] = "{static}/../buiten.jpg"
    for slug, image in outside.items():
        (content / f"articles/{slug}.md").write_text(
            f"Title: {slug}\nDate: 2026-01-01\nSlug: {slug}\nImage: {image}\n\nTekst.\n"
        )
    result = run_pelican(tmp_path / "out", content=content)
    log = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0 and "Traceback" not in log
    assert "a.md: Image: articles/naast-de-tekst.jpg is not inside STATIC_PATHS" in log
    fix = "content/images/ or correct the Image: field"
    for slug, shown in [("b", "../buiten.jpg"), ("c", "images/../../buiten.jpg")]:
        assert f"{slug}.md: Image: {shown} is outside the content folder — put the image in" in log
        assert re.search(rf"{slug}\.md: Image: [^—]+ — put the image in \S*{fix}", log)
    assert "e.md: Image: ../buiten.jpg is outside the content folder — put the image in" in log
    assert "d.md: Image: etc/hostname is not inside STATIC_PATHS" in log
    for slug in ("a", *outside):
        assert meta(tmp_path / f"out/{slug}/index.html")["og:image"][0].endswith(
            "/images/standaard-deelafbeelding.jpg"
        )
    published = {p.name for p in (tmp_path / "out").rglob("*")}
    assert not published & {"buiten.jpg", "hostname", "naast-de-tekst.jpg"}


@pytest.mark.browser
def test_mastodon_server_names_as_readers_type_them(browser, share_url):
    context = browser.new_context()
    opened: list[str] = []
    context.route(
        lambda url: urlsplit(url).hostname != "127.0.0.1",
        lambda route: (
            route.request.is_navigation_request() and opened.append(route.request.url),
            route.abort(),
        ),
    )
    page = context.new_page()
    page.goto(share_url + "/gewoon/")
    page.get_by_role("link", name="Deel op Mastodon").click()
    field = page.get_by_label("Jouw Mastodon-server")
    typed_and_meant = {
        "https://Mastodon.Social/@sanne": "mastodon.social",
        "  toot.community  ": "toot.community",
        "@sanne@mastodon.één.nl": "mastodon.één.nl".encode("idna").decode(),
    }
    for count, typed in enumerate(typed_and_meant, start=1):
        field.fill(typed)
        with context.expect_page():
            page.get_by_role("button", name="Deel op Mastodon").click()
        for _ in range(50):
            if len(opened) >= count:
                break
            page.wait_for_timeout(100)
    # One new tab per submit; Chromium may retry an aborted navigation, so compare distinct URLs.
    assert len(context.pages) == 1 + len(typed_and_meant)
    distinct = [u for i, u in enumerate(opened) if i == 0 or opened[i - 1] != u]
    assert [urlsplit(u).hostname for u in distinct] == list(typed_and_meant.values())
    assert {urlsplit(u).path for u in opened} == {"/share"}
    for refused in ("localhost", "127.0.0.1", "mastodon", "-bad-.social", "a..b.nl", "x y.nl"):
        field.fill(refused)
        page.get_by_role("button", name="Deel op Mastodon").click()
        assert field.get_attribute("aria-invalid") == "true", refused
    page.wait_for_timeout(300)
    assert len(context.pages) == 1 + len(typed_and_meant), "a refused name opened a tab"
    context.close()
