"""The service's one public function for builds: the scores snapshot, read from the store.

Production builds fetch `GET /scores` from the running service; a development build reads the
store directly through `scores_snapshot`, and gets the same JSON document. Nothing else of the
service is meant to be imported by the build.
"""

from __future__ import annotations

from .backends import open_store


def scores_snapshot(database: str) -> dict:
    """Exactly the JSON document `GET /scores` returns, for a SQLite path or postgresql:// URL:
    `{"items": {item id: {"count", "sum", "average", "distribution", "without_breakdown"}}}`.

    The store is opened read-only (a SQLite file that does not exist is an error, never
    created). Raises `reader_service.backends.StoreUnavailable` (and the database driver's
    errors) when the store cannot be read.
    """
    store = open_store(database, read_only=True)
    try:
        return store.snapshot()
    finally:
        store.close()
