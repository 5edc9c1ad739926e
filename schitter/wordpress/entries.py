"""Which WordPress items become which Schitter files, with which metadata.

Posts become articles (``articles/``), pages pages (``pages/``), posts with a podcast enclosure
episodes (``podcast/``). Status: ``publish`` is published; ``future`` keeps its date (Schitter
publishes it on the first build on or after it); ``draft``, ``pending``, ``private`` and
password-protected posts become ``Status: draft`` (a static page cannot ask for a password);
``trash``, revisions, menus and other post types are skipped and listed. Dates come from the
UTC fields, shown in the site's ``TIMEZONE``; a time that occurs twice (the night summer time
ends) keeps its UTC offset so it stays exact.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from pelican.utils import slugify

from .wxr import Export, Item, Term

SLUG_SUBSTITUTIONS = [
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]
RATING_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,119}$")  # plugins/star_ratings/ratings.py
DRAFT_STATUSES = {"draft", "pending", "private"}
IMPORTED_TYPES = {"post": "article", "page": "page"}
SILENT_TYPES = {
    "attachment",
    "revision",
    "nav_menu_item",
    "wp_block",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "wp_global_styles",
    "wp_navigation",
    "wp_template",
    "wp_template_part",
    "user_request",
    "wp_font_face",
    "wp_font_family",
}
_INLINE_TAGS = re.compile(r"</?(?:em|strong|b|i|u|span|sup|sub|small|br|code|a|abbr|mark)\b[^>]*>")
UNTITLED = {"nl": "Zonder titel (WordPress-bericht {id})", "en": "Untitled (WordPress post {id})"}


@dataclass(frozen=True)
class ImportSettings:
    """What the importer takes from the site's settings and command line."""

    timezone: str = "Europe/Amsterdam"
    language: str = "nl"
    podcast_show: str | None = None


@dataclass
class Entry:
    """One imported post or page: its new file and metadata."""

    item: Item
    kind: str  # "article", "page", "episode"
    slug: str
    file: str  # relative to content/: articles/<slug>.md
    title: str
    status: str  # "published", "scheduled", "draft"
    date: datetime | None
    modified: datetime | None
    author: str
    category: str
    tags: list[str]
    stable_id: str  # the id votes and comments are kept under (Rating-Id)
    guid: str
    enclosure: str = ""  # the podcast audio URL (episodes and posts that had one)
    notes: list[str] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass
class Selection:
    entries: list[Entry]
    skipped: list[tuple[Item, str]]  # item, why


def plain_text(value: str) -> str:
    """A title or name as text: inline formatting tags dropped, entities decoded, one line."""
    text = html.unescape(_INLINE_TAGS.sub("", value))
    return " ".join(text.split())


