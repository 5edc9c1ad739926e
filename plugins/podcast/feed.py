"""Show + episodes → the podcast RSS feed (bytes), with feedgen and our own extensions.

feedgen 1.0.0 writes RSS 2.0, atom:link and content:encoded, but its podcast extension writes
``itunes:explicit`` as yes/no/clean and it has no ``podcast:`` namespace. So, the way feedgen's
own extensions are built, there is one extension class per namespace here: ``itunes`` (Apple)
and ``podcast`` (Podcast Index), each with a channel and an item class.

Text in HTML fields: RSS 2.0 defines ``description`` as (entity-encoded) HTML, and podcast
clients render it so (feedparser sanitises it as HTML, Apple Podcasts shows its markup). A summary
typed as ``<img src=x onerror=…>`` must arrive as those characters, so plain text is HTML-escaped
before it goes into a ``description``; titles are plain text in every client and stay as they are.

Deterministic: items are ordered by date (newest first), then episode number and source;
``lastBuildDate`` is the newest item's date, never "now".
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from .facts import AudioFacts
from .shows import Show

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def _set(parent, tag: str, text: str | None = None, **attributes):
    element = xml_elem(tag, parent, **{k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        element.text = text
    return element


class _TagValues:
    """Tag values an extension writes: `set(...)` collects them, `extend_rss` writes them."""

    def __init__(self):
        self.values: dict = {}

    def set(self, **values) -> None:
        self.values.update(values)

    def extend_atom(self, atom_feed):  # pragma: no cover - podcasts are RSS
        return atom_feed


class ItunesExtension(_TagValues, BaseExtension):
    """Channel-level ``itunes:`` tags (Apple Podcasts)."""

    def extend_ns(self):
        return {"itunes": ITUNES_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        v = self.values
        for name in ("author", "summary"):
            if v.get(name):
                _set(channel, f"{{{ITUNES_NS}}}{name}", v[name])
        if v.get("owner_name") or v.get("owner_email"):
            owner = _set(channel, f"{{{ITUNES_NS}}}owner")
            _set(owner, f"{{{ITUNES_NS}}}name", v.get("owner_name"))
            _set(owner, f"{{{ITUNES_NS}}}email", v.get("owner_email"))
        if v.get("image"):
            _set(channel, f"{{{ITUNES_NS}}}image", href=v["image"])
        if v.get("category"):
            category = xml_elem(f"{{{ITUNES_NS}}}category", channel, text=v["category"])
            if v.get("subcategory"):
                xml_elem(f"{{{ITUNES_NS}}}category", category, text=v["subcategory"])
        if "explicit" in v:
            _set(channel, f"{{{ITUNES_NS}}}explicit", "true" if v["explicit"] else "false")
        if v.get("type"):
            _set(channel, f"{{{ITUNES_NS}}}type", v["type"])
        if v.get("complete"):
            _set(channel, f"{{{ITUNES_NS}}}complete", "Yes")
        return rss_feed


class ItunesEntryExtension(_TagValues, BaseEntryExtension):
    """Item-level ``itunes:`` tags."""

    def extend_rss(self, item):
        v = self.values
        if v.get("title"):
            _set(item, f"{{{ITUNES_NS}}}title", v["title"])
        if v.get("duration") is not None:
            _set(item, f"{{{ITUNES_NS}}}duration", str(int(v["duration"])))
        if v.get("image"):
            _set(item, f"{{{ITUNES_NS}}}image", href=v["image"])
        if v.get("explicit") is not None:
            _set(item, f"{{{ITUNES_NS}}}explicit", "true" if v["explicit"] else "false")
        for name in ("season", "episode"):
            if v.get(name) is not None:
                _set(item, f"{{{ITUNES_NS}}}{name}", str(int(v[name])))
        if v.get("episode_type"):
            _set(item, f"{{{ITUNES_NS}}}episodeType", v["episode_type"])
        return item


class PodcastIndexExtension(_TagValues, BaseExtension):
    """Channel-level ``podcast:`` tags (podcastindex.org/namespace/1.0)."""

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        v = self.values
        if v.get("guid"):
            _set(channel, f"{{{PODCAST_NS}}}guid", v["guid"])
        if "locked" in v:
            _set(
                channel,
                f"{{{PODCAST_NS}}}locked",
                "yes" if v["locked"] else "no",
                owner=v.get("owner"),
            )
        return rss_feed


class PodcastIndexEntryExtension(_TagValues, BaseEntryExtension):
    """Item-level ``podcast:`` tags: chapters and transcript."""

    def extend_rss(self, item):
        v = self.values
        if v.get("chapters"):
            _set(
                item,
                f"{{{PODCAST_NS}}}chapters",
                url=v["chapters"],
                type="application/json+chapters",
            )
        if v.get("transcript"):
            url, kind, language = v["transcript"]
            _set(item, f"{{{PODCAST_NS}}}transcript", url=url, type=kind, language=language)
        return item


@dataclass(frozen=True)
class FeedItem:
    """Everything the feed says about one episode; all URLs absolute and ASCII."""

    guid: str
    title: str  # as typed: <title>
    page_url: str
    date: datetime  # timezone-aware
    description: str  # plain text summary
    content_html: str  # show notes, links made absolute
    audio_url: str
    facts: AudioFacts
    number: int | None = None
    season: int | None = None
    episode_type: str = "full"
    explicit: bool | None = None
    image_url: str | None = None
    chapters_url: str | None = None
    transcript: tuple[str, str, str] | None = None  # (url, type, language)
    source: str = ""
    itunes_title: str = ""  # the title without its number (episodes.episode_title)
    episode_display: str = ""  # podcast:episode display, e.g. "Les 4"


def _html_text(text: str) -> str:
    """Plain text as the HTML an RSS ``description`` holds."""
    return html.escape(text, quote=False)


def feed_order(items: list[FeedItem]) -> list[FeedItem]:
    return sorted(items, key=lambda i: (i.date, i.number or 0, i.source), reverse=True)


def build_feed(
    show: Show,
    items: list[FeedItem],
    feed_url: str,
    site_url: str,
    artwork_url: str,
    podcast_guid: str,
    generator: str = "Schitter",
) -> bytes:
    """The RSS document of a show. Same input → same bytes."""
    feed = FeedGenerator()
    feed.register_extension("itunes", ItunesExtension, ItunesEntryExtension, atom=False)
    feed.register_extension(
        "podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension, atom=False
    )
    feed.title(show.title)
    feed.description(_html_text(show.description))
    feed.link(href=feed_url, rel="self", type="application/rss+xml")
    feed.link(href=site_url, rel="alternate")  # feedgen's RSS <link> is the last link given
    feed.language(show.language)
    feed.generator(generator)
    feed.image(url=artwork_url, title=show.title, link=site_url)
    if show.copyright:
        feed.copyright(show.copyright)
    feed.itunes.set(
        author=show.author,
        summary=show.summary or None,
        owner_name=show.owner_name,
        owner_email=show.owner_email,
        image=artwork_url,
        category=show.category,
        subcategory=show.subcategory,
        explicit=show.explicit,
        type=show.type,
        complete=show.complete,
    )
    feed.podcastindex.set(guid=podcast_guid, locked=show.locked, owner=show.owner_email)
    ordered = feed_order(items)
    for item in ordered:
        entry = feed.add_entry(order="append")
        entry.guid(item.guid, permalink=False)
        entry.title(item.title)
        entry.link(href=item.page_url)
        entry.pubDate(item.date)
        entry.description(_html_text(item.description or item.title))
        if item.content_html:
            entry.content(item.content_html, type="CDATA")
        entry.enclosure(item.audio_url, str(item.facts.size), item.facts.mime)
        entry.itunes.set(
            title=item.itunes_title or item.title,
            duration=item.facts.seconds,
            image=item.image_url,
            explicit=item.explicit,
            season=item.season,
            episode=item.number,
            episode_type=item.episode_type,
        )
        entry.podcastindex.set(chapters=item.chapters_url, transcript=item.transcript)
    if ordered:
        feed.lastBuildDate(max(item.date for item in ordered))
    xml = feed.rss_str(pretty=True)
    if not ordered:  # no episodes yet: feedgen would write "now"; leave lastBuildDate out
        tree = etree.fromstring(xml)
        for element in tree.iter("lastBuildDate"):
            element.getparent().remove(element)
        xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml
