"""Read a WordPress export (WXR 1.0–1.2) into plain data: the site, its authors, terms and items.

The export is parsed with defusedxml: a document that declares entities (the "billion laughs"
bomb) or points at external ones is refused with one line instead of being expanded, so a
hostile or damaged export can neither exhaust memory nor make the importer read local files.

Everything WordPress writes is kept as text; only dates are parsed (the ``*_gmt`` fields are
UTC; WordPress writes ``0000-00-00 00:00:00`` there for drafts that were never scheduled).
Readers' IP addresses (``comment_author_IP``) are deliberately not read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
WP_PREFIX = "http://wordpress.org/export/"  # + "1.2/" (wp:) or "1.2/excerpt/" (excerpt:)


class ExportProblem(ValueError):
    """An export the importer cannot read; the message is the one line to show."""


@dataclass(frozen=True)
class Term:
    """A category or tag (``kind`` is WordPress's taxonomy: category, post_tag, …)."""

    kind: str
    slug: str
    name: str
    term_id: int | None = None
    parent: str = ""  # the parent category's slug


@dataclass(frozen=True)
class Comment:
    comment_id: int
    parent: int  # 0: a top-level comment
    author: str
    email: str  # private: never written into the site
    url: str
    date_gmt: datetime | None
    content: str  # the HTML WordPress stored
    approved: str  # "1", "0", "spam", "trash", "post-trashed"
    kind: str  # "" (a comment), "comment", "pingback", "trackback"
    user_id: int


@dataclass
class Item:
    """One ``<item>``: a post, page, attachment or any other post type."""

    post_id: int
    title: str
    link: str
    guid: str
    creator: str  # the author's login
    content: str
    excerpt: str
    date_local: str  # wp:post_date, the old site's local time
    date_gmt: datetime | None
    modified_gmt: datetime | None
    slug: str  # wp:post_name as exported (percent-encoded for non-ASCII)
    status: str
    post_type: str
    parent: int
    sticky: bool
    password: str
    attachment_url: str
    terms: list[Term] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)

    def first_meta(self, key: str) -> str:
        values = self.meta.get(key) or [""]
        return values[0]


@dataclass
class Export:
    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    language: str
    wxr_version: str
    authors: dict[str, str]  # login → display name
    categories: list[Term]
    tags: list[Term]
    items: list[Item]


