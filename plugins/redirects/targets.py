"""``content/redirects.json`` → old address → new address of this build.

The map names what an old address now points at, not a URL: ``{filename}articles/x.md``,
``{static}images/x.jpg``, ``{category}Name``, ``{category-feed}Name``, ``{tag}Name``,
``{author}Name``, ``{archive}2024`` or ``{archive}2024/03``, ``{feed}``, ``{podcast-feed}show``,
or a plain ``/path/`` of this site. Each build resolves them against what it built, so a slug
or address setting changed later keeps every old address working; a target that is gone
becomes a problem line instead of a redirect to nothing.

Old addresses are site paths (``/2024/03/15/slug/``) or one query parameter on a path
(``/?p=12``): WordPress's own query-string addresses. Paths get a redirect page; queries need
the web server (server snippets), since a static file cannot depend on a query string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from posixpath import normpath
from urllib.parse import parse_qsl, quote

REFERENCE = re.compile(r"^\{([a-z-]+)\}(.*)$")


@dataclass(frozen=True)
class Addresses:
    """What this build has, each as a path on the site (``/slug/``)."""

    content: dict[str, str] = field(default_factory=dict)  # "articles/x.md" → url
    static: dict[str, str] = field(default_factory=dict)  # "images/x.jpg" → url
    categories: dict[str, str] = field(default_factory=dict)  # name → url
    category_feeds: dict[str, str] = field(default_factory=dict)  # category name → feed url
    tags: dict[str, str] = field(default_factory=dict)
    authors: dict[str, str] = field(default_factory=dict)
    archives: dict[str, str] = field(default_factory=dict)  # "2024", "2024/03" → url
    podcast_feeds: dict[str, str] = field(default_factory=dict)  # show → feed url
    feed: str = ""  # the main article feed


@dataclass
class Resolved:
    paths: dict[str, str] = field(default_factory=dict)  # old path → new url
    queries: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # old, what, fix


def resolve_target(target: str, site: Addresses) -> str | None:
    """The new address a target names, or None when this build has no such thing."""
    match = REFERENCE.match(target.strip())
    if match is None:
        return target if target.startswith("/") and not target.startswith("//") else None
    kind, name = match.groups()
    table = {
        "filename": site.content,
        "static": site.static,
        "category": site.categories,
        "category-feed": site.category_feeds,
        "tag": site.tags,
        "author": site.authors,
        "archive": site.archives,
        "podcast-feed": site.podcast_feeds,
    }
    if kind == "feed":
        return site.feed or None
    if kind == "category-feed" and name not in site.category_feeds:
        return site.categories.get(name)  # no category feeds configured: the category page
    if kind in ("filename", "static"):
        name = name.lstrip("/")
    return table.get(kind, {}).get(name)


def split_address(old: str) -> tuple[str, str, str] | None:
    """(path, query key, query value) of an old address; None if it is not a site address."""
    if not old.startswith("/") or old.startswith("//") or "#" in old:
        return None
    path, _, query = old.partition("?")
    clean = normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    if clean != path or "\\" in path or any(ord(c) < 32 for c in old):
        return None  # "..", "//", "./" or control characters: not a plain address
    if not query:
        return (path, "", "") if path != "/" else None
    pairs = parse_qsl(query, keep_blank_values=True)
    if len(pairs) != 1 or not pairs[0][0]:
        return None
    return path, pairs[0][0], pairs[0][1]


def encoded(url: str) -> str:
    """A new address as it goes into a Location header or a meta refresh (ASCII)."""
    return quote(url, safe="/%?=&#:+,;@!$'()*~-._")


def resolve_map(redirects: dict, site: Addresses) -> Resolved:
    """Every entry of the map resolved; entries that cannot work are problems instead."""
    resolved = Resolved()
    for old, target in sorted(redirects.items()):
        if not isinstance(old, str) or not isinstance(target, str):
            resolved.problems.append((str(old), "is not text", 'write "/old/": "{filename}…"'))
            continue
        parts = split_address(old)
        if parts is None:
            resolved.problems.append(
                (
                    old,
                    "is not an address of this site (a path starting with /, or a path with "
                    "one query parameter such as /?p=12)",
                    "correct or remove the line",
                ),
            )
            continue
        new = resolve_target(target, site)
        if new is None:
            resolved.problems.append(
                (
                    old,
                    f"points at {target}, which this build does not have",
                    "point it at a file, category or tag that exists, or remove the line",
                ),
            )
            continue
        path, key, value = parts
        if not key:
            if path.rstrip("/") != new.split("#")[0].split("?")[0].rstrip("/"):
                resolved.paths[path] = encoded(new)
        else:
            resolved.queries.setdefault(path, {}).setdefault(key, {})[value] = encoded(new)
    return resolved


def page_file(old_path: str) -> str:
    """Where the redirect page for an old path goes in the output (relative)."""
    relative = old_path.lstrip("/")
    if relative.endswith("/") or not relative:
        return relative + "index.html"
    if re.search(r"\.(html?|php|aspx?)$", relative, re.I):
        return relative
    return relative + "/index.html"
