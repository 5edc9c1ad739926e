"""What the search index holds: one small page per article, lesson, episode and page.

Pure functions over plain values. Pagefind gets, for every published item, its address and a
minimal HTML page of its own: the title (Pagefind's ``title``), the date (``date``, ISO 8601, the
browser formats it in the reader's language) and the body, nothing of the theme around it
(menus, share buttons, the newsletter form are not worth finding). One language for the whole
index: every page is indexed with the word forms (stemming) of the site's main language.

The :func:`digest` of all pages and the indexer's settings names the bundle: a rebuild whose
pages did not change reuses the bundle instead of indexing again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from markupsafe import escape

KINDS = ("article", "lesson", "episode", "page")


@dataclass(frozen=True)
class SearchPage:
    url: str  # the page's address as the site links it (root-relative or absolute)
    html: str


def search_page(url: str, title: str, date: str, kind: str, body: str, language: str) -> SearchPage:
    """One page for the index. ``title`` is plain text, ``body`` the item's HTML."""
    meta = f'<span data-pagefind-meta="date:{escape(date)}"></span>' if date else ""
    html = (
        f'<html lang="{escape(language)}"><body><main data-pagefind-body>'
        f'<h1 data-pagefind-meta="title">{escape(title)}</h1>{meta}'
        f'<span data-pagefind-meta="kind:{escape(kind)}"></span>'
        f"{body}</main></body></html>"
    )
    return SearchPage(url, html)


def main_language(languages: list[str], default: str) -> str:
    """The language most items are written in (ties: the site's default language)."""
    counts = Counter(lang.split("-")[0].lower() for lang in languages if lang)
    if not counts:
        return default
    best = max(counts.values())
    if counts.get(default, 0) == best:
        return default
    return sorted(lang for lang, n in counts.items() if n == best)[0]


def digest(pages: list[SearchPage], config: dict, version: str) -> str:
    """A name for the bundle these pages and settings make."""
    hashed = hashlib.sha256(repr((version, sorted(config.items()))).encode())
    for page in pages:
        hashed.update(page.url.encode() + b"\0" + page.html.encode() + b"\0")
    return hashed.hexdigest()[:20]