def read_export(path: Path) -> Export:
    """The export at ``path``; :class:`ExportProblem` with one line if it cannot be read."""
    try:
        tree = safe_parse(str(path), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        name = getattr(error, "name", None) or getattr(error, "sysid", None) or "?"
        raise ExportProblem(
            f"{path}: the export declares XML entities or external references (entity "
            f"{name!r}); WordPress never writes these, so the file was refused unread — export "
            "the site again with Tools → Export in WordPress"
        ) from None
    except ElementTree.ParseError as error:
        raise ExportProblem(
            f"{path}: line {error.position[0]}: not a complete XML file ({error}) — export the "
            "site again with Tools → Export (an export cut off by a time-out ends mid-file)"
        ) from None
    except OSError as error:
        raise ExportProblem(f"{path}: cannot read the export: {error.strerror}") from None
    channel = tree.getroot().find("channel")
    if tree.getroot().tag != "rss" or channel is None:
        raise ExportProblem(
            f"{path}: not a WordPress export (no <rss><channel>) — use the file that "
            "Tools → Export in WordPress downloads"
        )
    return _export(channel, path)


def _local(tag: str) -> tuple[str, str]:
    """(namespace kind, local name): kind is "wp", "excerpt", "content", "dc" or ""."""
    if not tag.startswith("{"):
        return "", tag
    namespace, name = tag[1:].split("}", 1)
    if namespace.startswith(WP_PREFIX):
        return ("excerpt" if namespace.rstrip("/").endswith("excerpt") else "wp"), name
    return {CONTENT: "content", DC: "dc"}.get(namespace, namespace), name


def _children(element) -> dict[tuple[str, str], list]:
    found: dict[tuple[str, str], list] = {}
    for child in element:
        found.setdefault(_local(child.tag), []).append(child)
    return found


def _text(children: dict, kind: str, name: str) -> str:
    elements = children.get((kind, name))
    return (elements[0].text or "") if elements else ""


def _integer(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        return 0


def parse_gmt(value: str) -> datetime | None:
    """A ``*_gmt`` field as an aware UTC datetime; None for WordPress's zero date."""
    value = value.strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _export(channel, path: Path) -> Export:
    top = _children(channel)
    wxr_version = _text(top, "wp", "wxr_version").strip()
    if not wxr_version:
        raise ExportProblem(
            f"{path}: no <wp:wxr_version>: this is an RSS feed, not a WordPress export — "
            "download the export with Tools → Export in WordPress"
        )
    authors = {}
    for author in top.get(("wp", "author"), []):
        fields = _children(author)
        login = _text(fields, "wp", "author_login").strip()
        authors[login] = _text(fields, "wp", "author_display_name").strip() or login
    categories = [
        Term(
            "category",
            _text(fields, "wp", "category_nicename").strip(),
            _text(fields, "wp", "cat_name").strip(),
            _integer(_text(fields, "wp", "term_id")) or None,
            _text(fields, "wp", "category_parent").strip(),
        )
        for fields in map(_children, top.get(("wp", "category"), []))
    ]
    tags = [
        Term(
            "post_tag",
            _text(fields, "wp", "tag_slug").strip(),
            _text(fields, "wp", "tag_name").strip(),
            _integer(_text(fields, "wp", "term_id")) or None,
        )
        for fields in map(_children, top.get(("wp", "tag"), []))
    ]
    return Export(
        title=_text(top, "", "title").strip(),
        link=_text(top, "", "link").strip(),
        base_site_url=_text(top, "wp", "base_site_url").strip(),
        base_blog_url=_text(top, "wp", "base_blog_url").strip(),
        language=_text(top, "", "language").strip(),
        wxr_version=wxr_version,
        authors=authors,
        categories=categories,
        tags=tags,
        items=[_item(element) for element in top.get(("", "item"), [])],
    )


def _item(element) -> Item:
    fields = _children(element)
    meta: dict[str, list[str]] = {}
    for entry in fields.get(("wp", "postmeta"), []):
        entry_fields = _children(entry)
        key = _text(entry_fields, "wp", "meta_key").strip()
        meta.setdefault(key, []).append(_text(entry_fields, "wp", "meta_value"))
    terms = [
        Term(
            term.get("domain", ""), (term.get("nicename") or "").strip(), (term.text or "").strip()
        )
        for term in fields.get(("", "category"), [])
    ]
    return Item(
        post_id=_integer(_text(fields, "wp", "post_id")),
        title=_text(fields, "", "title"),
        link=_text(fields, "", "link").strip(),
        guid=_text(fields, "", "guid").strip(),
        creator=_text(fields, "dc", "creator").strip(),
        content=_text(fields, "content", "encoded"),
        excerpt=_text(fields, "excerpt", "encoded"),
        date_local=_text(fields, "wp", "post_date").strip(),
        date_gmt=parse_gmt(_text(fields, "wp", "post_date_gmt")),
        modified_gmt=parse_gmt(_text(fields, "wp", "post_modified_gmt")),
        slug=_text(fields, "wp", "post_name").strip(),
        status=_text(fields, "wp", "status").strip(),
        post_type=_text(fields, "wp", "post_type").strip(),
        parent=_integer(_text(fields, "wp", "post_parent")),
        sticky=_text(fields, "wp", "is_sticky").strip() == "1",
        password=_text(fields, "wp", "post_password"),
        attachment_url=_text(fields, "wp", "attachment_url").strip(),
        terms=terms,
        meta=meta,
        comments=[_comment(c) for c in fields.get(("wp", "comment"), [])],
    )


def _comment(element) -> Comment:
    fields = _children(element)
    return Comment(
        comment_id=_integer(_text(fields, "wp", "comment_id")),
        parent=_integer(_text(fields, "wp", "comment_parent")),
        author=_text(fields, "wp", "comment_author").strip(),
        email=_text(fields, "wp", "comment_author_email").strip(),
        url=_text(fields, "wp", "comment_author_url").strip(),
        date_gmt=parse_gmt(_text(fields, "wp", "comment_date_gmt")),
        content=_text(fields, "wp", "comment_content"),
        approved=_text(fields, "wp", "comment_approved").strip(),
        kind=_text(fields, "wp", "comment_type").strip(),
        user_id=_integer(_text(fields, "wp", "comment_user_id")),
    )
