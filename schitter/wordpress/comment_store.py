"""Glue: the WordPress comments into the reader service's comment store (the same store, and
the same store options, as the votes)."""

from __future__ import annotations


def import_comments(document: dict, database: str | None, config: str | None) -> str:
    """Import the comments.json document; its report line, or an error line starting with
    "comment store:" (then nothing was stored: the import is one transaction)."""
    from reader_service.comments_import import import_wordpress_comments, summary
    from reader_service.config import load_settings

    try:
        target = database or load_settings(config).database
        return summary(import_wordpress_comments(target, document))
    except Exception as error:  # the store's own errors (SQLite, PostgreSQL), as one line
        where = database or config or "the development store"
        message = " ".join(str(error).split()) or type(error).__name__
        return f"comment store: {where}: {message}"
