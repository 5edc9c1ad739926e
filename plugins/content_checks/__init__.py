"""Checks the author's Markdown files and turns every problem into one line of the build report.

Pelican itself logs some problems in its own words ("Could not process …", "Skipping …") and
crashes with a traceback on others (two articles with the same slug). This plugin catches those
(Pelican's own line is then left out) and says, for each: the file, the field, what is wrong and
how to fix it. Broken files are left out of a development build; a publish build fails with the
whole list (see ``build_report``).

Checks: a missing or empty title, an unreadable date (Date, Modified) or unknown time zone, a
file that is not UTF-8 text (empty files and binary files named ``.md``), metadata lines with
only whitespace, two files that would be written to the same address (duplicate slug), a slug
or save_as that cannot be an address, an unknown Status, Template or Lang, tags, authors and
categories without letters or digits, and ``{filename}``/``{static}`` links to missing files
(Pelican leaves those links broken and crashed copying a missing linked static file).

Text cleaning: control characters (a stray BEL or ESC pasted into a title, or sitting in an MP3
tag) are invisible in a page and not allowed at all in XML 1.0, where they would break every feed.
``strip_control`` removes them; it runs once on each article's and page's text (title, summary,
body, tags, authors, category, every string field) as it is read, and the podcast plugin uses it
for the text it reads from audio tags.

Bidi controls: an explicit embedding, override or isolate (U+202A–U+202E, U+2066–U+2068) is
inert, but when the author leaves it open it reverses or re-orders whatever follows it on the
same line — our own text: " · Community Kompas" in ``<title>``, the rest of a card, a feed title.
``balance_bidi`` closes every one left open at the end of the field (U+202C PDF for
embeddings and overrides, U+2069 PDI for isolates), as text editors and Unicode's own guidance
(UAX #9) do; the author's text looks as typed, ours follows in logical order. Hebrew and Arabic
text and the LRM/RLM/ALM marks are left exactly as they are. ``author_text`` is both clean-ups;
it runs on the same fields as ``strip_control`` except the body, where HTML ends the effect of
an open override at the end of its paragraph anyway.

Text, not markup: a title is what the author typed, so ``<script>`` in a title is shown as those
characters. Pelican and our plugins treat ``title`` as an HTML fragment (Pelican's feeds and our
JSON-LD, share and podcast code strip its tags to get text), so the title is HTML-escaped once, as
it is read; every consumer then gets the typed text back. Formatted fields (``Summary:``) are
Markdown, but raw HTML in them is escaped too (the body may still hold raw HTML on purpose).
Tag, author and category names stay plain text; the templates escape them.
"""

from __future__ import annotations

import html
import logging
import os
import re
import sys

from babel import Locale, UnknownLocaleError
from build_report import report, where
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import PelicanTemplateNotFound
from pelican.readers import MarkdownReader
from pelican.urlwrappers import Category

METADATA_LINE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")
# C0 controls except tab/newline/carriage return, DEL, and the C1 controls: none is valid text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    """``text`` without control characters (tab, newline and carriage return stay)."""
    return CONTROL_CHARACTERS.sub("", text)


# Explicit bidi formatting characters (UAX #9): openers and their terminators.
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
PDF, PDI = "\u202c", "\u2069"
BIDI_OPENERS = re.compile("[" + "".join(sorted(EMBEDDINGS | ISOLATES)) + "]")


def balance_bidi(text: str) -> str:
    """``text`` with every bidi embedding, override and isolate it leaves open closed at its end.

    Follows UAX #9's matching: PDF closes the innermost embedding or override unless an isolate
    was opened after it; PDI closes the innermost open isolate and everything opened inside it.
    Terminators without an opener are ignored by renderers and stay as they are.
    """
    if not BIDI_OPENERS.search(text):
        return text  # the usual case, Hebrew and Arabic included: byte for byte unchanged
    stack: list[str] = []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            stack.append(char)
        elif char == PDF and stack and stack[-1] in EMBEDDINGS:
            stack.pop()
        elif char == PDI and any(opener in ISOLATES for opener in stack):
            while stack.pop() not in ISOLATES:
                pass
    return text + "".join(PDI if opener in ISOLATES else PDF for opener in reversed(stack))


def author_text(text: str) -> str:
    """Text an author or an audio tag supplied, safe to set next to our own text: no control
    characters, no bidi embedding left open."""
    return balance_bidi(strip_control(text))


