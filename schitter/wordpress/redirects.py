"""Every address the old WordPress site answered → what the new site has in its place.

The map is written to ``content/redirects.json``; the ``redirects`` plugin turns it into
redirect pages and server snippets on every build. Targets name what they point at, not a URL
(``{filename}articles/x.md``, ``{category}Naam``, ``{feed}``), so the map stays right when an
address setting or a slug changes later; the plugin resolves them against the built site.

Per published post: its ``<link>``, ``/?p=ID``, the date-based permalinks WordPress offers
(``/2019/05/14/slug/``, ``/2019/05/slug/``), ``/archives/ID/`` and the post-name one
(``/slug/``), each also under every ``_wp_old_slug``; per page its ``<link>`` (with parent
pages in the path), ``/?page_id=ID`` and ``/slug/``; per attachment its page and
``/?attachment_id=ID``; category and tag archives (``/category/a/b/``, ``/?cat=ID``,
``/tag/x/``, ``/?tag=x``) and their feeds; ``/feed/`` in all its forms, ``/feed/podcast/``,
author pages and year and month archives. An address that is also a new address is dropped
by the plugin at build time (nothing to redirect).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .entries import Entry, category_path
from .wxr import Export, Item

FEED_FORMS = ("", "atom/", "rss2/", "rss/", "rdf/")


@dataclass(frozen=True)
class RedirectSettings:
    category_base: str = "category"  # WordPress Settings → Permalinks
    tag_base: str = "tag"
    podcast_show: str | None = None


def old_address(url: str, site_root: str) -> str | None:
    """An old URL as a site address: ``/path/`` or ``/path?query``, percent-decoded.

    URLs of other hosts are not the old site's (None); relative URLs are.
    """
    parts = urlsplit(url.strip())
    root = urlsplit(site_root)
    host, old_host = parts.netloc.lower(), root.netloc.lower()
    if host and old_host and host.removeprefix("www.") != old_host.removeprefix("www."):
        return None
    if parts.scheme not in ("", "http", "https") or not (parts.path or parts.query):
        return None
    path = unquote(parts.path) or "/"
    if not path.startswith("/"):
        return None
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True))
    return path + (f"?{query}" if query else "")


def _base(export: Export) -> str:
    """The old site's path prefix ("" or e.g. "/blog")."""
    home = export.base_blog_url or export.link or export.base_site_url
    return unquote(urlsplit(home).path).rstrip("/")


def _item_addresses(item: Item, slug_options: list[str], base: str) -> list[str]:
    addresses = [f"{base}/?p={item.post_id}", f"{base}/archives/{item.post_id}/"]
    date = item.date_local[:10].split("-")
    for slug in slug_options:
        addresses.append(f"{base}/{slug}/")
        if len(date) == 3 and date[0].isdigit():
            year, month, day = date
            addresses += [f"{base}/{year}/{month}/{day}/{slug}/", f"{base}/{year}/{month}/{slug}/"]
    return addresses


def redirect_map(
    export: Export,
    entries: list[Entry],
    attachment_files: dict[int, str],
    settings: RedirectSettings,
) -> tuple[dict[str, str], list[str]]:
    """(old address → target, conflicts); only published items get addresses (drafts and
    scheduled posts had none in public)."""
    root = export.base_blog_url or export.link or export.base_site_url
    base = _base(export)
    found: dict[str, str] = {}
    conflicts: list[str] = []

    def add(address: str | None, target: str) -> None:
        if address is None:
            return
        if address in found and found[address] != target:
            conflicts.append(f"{address}: both {found[address]} and {target}; kept the first")
            return
        found.setdefault(address, target)

    by_id: dict[int, Entry] = {}
    for entry in entries:
        if not entry.published:
            continue
        by_id.setdefault(entry.item.post_id, entry)
        target = "{filename}" + entry.file
        item = entry.item
        add(old_address(item.link, root), target)
        if item.guid.startswith(("http://", "https://")):
            guid = old_address(item.guid, root)
            if guid and "?" in guid:  # WordPress GUIDs are /?p=ID or /?page_id=ID links
                add(guid, target)
        old_slugs = [entry.slug] + [unquote(s).strip() for s in item.meta.get("_wp_old_slug", [])]
        old_slugs = [s for s in dict.fromkeys(old_slugs) if s]
        if entry.kind == "page":
            add(f"{base}/?page_id={item.post_id}", target)
            for slug in old_slugs:
                add(f"{base}/{slug}/", target)
        else:
            for address in _item_addresses(item, old_slugs, base):
                add(address, target)
    for item in export.items:
        if item.post_type != "attachment":
            continue
        parent = by_id.get(item.parent)
        target = ("{filename}" + parent.file) if parent else None
        if target is None and item.post_id in attachment_files:
            target = "{static}" + attachment_files[item.post_id]
        if target:
            add(old_address(item.link, root), target)
            add(f"{base}/?attachment_id={item.post_id}", target)
    _archives(export, entries, settings, base, add)
    return dict(sorted(found.items())), conflicts


def _archives(export: Export, entries: list[Entry], settings: RedirectSettings, base, add) -> None:
    published = [e for e in entries if e.published and e.kind != "page"]
    categories = {e.category for e in published if e.category}
    tags = {tag for e in published for tag in e.tags}
    for term in export.categories:
        name = " ".join(term.name.split())
        if name not in categories:
            continue
        path = "/".join(category_path(term, export))
        add(f"{base}/{settings.category_base}/{path}/", "{category}" + name)
        if term.term_id:
            add(f"{base}/?cat={term.term_id}", "{category}" + name)
        for form in FEED_FORMS:
            add(f"{base}/{settings.category_base}/{path}/feed/{form}", "{category-feed}" + name)
    seen_tags = set()
    for term in list(export.tags) + [t for e in published for t in e.item.terms]:
        name = " ".join(term.name.split())
        if term.kind != "post_tag" or name not in tags or term.slug in seen_tags or not term.slug:
            continue
        seen_tags.add(term.slug)
        add(f"{base}/{settings.tag_base}/{term.slug}/", "{tag}" + name)
        add(f"{base}/?tag={term.slug}", "{tag}" + name)
        for form in FEED_FORMS:
            add(f"{base}/{settings.tag_base}/{term.slug}/feed/{form}", "{feed}")
    for form in FEED_FORMS:
        add(f"{base}/feed/{form}", "{feed}")
    for kind in ("rss2", "atom", "rss", "rdf"):
        add(f"{base}/?feed={kind}", "{feed}")
    if settings.podcast_show and any(e.kind == "episode" for e in published):
        add(f"{base}/feed/podcast/", "{podcast-feed}" + settings.podcast_show)
        add(f"{base}/?feed=podcast", "{podcast-feed}" + settings.podcast_show)
    logins = {e.item.creator: e.author for e in published if e.item.creator}
    for login, name in sorted(logins.items()):
        add(f"{base}/author/{login.lower()}/", "{author}" + name)
    for entry in published:
        if entry.date is None or entry.kind == "page":
            continue
        year, month = entry.item.date_local[:4], entry.item.date_local[5:7]
        if year.isdigit() and month.isdigit():
            add(f"{base}/{year}/", "{archive}" + entry.date.strftime("%Y"))
            add(f"{base}/{year}/{month}/", "{archive}" + entry.date.strftime("%Y/%m"))
            add(f"{base}/?m={year}{month}", "{archive}" + entry.date.strftime("%Y/%m"))
