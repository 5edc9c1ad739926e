"""Show + episodes → the podcast RSS feed (bytes), with feedgen and our own extensions.

feedgen 1.0.0 writes RSS 2.0, atom:link and content:encoded, but its podcast extension writes
``itunes:explicit`` as yes/no/clean and it has no ``podcast:`` namespace. So, the way feedgen's
own extensions are built, there is one extension module per namespace: ``itunes_ext`` (Apple)
and ``podcastindex_ext`` (Podcast Index), each with a channel and an item class and a checked
accessor per tag.

Text in HTML fields: RSS 2.0 defines ``description`` as (entity-encoded) HTML, and podcast
clients render it so (feedparser sanitises it as HTML, Apple Podcasts shows its markup). A summary
typed as ``<img src=x onerror=…>`` must arrive as those characters, so plain text is HTML-escaped
before it goes into a ``description``; titles are plain text in every client and stay as they are.
``content:encoded`` holds the show notes as sanitised HTML (``shownotes.py``).

Deterministic: items are ordered by date (newest first), then episode number and source;
``lastBuildDate`` is the newest item's date, never "now".
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator
from lxml import etree

from .episode_rules import episode_title
from .facts import AudioFacts
from .itunes_ext import ItunesEntryExtension, ItunesExtension
from .podcastindex_ext import PodcastIndexEntryExtension, PodcastIndexExtension
from .published import Episode
from .shownotes import feed_notes
from .shows import Show
from .tag_fields import item_persons
from .tags import Funding, License, Person, RemoteItem, Soundbite, Trailer, TranscriptLink


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
    transcripts: tuple[TranscriptLink, ...] = ()
    source: str = ""
    itunes_title: str = ""  # the title without its number (episodes.episode_title)
    episode_display: str = ""  # podcast:episode display, e.g. "Les 4"
    persons: tuple[Person, ...] = ()  # as the item lists them (tag_fields.item_persons)
    funding: tuple[Funding, ...] = ()
    soundbites: tuple[Soundbite, ...] = ()
    license: License | None = None


def feed_item(
    episode: Episode,
    title: str,
    page_url: str,
    summary: str,
    notes_html: str,
    typed_title: str = "",
    language: str = "",
) -> FeedItem:
    """The feed's view of an episode. ``title``, ``page_url`` and ``summary`` are the site
    model's (plain text, canonical absolute URL); ``notes_html`` the article's show notes;
    ``typed_title`` its ``EpisodeTitle:`` field; ``language`` its ``Lang:`` (what a transcript
    without a language in its file name is in; else the show's language)."""
    show = episode.show
    itunes_title, display = episode_title(title, episode.number, typed_title)
    tags = episode.tags or {}
    return FeedItem(
        guid=episode.guid,
        title=title,
        page_url=page_url,
        date=episode.date,
        description=summary.encode()[:4000].decode(errors="ignore"),
        content_html=feed_notes(notes_html, page_url),
        audio_url=episode.links.audio_url_absolute,
        facts=episode.facts,
        number=episode.number,
        season=episode.season,
        episode_type=episode.episode_type,
        explicit=episode.explicit,
        image_url=episode.links.image_url or None,
        chapters_url=episode.links.chapters_url or None,
        transcripts=tuple(
            TranscriptLink(
                url,
                transcript.type,
                transcript.language or language or show.language,
                transcript.captions,
            )
            for (transcript, _), url in zip(
                episode.transcripts, episode.links.transcript_urls, strict=True
            )
        ),
        source=episode.source,
        itunes_title=itunes_title,
        episode_display=display,
        persons=item_persons(tags.get("persons", ()), show.persons),
        funding=tags.get("funding", ()),
        soundbites=tags.get("soundbites", ()),
        license=tags.get("license"),
    )


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
    feed = _channel(show, feed_url, site_url, artwork_url, podcast_guid, generator)
    ordered = feed_order(items)
    for trailer in trailers(ordered):
        feed.podcastindex.trailer(trailer)
    for item in ordered:
        _entry(feed, item, show)
    if ordered:
        feed.lastBuildDate(max(item.date for item in ordered))
    xml = feed.rss_str(pretty=True)
    if not ordered:  # no episodes yet: feedgen would write "now"; leave lastBuildDate out
        tree = etree.fromstring(xml)
        for element in tree.iter("lastBuildDate"):
            element.getparent().remove(element)
        xml = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml


def trailers(items: list[FeedItem]) -> list[Trailer]:
    """``podcast:trailer`` of the channel: every episode of type trailer (newest first)."""
    return [
        Trailer(
            item.title,
            item.audio_url,
            item.date,
            item.facts.size,
            item.facts.mime,
            item.season,
        )
        for item in items
        if item.episode_type == "trailer"
    ]


def _channel(show: Show, feed_url, site_url, artwork_url, podcast_guid, generator):
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
    itunes = feed.itunes
    itunes.author(show.author)
    if show.summary:
        itunes.summary(show.summary)
    itunes.owner(show.owner_name, show.owner_email)
    itunes.image(artwork_url)
    itunes.category(show.category, show.subcategory)
    itunes.explicit(show.explicit)
    itunes.type(show.type)
    itunes.complete(show.complete)
    if show.new_feed_url:
        itunes.new_feed_url(show.new_feed_url)
    itunes.block(show.block)
    index = feed.podcastindex
    index.guid(podcast_guid)
    index.locked(show.locked, show.owner_email)
    index.block(show.block)
    if show.medium:
        index.medium(show.medium)
    if show.license:
        index.license(show.license)
    for person in show.persons:
        index.person(person)
    for funding in show.funding:
        index.funding(funding)
    for txt in show.txt:
        index.txt(txt)
    podroll = [item for item in show.podroll if isinstance(item, RemoteItem)]
    if podroll:
        index.podroll(podroll)
    if show.update_frequency:
        index.update_frequency(show.update_frequency)
    return feed


def _entry(feed, item: FeedItem, show: Show) -> None:
    entry = feed.add_entry(order="append")
    entry.guid(item.guid, permalink=False)
    entry.title(item.title)
    entry.link(href=item.page_url)
    entry.pubDate(item.date)
    entry.description(_html_text(item.description or item.title))
    if item.content_html:
        entry.content(item.content_html, type="CDATA")
    entry.enclosure(item.audio_url, str(item.facts.size), item.facts.mime)
    itunes = entry.itunes
    itunes.title(item.itunes_title or item.title)
    itunes.duration(item.facts.seconds)
    if item.image_url:
        itunes.image(item.image_url)
    if item.explicit is not None:
        itunes.explicit(item.explicit)
    if item.season is not None:
        itunes.season(item.season)
    if item.number is not None:
        itunes.episode(item.number)
    itunes.episode_type(item.episode_type)
    index = entry.podcastindex
    if item.chapters_url:
        index.chapters(item.chapters_url)
    for transcript in item.transcripts:
        index.transcript(transcript)
    if item.season is not None:
        index.season(item.season, show.season_name(item.season))
    if item.number is not None:
        index.episode(item.number, item.episode_display)
    for person in item.persons:
        index.person(person)
    for soundbite in item.soundbites:
        index.soundbite(soundbite)
    for funding in item.funding:
        index.funding(funding)
    if item.license:
        index.license(item.license)