def clean_text(content) -> None:
    """Remove control characters from everything an author typed into one article or page, close
    the bidi embeddings it leaves open, and make its title an HTML fragment that shows the typed
    text."""
    if not isinstance(content, (Article, Page)):
        return
    metadata = content.metadata
    for key, value in list(metadata.items()):
        if isinstance(value, str):
            cleaned = author_text(value)
            if cleaned != value:
                metadata[key] = cleaned
                if key != "summary" and getattr(content, key, None) == value:
                    setattr(content, key, cleaned)
    if "summary" in metadata and isinstance(getattr(content, "_summary", None), str):
        content._summary = author_text(content._summary)
    if isinstance(getattr(content, "_content", None), str):
        content._content = strip_control(content._content)
    for wrapper in [
        *(getattr(content, "tags", None) or []),
        *(getattr(content, "authors", None) or []),
        getattr(content, "category", None),
    ]:
        name = getattr(wrapper, "name", None)
        if isinstance(name, str) and author_text(name) != name:
            wrapper.name = author_text(name)
    if isinstance(getattr(content, "title", None), str):
        content.title = html.escape(content.title, quote=False)
        metadata["title"] = content.title


class TextMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with raw HTML in formatted metadata (Summary:) shown as text."""

    def _parse_metadata(self, meta):
        formatted = self.settings["FORMATTED_FIELDS"]
        meta = {
            name: [value.replace("<", "&lt;") for value in values]
            if name.lower() in formatted
            else values
            for name, values in meta.items()
        }
        return super()._parse_metadata(meta)


def use_text_reader(readers) -> None:
    for extension in TextMarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = TextMarkdownReader


def _metadata_lines(path: str) -> dict[str, str]:
    """The raw ``Key: value`` header of a Markdown file (until the first blank line)."""
    header: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as fp:
            for line in fp:
                match = METADATA_LINE.match(line.rstrip("\n"))
                if not match:
                    break
                header[match.group(1).lower()] = match.group(2).strip()
    except (OSError, UnicodeDecodeError):
        pass
    return header


def explain_unreadable(path: str, error: BaseException | None) -> tuple[str, str, str]:
    """(field, what is wrong, fix) for a file Pelican could not read."""
    if isinstance(error, UnicodeDecodeError):
        return (
            "file",
            "is not UTF-8 text (a binary file or another encoding?)",
            "save it as UTF-8 Markdown, or move it out of content/ if it is not an article",
        )
    header = _metadata_lines(path)
    from pelican.utils import get_date

    for key in ("date", "modified"):
        if key not in header:
            continue
        try:
            get_date(header[key])
        except Exception as date_error:  # dateutil raises several types
            return (
                key.capitalize(),
                f"{header[key]!r} is not a date Pelican can read ({date_error})",
                "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-21 09:30; leave "
                "out the time zone (TIMEZONE applies) or use an offset such as +01:00",
            )
    return ("file", f"could not be read: {error}", "check the metadata lines at the top")


class _PelicanProblemFilter(logging.Filter):
    """Turns Pelican's own messages about content files into build-report problems.

    A filter on the loggers that write them, so that the author reads each problem once, in our
    words, instead of next to Pelican's "Could not process …" (logged as an error even in a
    development build that goes on without the file). Other records pass unchanged.
    """

    def __init__(self, settings: dict):
        super().__init__()
        self.settings = settings

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        args = record.args if isinstance(record.args, tuple) else ()
        if message.startswith("Could not process") and args:
            path = os.path.join(self.settings["PATH"], str(args[0]))
            # Pelican logs this inside its `except` block, so the exception is still current.
            field, problem, fix = explain_unreadable(path, sys.exc_info()[1])
            report(None, where(path), field, problem + "; left out", fix)
        elif message.startswith("Skipping %s: could not find information about") and args:
            source, prop = (str(a) for a in args)
            report(
                None,
                where(source),
                prop.capitalize(),
                "is missing, so the file was left out",
                f"add a line `{prop.capitalize()}: …` to the metadata at the top of the file",
            )
        elif message.startswith("Skipping %s: file %r would be written outside") and args:
            source, save_as = (str(a) for a in args)
            header = _metadata_lines(source)
            if "slug" in header and "save_as" not in header:  # the address came from Slug:
                report(
                    None,
                    where(source),
                    "Slug",
                    f"{header['slug']!r} cannot be part of an address (it leads out of the "
                    "site's folder); left out",
                    _slug_fix(header["slug"], self.settings),
                )
            else:
                report(
                    None,
                    where(source),
                    "Save_as",
                    f"{save_as!r} would be written outside the site's folder; left out",
                    "remove the `Save_as:` line, or give a path inside the site such as "
                    "`mijn-pagina/index.html`",
                )
        elif message.startswith("Unable to generate valid slug for"):
            return False  # reported by keep_named_taxonomies, naming the file and the field
        elif message.startswith("Unknown status '%s' for file %s") and len(args) >= 2:
            status, source = (str(a) for a in args[:2])
            report(
                None,
                where(source),
                "Status",
                f"{status!r} is not a status; the file was left out",
                "write `Status: published`, `draft` or `hidden`, or remove the line",
            )
        elif message.startswith("Unable to find '%s', skipping url replacement") and args:
            content, link = _link_being_replaced()
            source = where(content.source_path) if content else "content"
            report(
                None,
                source,
                "link",
                f"{link or args[0]} points to a file that is not in the content folder, so "
                "the link is broken",
                "correct the path: relative to this file, or starting with / for the content "
                "folder (e.g. {filename}/articles/x.md, {static}/images/x.jpg)",
            )
        elif message.startswith("Cannot get modification stamp for") and len(args) >= 2:
            # The cache stamping a linked file that does not exist: the broken link is
            # already reported above, in the article's own words.
            return not isinstance(args[1], FileNotFoundError)
        else:
            return True
        return False


def _link_being_replaced() -> tuple[object | None, str]:
    """The article or page with a link Pelican could not resolve, and the link as written.

    Pelican's message names only the target; it is logged from ``Content._link_replacer``,
    whose ``self`` is the content and whose match ``m`` holds the link (``{filename}/x.md``).
    """
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "_link_replacer":
            match = frame.f_locals.get("m")
            link = f"{{{match.group('what')}}}{match.group('value')}" if match else ""
            return frame.f_locals.get("self"), link
        frame = frame.f_back
    return None, ""


# The loggers of the Pelican modules whose messages the filter translates.
PELICAN_SOURCES = ("pelican.generators", "pelican.contents", "pelican.cache", "pelican.urlwrappers")
_filter: _PelicanProblemFilter | None = None


def _install_filter(pelican) -> None:
    # One filter per process: autoreload runs many builds in the same process.
    global _filter
    for name in PELICAN_SOURCES:
        logger = logging.getLogger(name)
        if _filter is not None:
            logger.removeFilter(_filter)
    _filter = _PelicanProblemFilter(pelican.settings)
    for name in PELICAN_SOURCES:
        # First in line: Pelican's own filter drops repeats of a message (LOG_LIMIT_THRESHOLD),
        # and every broken link must reach the report.
        logging.getLogger(name).filters.insert(0, _filter)


def empty_fields(content) -> list[str]:
    """Metadata fields written with only whitespace after the colon."""
    return sorted(
        key
        for key, value in content.metadata.items()
        if isinstance(value, str) and not value.strip()
    )


def _known_template(item, get_template) -> bool:
    try:
        get_template(item.template)
    except PelicanTemplateNotFound:
        return False
    return True


def _theme_templates(get_template) -> list[str]:
    """The page templates of the theme (partials and Pelican's list templates aside)."""
    environment = getattr(get_template.__self__, "env", None)
    names = environment.list_templates(extensions=["html"]) if environment else []
    return sorted(n.removesuffix(".html") for n in names if n in ("article.html", "page.html"))


def _is_language(value) -> bool:
    """Whether a ``Lang:`` value names a language (absent: the site's language)."""
    if value is None:
        return True
    try:
        Locale.parse(str(value).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


# Characters that end or change the meaning of a URL path, or that no web server expects.
UNSAFE_IN_SLUG = re.compile(r"[\s#?%\\\"'<>`{}|^\[\]]")


def unusable_slug(slug) -> str:
    """Why a typed ``Slug:`` cannot be (part of) an address; "" when it can."""
    if not isinstance(slug, str) or not slug:
        return ""
    unsafe = sorted(set(UNSAFE_IN_SLUG.findall(slug)))
    if unsafe:
        shown = ", ".join("a space" if c.isspace() else repr(c) for c in unsafe)
        return f"it contains {shown}"
    if slug.startswith("/") or ".." in slug.split("/"):
        return "it leads out of the site's folder"
    return ""


def _slug_fix(slug: str, settings: dict) -> str:
    from pelican.utils import slugify

    suggestion = slugify(
        slug.replace("/", " "), regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    )
    example = f", e.g. Slug: {suggestion}" if suggestion else ""
    return (
        f"use lowercase letters, digits and hyphens{example}; or remove the line (the title "
        "gives the address)"
    )


def keep_named_taxonomies(item, context: dict, settings: dict) -> None:
    """Tags, authors and a category need letters or digits to get an address (``/tag/…/``);
    one without (``Tags: ,,`` or ``Category: ../..``) would be written over the list page.
    Such a tag or author is left out; such a category becomes the default category."""
    for field, attribute in (("Tags", "tags"), ("Authors", "authors")):
        names = getattr(item, attribute, None) or []
        kept = [wrapper for wrapper in names if wrapper.slug]
        for wrapper in names:
            if not wrapper.slug:
                report(
                    context,
                    where(item.source_path),
                    field,
                    f"{wrapper.name!r} has no letters or digits to make an address from; it was "
                    "left out",
                    "write it as a word, or remove it from the line",
                )
        if len(kept) != len(names):
            setattr(item, attribute, kept)
            if attribute in item.metadata:
                item.metadata[attribute] = kept
    category = getattr(item, "category", None)
    if category is not None and not category.slug:
        default = settings.get("DEFAULT_CATEGORY", "misc")
        report(
            context,
            where(item.source_path),
            "Category",
            f"{category.name!r} has no letters or digits to make an address from; the "
            f"{default!r} category is used",
            "write it as a word, or remove the line",
        )
        item.category = Category(default, settings)
        if "category" in item.metadata:
            item.metadata["category"] = item.category


def keep_valid(items: list, context: dict, settings: dict, kind: str, get_template) -> list:
    """Report empty fields and duplicate addresses; return the items that stay on the site.

    Runs on every build, also when the articles come from Pelican's content cache.
    """
    taken = context.setdefault("content_checks_taken", {})
    kept: set[int] = set()  # ids: membership must not compare content objects pairwise
    for item in sorted(
        items,
        key=lambda c: (getattr(c, "date", None) is None, getattr(c, "date", None), c.source_path),
    ):
        empty = empty_fields(item)
        for key in empty:
            dropped = "; the file was left out" if key == "title" else ""
            report(
                context,
                where(item.source_path),  # only when there is a problem to report
                key.capitalize(),
                "is empty" + dropped,
                "fill it in, or remove the line",
            )
        if "title" in empty:
            continue
        if not _known_template(item, get_template):
            report(
                context,
                where(item.source_path),
                "Template",
                f"{item.template!r} is not a template of the theme; this {kind} was left out",
                "remove the line, or use one of: " + ", ".join(_theme_templates(get_template)),
            )
            continue
        slug_problem = unusable_slug(item.metadata.get("slug"))
        if slug_problem:
            report(
                context,
                where(item.source_path),
                "Slug",
                f"{item.metadata['slug']!r} cannot be part of an address ({slug_problem}); "
                f"this {kind} was left out",
                _slug_fix(item.metadata["slug"], settings),
            )
            continue
        keep_named_taxonomies(item, context, settings)
        if not _is_language(item.metadata.get("lang")):
            report(
                context,
                where(item.source_path),
                "Lang",
                f"{item.metadata['lang']!r} is not a language code; this {kind} was left out",
                "write a code such as nl or en, or remove the line (the site's language applies)",
            )
            continue
        save_as = item.save_as  # a property Pelican computes on every access
        first = taken.get(save_as)
        if first is not None and first is not item:
            report(
                context,
                where(item.source_path),
                "Slug",
                f"{item.slug!r} is also the address of "
                f"{where(first.source_path)}; this {kind} was left out",
                "give one of them another `Slug:`",
            )
            continue
        taken[save_as] = item
        kept.add(id(item))
    return [item for item in items if id(item) in kept]


def check_articles(generator) -> None:
    generator.articles[:] = keep_valid(
        generator.articles, generator.context, generator.settings, "file", generator.get_template
    )
    generator.drafts[:] = [d for d in generator.drafts if "title" not in empty_fields(d)]


def check_pages(generator) -> None:
    generator.pages[:] = keep_valid(
        generator.pages, generator.context, generator.settings, "page", generator.get_template
    )


def drop_missing_static(generator) -> None:
    """Pelican adds every ``{static}`` link target to the static files, also one that does not
    exist, and then crashes copying it. The broken link is reported (as ``link``); the file
    that is not there is simply not copied."""
    present = [s for s in generator.staticfiles if os.path.isfile(s.source_path)]
    if len(present) == len(generator.staticfiles):
        return
    generator.staticfiles[:] = present
    listed = generator.context.get("staticfiles")
    if isinstance(listed, list) and listed is not generator.staticfiles:
        listed[:] = [s for s in listed if os.path.isfile(s.source_path)]


def register() -> None:
    signals.initialized.connect(_install_filter)
    signals.content_object_init.connect(clean_text)
    signals.readers_init.connect(use_text_reader)
    signals.article_generator_pretaxonomy.connect(check_articles)
    signals.page_generator_finalized.connect(check_pages)
    signals.static_generator_finalized.connect(drop_missing_static)
