"""Hostile text in every place an author or a tag can put it comes out inert and well-formed.

A generated site (an article, a podcast episode with a tagged MP3 and chapters, a standalone MP3
that takes its title and notes from its tags) carries script tags, attribute breakers, CDATA
terminators, control characters, an RTL override and emoji in titles, summaries, tags, author
names, ID3 titles and chapter titles. It is built with the real pelican CLI (dev and publish) and
every output is parsed: HTML pages, their attributes and share links, JSON-LD, the chapters JSON,
the podcast feed, the Atom/RSS article feeds and the sitemap.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.etree
import lxml.html
import pytest

from tests import audio_fixtures as af
from tests import fixture_site
from tests.nu_checker import nu_errors
from tests.sitecheck import build, parse_page

SHOW = fixture_site.PODCAST
# Each payload, if it ever ran, would be seen: it sets window.__pwned and opens a dialog.
SCRIPT = "<script>alert(window.__pwned=1)</script>"
CLOSE = "</script>"
ATTR = '"><img src=x onerror=alert(window.__pwned=1)>'
CDATA = "]]>"
RTL = "\u202e"
EMOJI = "🎉"
CONTROLS = "\x07\x1b"

PDF = "\u202c"  # POP DIRECTIONAL FORMATTING: ends an override
# Legitimate right-to-left text with an RLM mark: must come out byte for byte as typed.
HEBREW_TITLE = "שלום עולם \u200fמבחן 3"
HEBREW_AUTHOR = "דנה כהן"

# What the author typed (controls included) and what a reader must see: the same text with the
# control characters gone (XML 1.0 cannot carry them; in HTML they are invisible garbage), and
# the right-to-left override (RLO) the author left open closed at the end of the field, so that
# it cannot reverse the text we put after it (" · Community Kompas" in <title>, feed titles).
ARTICLE_TITLE = f"Kwaad {SCRIPT} {ATTR} {CDATA} {RTL}omgekeerd {EMOJI} bel{CONTROLS}!"
ARTICLE_SUMMARY = f"Samenvatting {CLOSE} {ATTR} {CDATA} {EMOJI}{CONTROLS}"
TAG = f"tag {SCRIPT}{EMOJI}"
AUTHOR = f"Auteur {ATTR}{RTL}"
EPISODE_TITLE = f"Aflevering {CLOSE}{SCRIPT} {ATTR} {CDATA} {RTL}{EMOJI}{CONTROLS}"
CHAPTER_TITLE = f"Hoofdstuk {SCRIPT} {ATTR} {CDATA} {RTL}{EMOJI}{CONTROLS}"
ID3_TITLE = f"Uit de tags {SCRIPT} {ATTR} {CDATA} {RTL}{EMOJI}{CONTROLS}"
PAGE_TITLE = f"Pagina {SCRIPT} {ATTR}{CONTROLS}"
BODY = f"Shownotes met {CDATA} en a{CDATA}b erin."
ID3_NOTES = f"Notities {SCRIPT} {ATTR} {CDATA} {EMOJI}{CONTROLS}"


def clean(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return text + PDF * (text.count(RTL) - text.count(PDF))


def article_md(title, summary, extra=""):
    return (
        f"Title: {title}\nDate: 2026-03-01 09:00\nCategory: Artikelen\nTags: {TAG}, gewoon\n"
        f"Author: {AUTHOR}\nSummary: {summary}\n{extra}\nGewone tekst.\n"
    )


def make_content(root: Path) -> Path:
    # The test site's images (show artwork, link-preview image) and favicons.
    content = fixture_site.write_site(root / "content", only=("images/", "extra/"))
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "kwaad.md").write_text(
        article_md(ARTICLE_TITLE, ARTICLE_SUMMARY, "Slug: kwaad"), encoding="utf-8"
    )
    audio = af.encode(6.0, bitrate=64, seed=1)
    af.write(
        content / "audio" / "kwaad.mp3",
        af.tag(
            audio,
            title="Gewoon",
            album=fixture_site.PODCAST_TITLE,
            chapters=[(0, 3, CHAPTER_TITLE), (3, 6.0, f"Tweede {CLOSE}")],
        ),
    )
    (content / "articles" / "hebreeuws.md").write_text(
        f"Title: {HEBREW_TITLE}\nDate: 2026-02-20 09:00\nCategory: Artikelen\nSlug: hebreeuws\n"
        f"Author: {HEBREW_AUTHOR}\n"
        f"Summary: {HEBREW_TITLE}\n\nTekst.\n",
        encoding="utf-8",
    )
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "kwaad.md").write_text(
        f"Title: {PAGE_TITLE}\nSlug: kwade-pagina\nSummary: {ARTICLE_SUMMARY}\n\nTekst.\n",
        encoding="utf-8",
    )
    (content / "podcast").mkdir(parents=True)
    (content / "podcast" / "kwaad.md").write_text(
        f"Title: {EPISODE_TITLE}\nDate: 2026-03-02 09:00\nCategory: Podcast\nTags: {TAG}\n"
        f"Author: {AUTHOR}\nSummary: {ARTICLE_SUMMARY}\nSlug: afl-kwaad\nPodcast: {SHOW}\n"
        f"Episode: 1\nAudio: audio/kwaad.mp3\n\n{BODY}\n",
        encoding="utf-8",
    )
    af.write(
        content / "podcast" / "uit-tags.mp3",
        af.tag(
            af.encode(6.0, bitrate=96, seed=4),
            title=ID3_TITLE,
            album=fixture_site.PODCAST_TITLE,
            comment=ID3_NOTES,
            track="2",
            date="2026-03-03",
        ),
    )
    return content


def overrides() -> dict:
    shows = {SHOW: fixture_site.shows()[SHOW]}
    return {**fixture_site.overrides(), "PODCAST_SHOWS": shows, "NEWSLETTER_COURSE": ""}


@pytest.fixture(scope="module")
def hostile_builds(tmp_path_factory):
    """The hostile site built once per kind ("dev", "publish") for the whole module."""
    built: dict[str, Path] = {}

    def get(kind: str) -> Path:
        if kind not in built:
            root = tmp_path_factory.mktemp(f"hostile-{kind}")
            content = make_content(root)
            if kind == "dev":
                built[kind] = build(root / "output", content=content, overrides=overrides())
            else:
                built[kind] = build(
                    root / "output",
                    settings="publishconf.py",
                    content=content,
                    overrides={**overrides(), "RATINGS_ALLOW_MISSING_SNAPSHOT": True},
                )
        return built[kind]

    return get


@pytest.fixture(scope="module", params=["dev", "publish"])
def site(request, hostile_builds):
    return hostile_builds(request.param)


def pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def doc(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def test_every_page_is_inert(site):
    html_pages = pages(site)
    assert len(html_pages) > 5
    for path in html_pages:
        tree = doc(path)
        for script in tree.iter("script"):
            src = script.get("src")
            if src is not None:
                # Our own scripts only: site.js (or podcast.js, site.js with the player's part:
                # plugins/assets/bundles.py), search.js on the search page, course.js on a
                # course's page.
                ours = ("/theme/js/site.js", "/theme/js/podcast.js")
                if path.parent.name == "zoeken":
                    ours += ("/theme/js/search.js",)
                if path.parent.parent.name == "podcast":
                    ours += ("/theme/js/course.js",)
                assert src.endswith(ours), (path, src)
                assert not (script.text or "").strip()
            else:
                assert script.get("type") == "application/ld+json", (path, script.text)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name in element.attrib:
                assert not name.lower().startswith("on"), (path, element.tag, name)
            assert element.tag != "img" or element.get("src") != "x", path
        raw = path.read_text(encoding="utf-8")
        assert SCRIPT not in raw, path
        assert "<img src=x" not in raw, path
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", raw), path
        assert parse_page(path).errors == [], path


def test_every_page_is_valid_html(site):
    """Hostile text leaves every page valid by the Nu HTML Checker (one run per build)."""
    found = nu_errors(pages(site), relative_to=site)
    assert not found, "\n".join(found)


def test_hostile_text_is_shown_as_text(site):
    article = doc(site / "kwaad" / "index.html")
    assert article.findtext(".//title").startswith(clean(ARTICLE_TITLE))
    assert article.xpath("string(.//h1)").strip() == clean(ARTICLE_TITLE)
    text = article.text_content()
    assert clean(AUTHOR) in text
    assert TAG in text
    episode = doc(site / "afl-kwaad" / "index.html")
    assert episode.xpath("string(.//h1)").strip() == clean(EPISODE_TITLE)
    chapter_text = " ".join(
        e.text_content() for e in episode.xpath('.//*[contains(@class, "chapters__list")]')
    )
    assert clean(CHAPTER_TITLE) in chapter_text
    assert f"Tweede {CLOSE}" in chapter_text
    standalone = [
        p for p in pages(site) if doc(p).xpath("string(.//h1)").strip() == clean(ID3_TITLE)
    ]
    assert len(standalone) == 1
    assert clean(ID3_NOTES) in doc(standalone[0]).text_content()
    page = doc(site / "kwade-pagina" / "index.html")
    assert page.xpath("string(.//h1)").strip() == clean(PAGE_TITLE)
    assert page.findtext(".//title").startswith(clean(PAGE_TITLE) + " · ")
    tag_pages = [p for p in (site / "tag").rglob("index.html") if doc(p).findtext(".//h1") == TAG]
    assert len(tag_pages) == 1
    assert doc(tag_pages[0]).findtext(".//title").startswith(TAG + " · ")
    author_pages = [
        p
        for p in (site / "auteur").rglob("index.html")
        if doc(p).findtext(".//h1") == clean(AUTHOR)
    ]
    assert len(author_pages) == 1
    index = doc(site / "index.html").text_content()
    assert clean(ARTICLE_TITLE) in index
    assert clean(ARTICLE_SUMMARY) in index


def test_attributes_carry_the_text(site):
    article = doc(site / "kwaad" / "index.html")
    meta = {(m.get("property") or m.get("name")): m.get("content") for m in article.iter("meta")}
    assert meta["og:title"] == clean(ARTICLE_TITLE)
    assert meta["twitter:title"] == clean(ARTICLE_TITLE)
    assert meta["description"] == clean(ARTICLE_SUMMARY)
    assert meta["og:description"] == clean(ARTICLE_SUMMARY)
    tags = [m.get("content") for m in article.xpath('.//meta[@property="article:tag"]')]
    assert TAG in tags
    authors = [m.get("content") for m in article.xpath('.//meta[@property="article:author"]')]
    assert len(authors) == 1 and authors[0].endswith("/auteur/auteur/")  # a profile URL
    episode = doc(site / "afl-kwaad" / "index.html")
    og = episode.xpath('string(.//meta[@property="og:title"]/@content)')
    assert og == clean(EPISODE_TITLE)


@pytest.mark.parametrize(
    ("slug", "title"), [("kwaad", ARTICLE_TITLE), ("afl-kwaad", EPISODE_TITLE)]
)
def test_share_urls_decode_to_the_title(site, slug, title):
    page = doc(site / slug / "index.html")
    links = [a.get("href") for a in page.xpath('.//a[@class="share__link"][@href]')]
    assert len(links) >= 3
    carrying = 0
    for href in links:
        parts = urlsplit(href)
        values = [v for vs in parse_qs(parts.query).values() for v in vs]
        assert not re.search(r"[<>\"\s\u202e]", href), href  # all percent-encoded
        carrying += any(clean(title) in value for value in values)
    assert carrying >= 2, links
    share = page.xpath(".//*[@data-share-title]")
    assert [e.get("data-share-title") for e in share] == [clean(title)]


def json_ld(path: Path) -> list:
    raw = path.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', raw, flags=re.DOTALL)
    tree = doc(path)
    scripts = tree.xpath('.//script[@type="application/ld+json"]')
    assert len(scripts) == len(blocks)
    for block, script in zip(blocks, scripts, strict=True):
        assert block == script.text  # the element ends where the JSON ends: no early </script>
        assert "</" not in block
    return [json.loads(block) for block in blocks]


def test_json_ld_holds_the_text_verbatim(site):
    blocks = json_ld(site / "kwaad" / "index.html")
    assert blocks
    dumped = json.dumps(blocks, ensure_ascii=False)
    assert json.dumps(clean(ARTICLE_TITLE), ensure_ascii=False)[1:-1] in dumped
    episode_blocks = json_ld(site / "afl-kwaad" / "index.html")
    dumped = json.dumps(episode_blocks, ensure_ascii=False)
    assert json.dumps(clean(EPISODE_TITLE), ensure_ascii=False)[1:-1] in dumped


def test_chapters_json(site):
    files = sorted(site.rglob("*chapters*.json"))
    assert files, "no chapters JSON written"
    titles = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        titles += [chapter["title"] for chapter in data["chapters"]]
    assert clean(CHAPTER_TITLE) in titles
    assert f"Tweede {CLOSE}" in titles


def html_text(fragment: str) -> str:
    """The text a reader sees of an HTML fragment; fails if it holds any element."""
    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    assert [e.tag for e in tree.iter() if isinstance(e.tag, str)] in (["div"], ["div", "p"]), (
        fragment
    )
    return tree.text_content()


def xml(path: Path):
    return lxml.etree.fromstring(path.read_bytes(), parser=lxml.etree.XMLParser(recover=False))


def test_podcast_feed_is_well_formed(site):
    feed = xml(site / "podcast" / SHOW / "feed.xml")
    ns = {"content": "http://purl.org/rss/1.0/modules/content/"}
    items = {item.findtext("title"): item for item in feed.iter("item")}
    assert set(items) == {clean(EPISODE_TITLE), clean(ID3_TITLE)}
    standalone = items[clean(ID3_TITLE)]
    # RSS <description> is HTML: the typed text arrives HTML-escaped inside it.
    assert html_text(standalone.findtext("description")) == clean(ID3_NOTES)
    notes = lxml.html.fragment_fromstring(
        standalone.findtext("content:encoded", namespaces=ns), create_parent="div"
    )
    assert notes.text_content() == clean(ID3_NOTES)
    episode = items[clean(EPISODE_TITLE)]
    assert html_text(episode.findtext("description")) == clean(ARTICLE_SUMMARY)
    body = lxml.html.fragment_fromstring(
        episode.findtext("content:encoded", namespaces=ns), create_parent="div"
    )
    assert BODY in body.text_content()
    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}title"
    assert sorted(item.findtext(itunes) for item in items.values()) == sorted(items)


def test_article_feeds_are_well_formed(site):
    atom = xml(site / "feeds" / "alles.atom.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = atom.xpath("//a:entry/a:title/text()", namespaces=ns)
    assert clean(ARTICLE_TITLE) in titles
    entry = next(
        e
        for e in atom.iterfind("a:entry", ns)
        if e.findtext("a:title", namespaces=ns) == clean(ARTICLE_TITLE)
    )
    assert entry.findtext("a:author/a:name", namespaces=ns) == clean(AUTHOR)
    assert TAG in [c.get("term") for c in entry.iterfind("a:category", ns)]
    summary = lxml.html.fragment_fromstring(
        entry.findtext("a:summary", namespaces=ns), create_parent="div"
    )
    assert summary.text_content() == clean(ARTICLE_SUMMARY)
    rss = xml(site / "feeds" / "alles.rss.xml")
    assert clean(ARTICLE_TITLE) in rss.xpath("//item/title/text()")
    for path in site.rglob("*.xml"):
        xml(path)


def test_sitemap_is_well_formed(site):
    sitemap = xml(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = sitemap.xpath("//s:loc/text()", namespaces=ns)
    assert any(loc.rstrip("/").endswith("/kwaad") for loc in locs)


# What real podcast clients and feed readers make of the feeds. RSS titles are plain text in
# every client; <description> is HTML (feedparser sanitises it as HTML, and before it was
# HTML-escaped a typed `"><img src=x onerror=…>` came out of feedparser as a real <img> and the
# text around it was lost). So: titles equal the typed text, descriptions are HTML whose text
# is the typed text and that holds no element of the author's.

EPISODES = {
    clean(EPISODE_TITLE): (clean(ARTICLE_SUMMARY), "audio/kwaad.mp3", "afl-kwaad/chapters.json"),
    clean(ID3_TITLE): (clean(ID3_NOTES), "podcast/uit-tags.mp3", None),
}


def site_base(site: Path) -> str:
    return "http://127.0.0.1:8000" if "hostile-dev" in str(site) else publishconf_siteurl()


def publishconf_siteurl() -> str:
    import publishconf

    return publishconf.SITEURL


def test_podcastparser_reads_the_typed_text(site):
    import podcastparser

    feed = site / "podcast" / SHOW / "feed.xml"
    base = site_base(site)
    with feed.open("rb") as stream:
        parsed = podcastparser.parse(f"{base}/podcast/{SHOW}/feed.xml", stream)
    episodes = {e["title"]: e for e in parsed["episodes"]}
    assert set(episodes) == set(EPISODES)
    for title, (summary, audio, _chapters) in EPISODES.items():
        episode = episodes[title]
        # podcastparser passes a <description> that holds no tag through as it is: HTML.
        assert html_text(episode["description"]) == summary
        (enclosure,) = episode["enclosures"]
        assert enclosure["url"] == f"{base}/{audio}"
        assert enclosure["file_size"] == (site / audio).stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
    # The show notes (content:encoded) are HTML with the text as written, ]]> included.
    notes = lxml.html.fragment_fromstring(
        episodes[clean(EPISODE_TITLE)]["description_html"], create_parent="div"
    )
    assert notes.text_content() == BODY
    # podcastparser 0.6.11 knows the Podcast Index namespace only by its old GitHub URL, not
    # https://podcastindex.org/namespace/1.0: podcast:chapters is checked with feedparser.


def test_feedparser_reads_the_typed_text(site):
    import feedparser

    base = site_base(site)
    parsed = feedparser.parse((site / "podcast" / SHOW / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = {e.title: e for e in parsed.entries}
    assert set(entries) == set(EPISODES)
    for title, (summary, audio, chapters) in EPISODES.items():
        entry = entries[title]
        assert entry.title_detail.type == "text/plain"
        assert entry.itunes_title == title
        assert entry.summary_detail.type == "text/html"
        assert html_text(entry.summary) == summary
        (enclosure,) = entry.enclosures
        assert enclosure.href == f"{base}/{audio}"
        assert int(enclosure.length) == (site / audio).stat().st_size
        if chapters:
            assert entry.podcast_chapters["url"] == f"{base}/{chapters}"
            assert entry.podcast_chapters["type"] == "application/json+chapters"
        else:
            assert "podcast_chapters" not in entry
    (content,) = entries[clean(EPISODE_TITLE)].content
    assert lxml.html.fragment_fromstring(content.value, create_parent="div").text_content() == BODY


@pytest.mark.parametrize("name", ["alles.atom.xml", "alles.rss.xml"])
def test_feedparser_reads_the_article_feeds(site, name):
    import feedparser

    parsed = feedparser.parse((site / "feeds" / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    entries = {e.title: e for e in parsed.entries}
    assert set(entries) == {
        clean(ARTICLE_TITLE),
        clean(EPISODE_TITLE),
        clean(ID3_TITLE),
        HEBREW_TITLE,
    }
    article = entries[clean(ARTICLE_TITLE)]
    assert article.title_detail.type == "text/plain"
    assert article.author == clean(AUTHOR)
    assert TAG in [t.term for t in article.tags]
    assert article.summary_detail.type == "text/html"
    text = html_text(article.summary)
    assert text == (clean(ARTICLE_SUMMARY) if name.endswith("atom.xml") else "Gewone tekst.")
    episode = entries[clean(EPISODE_TITLE)]
    assert episode.author == clean(AUTHOR)


def overrides_closed(text: str) -> bool:
    """Every RLO in ``text`` is ended by a PDF after it."""
    depth = 0
    for char in text:
        depth = depth + 1 if char == RTL else max(depth - 1, 0) if char == PDF else depth
    return depth == 0


def test_an_open_override_ends_before_our_text(site):
    suffix = " · Community Kompas"
    standalone = next(p for p in pages(site) if doc(p).findtext(".//h1") == clean(ID3_TITLE))
    author = next(
        p for p in (site / "auteur").rglob("index.html") if RTL in doc(p).findtext(".//h1")
    )
    for path, typed in [
        (site / "kwaad" / "index.html", ARTICLE_TITLE),
        (site / "afl-kwaad" / "index.html", EPISODE_TITLE),
        (standalone, ID3_TITLE),
        (author, AUTHOR),
    ]:
        title = doc(path).findtext(".//title")
        assert title.endswith(suffix), (path, title)
        assert title.startswith(clean(typed)), (path, title)
        own = title[: -len(suffix)]
        assert RTL in own and overrides_closed(own), (path, title)
    # The feeds put the title inside our own markup only, but readers set it next to theirs.
    feed = xml(site / "podcast" / SHOW / "feed.xml")
    for title in feed.xpath("//item/title/text()"):
        assert overrides_closed(title), title


def test_right_to_left_text_stays_as_typed(site):
    path = site / "hebreeuws" / "index.html"
    assert HEBREW_TITLE.encode() in path.read_bytes()
    page = doc(path)
    assert page.xpath("string(.//h1)").strip() == HEBREW_TITLE
    assert page.findtext(".//title") == HEBREW_TITLE + " · Community Kompas"
    og = page.xpath('string(.//meta[@property="og:title"]/@content)')
    assert og == HEBREW_TITLE
    assert page.xpath('string(.//meta[@name="description"]/@content)') == HEBREW_TITLE
    atom = xml(site / "feeds" / "alles.atom.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert HEBREW_TITLE in atom.xpath("//a:entry/a:title/text()", namespaces=ns)


# In a real browser (Debian's Chromium): every page of the hostile site is opened over loopback.
# A payload that ran would set window.__pwned, open a dialog or request /x; none may happen.

SUFFIX = " · Community Kompas"

PAGE_STATE = """() => {
  const strings = [];
  const walk = (v) => {
    if (typeof v === "string") strings.push(v);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  const blocks = [...document.querySelectorAll('script[type="application/ld+json"]')];
  blocks.forEach((s) => walk(JSON.parse(s.textContent)));
  const shares = [...document.querySelectorAll("a.share__link")].map((a) =>
    [...new URL(a.href).searchParams.values()]);
  const h1 = document.querySelector("main h1");
  return {
    pwned: typeof window.__pwned,
    title: document.title,
    h1: h1 ? h1.textContent.trim() : null,
    jsonLd: strings,
    jsonLdBlocks: blocks.length,
    shares,
  };
}"""


@pytest.fixture(scope="module")
def hostile_url(hostile_builds):
    from schitter.devserver import serve_in_background, url_of

    server = serve_in_background(hostile_builds("dev"))
    yield url_of(server)
    server.shutdown()


class WatchedPage:
    """One browser tab that records, per visit, the dialogs, console errors and requests."""

    def __init__(self, browser):
        self.page = browser.new_page()  # one tab for many visits: a new tab costs ~1 s
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visit(self, url: str):
        self.dialogs.clear()
        self.errors.clear()
        self.requests.clear()
        # "load": the page's scripts have run and its images were requested (or failed).
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        return self.page


@pytest.mark.browser
def test_no_payload_runs_in_the_browser(browser, hostile_url, hostile_builds):
    output = hostile_builds("dev")
    paths = [
        "/" + "".join(f"{part}/" for part in p.parent.relative_to(output).parts)
        for p in output.rglob("index.html")
    ]
    assert {"/", "/kwaad/", "/afl-kwaad/", "/archief/", "/auteur/auteur/"} <= set(paths)
    tab = WatchedPage(browser)
    for path in sorted(paths):
        page = tab.visit(hostile_url + path)
        state = page.evaluate(PAGE_STATE)
        assert state["pwned"] == "undefined", path
        assert tab.dialogs == [], path
        assert tab.errors == [], (path, tab.errors)
        foreign = [u for u in tab.requests if not u.startswith(hostile_url + "/")]
        assert [u for u in foreign if not u.startswith("data:")] == [], path
        assert not any(urlsplit(u).path == "/x" for u in tab.requests), path
        assert page.locator("img[src='x'], img[onerror]").count() == 0, path
    tab.page.close()


def typed_pages(output: Path) -> list[tuple[str, str]]:
    """(path, the title as a reader must see it) of every page named after hostile text."""
    tag = next(p for p in (output / "tag").rglob("index.html") if doc(p).findtext(".//h1") == TAG)
    return [
        ("/kwaad/", clean(ARTICLE_TITLE)),
        ("/afl-kwaad/", clean(EPISODE_TITLE)),
        ("/uit-tags/", clean(ID3_TITLE)),
        ("/kwade-pagina/", clean(PAGE_TITLE)),
        ("/hebreeuws/", HEBREW_TITLE),
        ("/auteur/auteur/", clean(AUTHOR)),
        (f"/tag/{tag.parent.name}/", TAG),
    ]


@pytest.mark.browser
def test_the_browser_shows_the_typed_text(browser, hostile_url, hostile_builds):
    tab = WatchedPage(browser)
    for path, title in typed_pages(hostile_builds("dev")):
        page = tab.visit(hostile_url + path)
        state = page.evaluate(PAGE_STATE)
        assert state["h1"] == title, path
        assert state["title"] == title + SUFFIX, path
        if path in ("/kwaad/", "/afl-kwaad/", "/uit-tags/", "/hebreeuws/"):
            assert state["jsonLdBlocks"] >= 1, path
            assert title in state["jsonLd"], (path, state["jsonLd"])
            carrying = [values for values in state["shares"] if any(title in v for v in values)]
            assert len(state["shares"]) >= 3 and len(carrying) >= 2, (path, state["shares"])
    tab.page.close()


@pytest.mark.browser
def test_our_text_after_an_override_reads_left_to_right(browser, hostile_url):
    """The author name ends in an RLO; the date after it in the byline is ours. Left open, the
    override would draw "1 maart 2026" as "6202 traam 1"."""
    tab = WatchedPage(browser)
    page = tab.visit(hostile_url + "/kwaad/")
    assert RTL in page.locator("p.byline a.p-author").text_content()
    first, last = page.evaluate(
        """() => {
          const text = document.querySelector("p.byline time.dt-published").firstChild;
          const range = document.createRange();
          const left = (i) => {
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            return range.getBoundingClientRect().left;
          };
          return [left(0), left(text.length - 1)];
        }"""
    )
    assert first < last
    page.close()


@pytest.mark.browser
def test_our_text_after_right_to_left_text_keeps_its_place(browser, hostile_url):
    """A Hebrew author name is isolated (<bdi>): without it the date after it in the byline
    ("20 februari 2026") joins the right-to-left run and "20" is drawn left of the name."""
    tab = WatchedPage(browser)
    page = tab.visit(hostile_url + "/hebreeuws/")
    assert page.locator("p.byline a.p-author").text_content() == HEBREW_AUTHOR
    name_right, date_left = page.evaluate(
        """() => {
          const name = document.querySelector("p.byline a.p-author").getBoundingClientRect();
          const text = document.querySelector("p.byline time.dt-published").firstChild;
          const range = document.createRange();
          range.setStart(text, 0);
          range.setEnd(text, 1);
          return [name.right, range.getBoundingClientRect().left];
        }"""
    )
    assert date_left > name_right
    tab.page.close()
