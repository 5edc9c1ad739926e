"""An episode as it is published: what the templates (through the site model) and the feed see.

Made once per episode by the glue, when every episode of the build is known: what the episode
says about itself (:class:`~.episode_read.EpisodeRead`), its GUID, its links and its place in
the show. Frozen: nothing fills it in later.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields

from .chapters import visible
from .episode_read import EpisodeRead
from .episode_rules import cover_is_artwork
from .episodes import clock, iso_duration, subscribe_links
from .facts import Chapter
from .tag_fields import item_persons


@dataclass(frozen=True)
class EpisodeLinks:
    """Where an episode's files are published and linked (built by the glue from Pelican's
    paths; page links are SITEURL-relative like every other link, feed links absolute)."""

    page_url: str  # absolute
    audio_url: str  # for the page
    audio_url_absolute: str  # for the feed
    feed_url: str = ""
    show_url: str = ""  # for the page
    chapters_save_as: str = ""  # "" without chapters
    chapters_url: str = ""  # absolute
    cover_save_as: str = ""  # the ID3 cover, when it is valid artwork
    image_url: str = ""  # itunes:image of the item: its own Image:, else the ID3 cover
    # The cover the episode page shows: the item's image, else the show's artwork (for the page)
    cover_url: str = ""
    transcript_url: str = ""  # the first transcript, for the page
    transcript_urls: tuple[str, ...] = ()  # every transcript, absolute (same order)


@dataclass(frozen=True)
class Episode:
    """An article's podcast side, as the templates and the feed see it. Made once, by the
    glue, when every episode of the build is known (its GUID and its place in the show)."""

    read: EpisodeRead
    guid: str
    links: EpisodeLinks
    position: int | None = None  # place in the show (course order)
    total: int | None = None  # episodes in the show, including those not yet published
    previous: object = None  # the article before it in show order
    next: object = None  # the article after it

    def __getattr__(self, name: str):
        # What the episode says about itself (facts, number, show, cues…) and its links.
        if name in _READ_FIELDS:
            return getattr(self.read, name)
        if name in _LINK_FIELDS:
            return getattr(self.links, name)
        raise AttributeError(name)

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        """The chapters a reader sees (hidden chapters are for apps only)."""
        return visible(self.read.facts.chapters)

    @property
    def credits(self) -> tuple:
        """The people of this episode, as apps show them (its own replace the show's)."""
        show = self.read.show.persons if self.read.show else ()
        return item_persons(self.read.tags.get("persons", ()), show) or show

    @property
    def funding(self) -> tuple:
        """Where to support it: the episode's own links, then the show's."""
        own = self.read.tags.get("funding", ())
        return own + (self.read.show.funding if self.read.show else ())

    @property
    def duration(self) -> int:
        return self.read.facts.seconds

    @property
    def duration_clock(self) -> str:
        # As the browser's player shows it (whole seconds, cut off): 74.9 s is 1:14 on the page
        # and in the player alike.
        return clock(self.read.facts.duration, rounded=False)

    @property
    def duration_iso(self) -> str:
        return iso_duration(self.read.facts.duration)

    @property
    def size(self) -> int:
        return self.read.facts.size

    @property
    def mime(self) -> str:
        return self.read.facts.mime

    @property
    def subscribe(self) -> list[tuple[str, str]]:
        show = self.read.show
        return subscribe_links(self.links.feed_url, show.title) if show else []

    def timestamp(self, seconds: float) -> str:
        """A chapter's or cue's start as players show it (never rounded up)."""
        return clock(seconds, rounded=False)

    @staticmethod
    def offset(seconds: float) -> str:
        """A chapter's or cue's start as an HTML duration (``<time datetime>``), e.g. PT62.5S."""
        return f"PT{round(seconds, 3):g}S"

    def seek_url(self, seconds: float) -> str:
        """The audio with a media fragment: works as a plain link, site.js seeks the player."""
        return f"{self.links.audio_url}#t={seconds:g}"


_READ_FIELDS = {f.name for f in fields(EpisodeRead)}
_LINK_FIELDS = {f.name for f in fields(EpisodeLinks)}


def episode_folder(save_as: str) -> str:
    """Where an episode's own files go: its page's folder (``les-1/`` for ``les-1/index.html``),
    or a prefix next to a page that is a file (``les-1-`` for ``les-1.html``)."""
    folder, name = os.path.split(save_as)
    if name == "index.html":
        return f"{folder}/" if folder else ""
    return os.path.splitext(save_as)[0] + "-"


def episode_links(
    read: EpisodeRead,
    page_save_as: str,
    page_url: str,
    link: Callable[[str], str],
    absolute: Callable[[str], str],
    feed_url: str = "",
    show_url: str = "",
) -> EpisodeLinks:
    """The links of an episode (``link``: a path as the site's pages link it; ``absolute``: as
    feeds do; ``feed_url``/``show_url`` of its show, if it has one)."""
    base = episode_folder(page_save_as)
    facts = read.facts
    chapters_save_as = base + "chapters.json" if facts.chapters else ""
    cover_save_as = ""
    if facts.cover is not None and cover_is_artwork(facts.cover.data):
        cover_save_as = base + "cover" + (".png" if facts.cover.mime == "image/png" else ".jpg")
    image = read.image_path or cover_save_as
    cover = image or (read.show.artwork if read.show is not None else "")
    return EpisodeLinks(
        page_url=page_url,
        audio_url=link(read.published_audio),
        audio_url_absolute=absolute(read.published_audio),
        feed_url=feed_url,
        show_url=show_url,
        chapters_save_as=chapters_save_as,
        chapters_url=absolute(chapters_save_as) if chapters_save_as else "",
        cover_save_as=cover_save_as,
        image_url=absolute(image) if image else "",
        cover_url=link(cover) if cover else "",
        transcript_url=link(read.transcripts[0][1]) if read.transcripts else "",
        transcript_urls=tuple(absolute(path) for _, path in read.transcripts),
    )