def local_time(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def format_date(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM[:SS]`` in local time; with the offset when the time is ambiguous."""
    text = moment.strftime("%Y-%m-%d %H:%M" + (":%S" if moment.second else ""))
    other_fold = moment.replace(fold=1 - moment.fold)
    if other_fold.utcoffset() != moment.utcoffset():
        offset = moment.strftime("%z")
        text += f"{offset[:3]}:{offset[3:]}"
    return text


def _date(item: Item, timezone: str) -> datetime | None:
    if item.date_gmt is not None:
        return local_time(item.date_gmt, timezone)
    try:  # a draft never scheduled: WordPress only has the old site's local time
        naive = datetime.strptime(item.date_local, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return naive.replace(tzinfo=ZoneInfo(timezone)) if naive.year > 1970 else None


def _status(item: Item) -> str:
    if item.status in DRAFT_STATUSES or item.password:
        return "draft"
    return "scheduled" if item.status == "future" else "published"


def enclosure_url(item: Item) -> str:
    """The podcast audio of a post: PowerPress and Seriously Simple Podcasting ``enclosure``
    (URL, size, type on separate lines), else SSP's ``audio_file``."""
    for key in ("enclosure", "audio_file"):
        for value in item.meta.get(key, []):
            url = value.strip().splitlines()[0].strip() if value.strip() else ""
            if url.startswith(("http://", "https://", "/")):
                return url
    return ""


def primary_category(item: Item, export: Export) -> tuple[str, list[str]]:
    """The category Schitter shows (Yoast's primary one, else the first real one) and the
    other categories, which become tags (a Schitter article has one category)."""
    categories = [t for t in item.terms if t.kind == "category" and t.name]
    if not categories:
        return "", []
    primary_id = item.first_meta("_yoast_wpseo_primary_category").strip()
    by_id = {str(t.term_id): t.slug for t in export.categories if t.term_id}
    chosen = next((t for t in categories if t.slug == by_id.get(primary_id)), None)
    chosen = chosen or next((t for t in categories if t.slug != "uncategorized"), categories[0])
    return plain_text(chosen.name), [plain_text(t.name) for t in categories if t != chosen]


def _tags(item: Item, extra: list[str], notes: list[str]) -> list[str]:
    tags: list[str] = []
    for name in [plain_text(t.name) for t in item.terms if t.kind == "post_tag"] + extra:
        if "," in name:
            notes.append(
                f"Tags: {name!r} contains a comma, which separates tags; written as "
                "one tag without the comma"
            )
            name = " ".join(name.replace(",", " ").split())
        if name and name not in tags:
            tags.append(name)
    return tags


def ascii_slug(text: str) -> str:
    return slugify(text, regex_subs=SLUG_SUBSTITUTIONS, preserve_case=False, use_unicode=False)


def select(export: Export, settings: ImportSettings, enclosure_is_local) -> Selection:
    """The entries to write and the items skipped, in a stable order (as in the export).

    ``enclosure_is_local(url)`` says whether a podcast file is in the uploads copy: only then
    does the post become an episode (Schitter reads duration and size from the file itself).
    """
    entries: list[Entry] = []
    skipped: list[tuple[Item, str]] = []
    used_slugs: set[str] = set()
    authors = {login.lower(): name for login, name in export.authors.items()}
    seen_ids: set[tuple[str, int]] = set()
    for item in export.items:
        kind = IMPORTED_TYPES.get(item.post_type)
        if kind is None:
            if item.post_type not in SILENT_TYPES:
                skipped.append((item, f"post type {item.post_type!r} has no Schitter equivalent"))
            continue
        if item.status == "trash":
            skipped.append((item, "in the WordPress trash"))
            continue
        if item.status in ("auto-draft", "inherit"):
            continue
        notes: list[str] = []
        if (item.post_type, item.post_id) in seen_ids:
            notes.append(
                f"post id {item.post_id} appears twice in the export; /?p= and "
                "/?page_id= redirect to the first"
            )
        seen_ids.add((item.post_type, item.post_id))
        title = plain_text(item.title)
        if not title:
            title = UNTITLED.get(settings.language, UNTITLED["en"]).format(id=item.post_id)
            notes.append(f"Title: the post had no title; written as {title!r}")
        slug = unquote(item.slug).strip().lower() or ascii_slug(title) or f"wp-{item.post_id}"
        slug = re.sub(r"[\s#?/\\]+", "-", slug).strip("-")
        if not slug.strip("."):  # "", "." or "..": not an address
            slug = f"wp-{item.post_id}"
        base, number = slug, 2
        while slug in used_slugs:
            slug, number = f"{base}-{number}", number + 1
        if slug != base:
            notes.append(
                f"Slug: {base!r} is also the address of another post; this one became {slug!r}"
            )
        used_slugs.add(slug)
        status = _status(item)
        if item.password:
            notes.append(
                "was password-protected in WordPress; imported as a draft, because a "
                "static page cannot ask for a password"
            )
        if item.sticky:
            notes.append(
                "was sticky (pinned to the top) in WordPress; Schitter lists articles newest first"
            )
        category, extra = primary_category(item, export) if kind == "article" else ("", [])
        if extra:
            notes.append(
                f"Category: more than one category; {category!r} kept, the others "
                f"({', '.join(extra)}) became tags"
            )
        enclosure = enclosure_url(item)
        if kind == "article" and enclosure and enclosure_is_local(enclosure):
            kind = "episode"
        elif enclosure and kind == "article":
            notes.append(
                f"Audio: the podcast file {enclosure} is not in the uploads copy; "
                "imported as an article with a link to it — put the file in "
                "content/audio/ and add `Audio:` to make it an episode again"
            )
        folder = {"article": "articles", "page": "pages", "episode": "podcast"}[kind]
        stable = slug if RATING_ID.match(slug) else ascii_slug(slug) or f"wp-{item.post_id}"
        modified = local_time(item.modified_gmt, settings.timezone) if item.modified_gmt else None
        date = _date(item, settings.timezone)
        if modified and date and modified - date < timedelta(minutes=1):
            modified = None
        entries.append(
            Entry(
                item=item,
                kind=kind,
                slug=slug,
                file=f"{folder}/{slug}.md",
                title=title,
                status=status,
                date=date,
                modified=modified,
                author=plain_text(authors.get(item.creator.lower(), item.creator)),
                category=category,
                tags=_tags(item, extra, notes) if kind != "page" else [],
                stable_id=stable,
                guid=item.guid,
                enclosure=enclosure,
                notes=notes,
            )
        )
    return Selection(entries, skipped)


def category_path(term: Term, export: Export) -> list[str]:
    """The slugs of a category and its parents, as in WordPress's /category/a/b/ address."""
    by_slug = {t.slug: t for t in export.categories}
    parents = {t.slug: t.parent for t in export.categories}
    path, slug, seen = [], term.slug, set()
    while slug and slug not in seen:
        seen.add(slug)
        path.insert(0, slug)
        slug = parents.get(slug, "") if slug in by_slug else ""
    return path
