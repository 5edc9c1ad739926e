"""Pelican's article feeds (Atom, RSS) with absolute links in every build.

Pelican writes a feed item's link as ``SITEURL`` + its URL and its id as a ``tag:`` URI of that
link. While developing ``SITEURL`` is empty (pages link root-relative, so they work on any port),
and the feeds then had relative links and ``<id>tag:None,…``: a feed reader cannot follow or keep
those. :class:`AbsoluteFeedWriter` writes every feed with the site's absolute address
(:func:`.urls.base_url`: ``FEED_DOMAIN`` while developing), pages are written as before. The
feeds say the language the articles are written in (``CONTENT_LANG``), not the interface's.
"""

from __future__ import annotations

from pelican.writers import Writer

from .site import content_language
from .urls import base_url, is_absolute


class AbsoluteFeedWriter(Writer):
    def _create_new_feed(self, *args, **kwargs):
        feed = super()._create_new_feed(*args, **kwargs)
        feed.feed["language"] = content_language(self.settings)  # RSS <language>, Atom xml:lang
        return feed

    def write_feed(self, elements, context, *args, **kwargs):
        if not is_absolute(str(context.get("SITEURL") or "")):
            context = {**context, "SITEURL": base_url(self.settings)}
        return super().write_feed(elements, context, *args, **kwargs)


def feed_writer(pelican) -> type[Writer]:
    return AbsoluteFeedWriter
