"""Imported posts keep the entry id they had in the old site's feed.

A feed reader remembers every entry by its id (Atom ``<id>``, RSS ``<guid>``). Pelican makes a
new ``tag:`` id from the address and date, so after a move every old post would show up as
unread again. An article with a ``Guid:`` (the importer writes WordPress's, e.g.
``https://example.nl/?p=12``) gets that id in the article feeds instead; podcast feeds already
use it for episodes.
"""

from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit


def entry_ids(articles, siteurl: str) -> dict[str, str]:
    """{path of the article's address: its Guid} for every article that has one."""
    base = siteurl.rstrip("/") + "/"
    ids = {}
    for article in articles:
        guid = str(getattr(article, "guid", "") or "").strip()
        if guid:
            ids[unquote(urlsplit(urljoin(base, article.url)).path)] = guid
    return ids


def apply_entry_ids(feed, ids: dict[str, str]) -> int:
    """Give the feed's entries their old ids (a feedgenerator feed); how many were changed."""
    changed = 0
    for item in feed.items:
        # feedgenerator percent-encodes the link (iri_to_uri): compare decoded paths
        guid = ids.get(unquote(urlsplit(item.get("link", "")).path))
        if guid:
            item["unique_id"] = guid
            item["unique_id_is_permalink"] = False  # as WordPress wrote it
            changed += 1
    return changed
