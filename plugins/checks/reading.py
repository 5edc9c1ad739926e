"""What the author typed, read as text: the Markdown reader and the clean-up of every field.

Text, not markup: a title is what the author typed, so ``<script>`` in a title is shown as those
characters. Pelican and its feeds treat ``title`` as an HTML fragment, so the title is
HTML-escaped once, as it is read; every consumer then gets the typed text back (the site model's
plain title, Pelican's feeds). Formatted fields (``Summary:``) are Markdown, but raw HTML in them
is escaped too (the body may still hold raw HTML on purpose). Tag, author and category names stay
plain text; the templates escape them.

Every string field, tag, author and category loses its control characters and has its open bidi
embeddings closed (:func:`plugins.core.text.author_text`); the body only loses control
characters (HTML ends an open override at the end of its paragraph anyway).
"""

from __future__ import annotations

import html

from pelican.contents import Article, Page
from pelican.readers import MarkdownReader

from ..core.text import author_text, strip_control
from .dates import check_date


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
    """Pelican's Markdown reader, with raw HTML in formatted metadata (Summary:) shown as text,
    and dates with the day or month before the year refused (:mod:`.dates`)."""

    def _parse_metadata(self, meta):
        for name in ("date", "modified"):
            for value in meta.get(name, ()):
                check_date(name, value)  # 03-04-2026: refused (the file is reported), not guessed
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
