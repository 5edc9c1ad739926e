"""Pelican's article feeds (Atom, RSS) with absolute links in every build.

Pelican writes a feed item's link as ``SITEURL`` + its URL and its id as a ``tag:`` URI of that
link. While developing ``SITEURL`` is empty (pages link root-relative, so they work on any port),
and the feeds then had relative links and ``<id>tag:None,…``: a feed reader cannot follow or keep
those. :class:`AbsoluteFeedWriter` writes every feed with the site's absolute address
(:func:`.urls.base_url`: ``FEED_DOMAIN`` while developing), pages are written as before.
"""

from __future__ import annotations

from pelican.writers import Writer

from .urls import base_url, is_absolute


class AbsoluteFeedWriter(Writer):
    def write_feed(self, elements, context, *args, **kwargs):
        if not is_absolute(str(context.get("SITEURL") or "")):
            context = {**context, "SITEURL": base_url(self.settings)}
        return super().write_feed(elements, context, *args, **kwargs)


def feed_writer(pelican) -> type[Writer]:
    return AbsoluteFeedWriter
