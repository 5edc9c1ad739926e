"""The service's public function for development builds: the comments snapshot, from the store.

Production builds fetch `GET /comments` from the running service; a development build reads
the store directly through `comments_snapshot` and gets the same JSON document. Nothing else of
the service's comments is meant to be imported by the build.
"""

from __future__ import annotations

import time
from pathlib import Path

from . import comments_store
from .backends import StoreUnavailable, open_store
from .comments import current_period, question
from .config import MIN_SECRET


def comments_snapshot(database: str, secret_file: str) -> dict:
    """Exactly the JSON document `GET /comments` returns, for a SQLite path or postgresql://
    URL and the service's secret file (the question is derived from it):
    `{"version": 1, "generated_at": unix time, "question": {"period", "first", "operator",
    "result"}, "items": {item id: [{"id", "parent", "name", "website", "html", "created_at",
    "approved_at"}, …]}}` — approved comments only, oldest first, never an e-mail address.

    The store is opened read-only (a SQLite file that does not exist is an error, never
    created). Raises `reader_service.backends.StoreUnavailable` (and the database driver's
    errors) when the store or the secret cannot be read.
    """
    try:
        secret = Path(secret_file).read_text().strip()
    except OSError as error:
        raise StoreUnavailable(f"cannot read the service's secret {secret_file}: {error}") from None
    if len(secret) < MIN_SECRET:
        raise StoreUnavailable(f"the service's secret in {secret_file} is too short")
    store = open_store(database, read_only=True)
    try:
        now = time.time()
        return {
            "version": 1,
            "generated_at": int(now),
            "question": question(secret.encode(), current_period(now)).to_json(),
            "items": comments_store.snapshot(store),
        }
    finally:
        store.close()
