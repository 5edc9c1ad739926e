"""The site model: what every feature and template knows about every item, decided once.

Built once per build, when Pelican has read every article and page (``all_generators_finalized``),
and kept on the build. For every published article and page an :class:`Item` says:

- ``kind`` — ``article``, ``lesson`` (an episode of a serial show: a course), ``episode`` or
  ``page``. The podcast feature turns an article with audio into a lesson or an episode
  (:meth:`SiteModel.mark_episode`); nobody else decides whether something is an episode.
- ``title`` — plain text, as the reader sees it (Pelican keeps titles as HTML fragments).
- ``url`` — the canonical absolute URL; ``path`` the site-relative one Pelican links with.
- ``id`` — the stable id that votes and comments are kept under and that a WordPress import
  maps old posts to: the ``Id:`` field (``Rating-Id:`` is the older name), else the slug at
  first publication. When a slug changes later, the author keeps the id by adding
  ``Id: <old slug>``. An item whose id is unusable or taken has ``id = ""`` (reported).
- ``show`` / ``episode`` — for lessons and episodes: the show (:class:`Show`) and the podcast
  feature's episode facts.
- ``extras`` — what features add for the templates under their own name (``share``, ``rating``…).
- ``structured_data`` — the item's one schema.org node (JSON-LD), which features fill in: ratings
  its type, name and ``aggregateRating``, comments ``comment`` and ``commentCount``. The article
  template writes it once (filter ``json_ld``).

Templates reach it as ``site.item(article)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .problems import Problem
from .text import plain_text
from .urls import absolute_url

KINDS = ("article", "lesson", "episode", "page")
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,119}$")
ID_FIELDS = ("id", "rating-id", "rating_id")
# The metadata fields the site model reads, as the author writes them.
METADATA_FIELDS = frozenset({"Id", "Rating-Id", "Image", "ImageAlt"})


@dataclass(frozen=True)
class Show:
    """A podcast show, as every feature may know it."""

    slug: str
    title: str  # plain text
    artwork: str  # path inside the content folder (and the site)
    url: str  # the show page, absolute
    feed_url: str  # absolute
    serial: bool  # a course: listened to in order, lessons numbered


@dataclass
class Item:
    kind: str
    id: str
    title: str
    url: str
    path: str
    source: str  # the source file, relative to the content folder
    content: Any  # the Pelican Article or Page
    language: str = ""
    summary: str = ""  # plain text
    date: datetime | None = None
    modified: datetime | None = None
    image: str = ""  # the Image: field as written
    image_alt: str = ""
    show: Show | None = None
    episode: Any = None
    extras: dict[str, Any] = field(default_factory=dict)
    structured_data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_episode(self) -> bool:
        return self.kind in ("lesson", "episode")


def stable_id(metadata: dict, slug: str) -> str:
    """The item's stable id: its ``Id:`` (or ``Rating-Id:``) field, else its slug."""
    for name in ID_FIELDS:
        explicit = metadata.get(name)
        if explicit:
            return str(explicit).strip()
    return str(slug or "")


class SiteModel:
    """Every item of one build, by source file and in reading order."""

    def __init__(self, items: list[Item]):
        self.items = items
        self._by_source = {item.source: item for item in items}
        self._by_content = {id(item.content): item for item in items}

    def item(self, content: Any) -> Item | None:
        """The item of a Pelican article or page (None for a draft or a broken one)."""
        return self._by_content.get(id(content))

    def by_source(self, source: str) -> Item | None:
        return self._by_source.get(source)

    def of_kind(self, *kinds: str) -> list[Item]:
        return [item for item in self.items if item.kind in kinds]

    @property
    def episodes(self) -> list[Item]:
        return [item for item in self.items if item.is_episode]

    def mark_episode(self, item: Item, show: Show | None, episode: Any) -> None:
        """The podcast feature's word on an item: a lesson of a course, or an episode."""
        item.kind = "lesson" if show is not None and show.serial else "episode"
        item.show = show
        item.episode = episode


def content_language(settings: dict) -> str:
    """The language the site's articles are written in: ``CONTENT_LANG``, else ``DEFAULT_LANG``.

    Not the interface's: ``DEFAULT_LANG = "en"`` gives Dutch articles an English interface, and
    their pages still say ``<html lang="nl">`` (hyphenation, screen readers, search engines), as
    do the feeds. An item's own ``Lang:`` wins for that item."""
    return str(settings.get("CONTENT_LANG") or settings.get("DEFAULT_LANG") or "nl")


def make_item(content: Any, kind: str, source: str, base_url: str, default_lang: str) -> Item:
    metadata = getattr(content, "metadata", {}) or {}
    return Item(
        kind=kind,
        id=stable_id(metadata, getattr(content, "slug", "")),
        title=plain_text(getattr(content, "title", "")),
        url=absolute_url(base_url, content.url),
        path=content.url,
        source=source,
        content=content,
        language=str(metadata.get("lang") or default_lang),
        summary=plain_text(getattr(content, "summary", "") if kind != "page" else ""),
        date=getattr(content, "date", None),
        modified=getattr(content, "modified", None),
        image=str(metadata.get("image") or ""),
        image_alt=plain_text(metadata.get("imagealt") or ""),
    )


def _id_field(item: Item) -> str:
    """The field the author wrote the id in (``Id`` also when it came from the slug)."""
    metadata = getattr(item.content, "metadata", {}) or {}
    return "Rating-Id" if any(k in metadata for k in ID_FIELDS[1:]) else "Id"


def check_ids(items: list[Item], name_of=lambda item: item.source) -> list[Problem]:
    """Unusable and duplicate ids; such an item keeps ``id = ""`` (nothing is kept under it).
    The item published first keeps a duplicate id. ``name_of`` names an item's file."""
    problems = []
    seen: dict[str, Item] = {}
    for item in sorted(items, key=lambda i: (i.date is None, i.date or 0, i.source)):
        if not ITEM_ID.match(item.id):
            problems.append(
                Problem(
                    name_of(item),
                    _id_field(item),
                    f"{item.id!r} is not a usable id (votes and comments are kept under it)",
                    "use lowercase letters, digits and hyphens, e.g. Id: mijn-artikel",
                )
            )
            item.id = ""
        elif item.id in seen:
            problems.append(
                Problem(
                    name_of(item),
                    _id_field(item),
                    f"the id {item.id!r} is already used by {name_of(seen[item.id])}",
                    "give one of them its own `Id:` (keep the one that was published first)",
                )
            )
            item.id = ""
        else:
            seen[item.id] = item
    return problems
