"""Show notes → the HTML of a feed item's ``content:encoded``: what podcast apps render, nothing
else. Sanitised by nh3 (the maintained Rust sanitiser ammonia), after every link is made absolute
(feed readers have no base URL).

What passes: ``p``, ``br``, ``ul``, ``ol``, ``li`` and ``a href`` (Apple Podcasts lists
exactly ``p``, ``ol``, ``ul``, ``li``, ``a``; Spotify and Google render the same set and ``br``),
and ``strong``, ``em``, ``b``, ``i`` (Apple and Spotify show them as plain text; AntennaPod,
Pocket Casts and Overcast render them). Links keep only ``http``, ``https`` and ``mailto``.
Headings become paragraphs (apps show them as plain lines anyway). Everything else is dropped:
``script``, ``style``, ``iframe`` and ``object`` with their content; ``img`` (apps that show
images would load them from the reader's device: a tracking pixel), ``table`` markup,
``span``/``style``/``class``/``on…`` attributes, keeping their text.
"""

from __future__ import annotations

import nh3
from lxml import html as lxml_html

from .episodes import absolute_links

TAGS = {"p", "br", "ul", "ol", "li", "a", "strong", "em", "b", "i"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _headings_as_paragraphs(html: str) -> str:
    if not any(f"<{h}" in html.lower() for h in HEADINGS):
        return html
    fragment = lxml_html.fragment_fromstring(html, create_parent="div")
    for heading in fragment.iter(*HEADINGS):
        heading.tag = "p"
    inner = (fragment.text or "") + "".join(
        lxml_html.tostring(child, encoding="unicode") for child in fragment
    )
    return inner.strip()


def feed_notes(html: str, page_url: str) -> str:
    """The show notes as a feed item's ``content:encoded`` (links absolute, sanitised)."""
    if not html.strip():
        return ""
    absolute = absolute_links(html, page_url)
    cleaned = nh3.clean(
        _headings_as_paragraphs(absolute),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags=DROPPED_WITH_CONTENT,
        link_rel=None,  # no rel added: the notes are the author's own links
        strip_comments=True,
    )
    return cleaned.strip()
