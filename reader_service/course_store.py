"""The subscribers of drip courses, in the service's store (migration 4: course_subscribers).

A reader's token is 256 random bits (``secrets.token_urlsafe(32)``); the store keeps only its
``token_key`` = HMAC-SHA256(secret, token), so a copy of the database opens no feed. A lookup
computes the key and asks the primary-key index for it: the same work for a token that exists
and one that does not (no string comparison of secrets that could leak through timing).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_BYTES = 32
COLUMNS = "token_key, show, signed_up, email, confirmed_at, revoked_at, announced"


@dataclass(frozen=True)
class Subscriber:
    token_key: str
    show: str
    signed_up: int
    email: str | None = None
    confirmed_at: int | None = None
    revoked_at: int | None = None
    announced: int = 0  # lessons announced by e-mail so far


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_key(secret: bytes, token: str) -> str:
    return hmac.new(secret, b"course|" + token.encode(), hashlib.sha256).hexdigest()


def add(store, key: str, show: str, now: int, email: str | None) -> None:
    with store.transaction() as cur:
        cur.execute(
            store._sql(
                "INSERT INTO course_subscribers (token_key, show, signed_up, email) "
                "VALUES (?, ?, ?, ?)"
            ),
            (key, show, now, email),
        )


def find(store, key: str) -> Subscriber | None:
    with store.reading() as cur:
        cur.execute(
            store._sql(f"SELECT {COLUMNS} FROM course_subscribers WHERE token_key = ?"), (key,)
        )
        row = cur.fetchone()
    return Subscriber(*row) if row else None


def subscribers(store, show: str | None = None) -> list[Subscriber]:
    where, args = ("WHERE show = ?", (show,)) if show else ("", ())
    with store.reading() as cur:
        cur.execute(
            store._sql(f"SELECT {COLUMNS} FROM course_subscribers {where} ORDER BY signed_up"),
            args,
        )
        return [Subscriber(*row) for row in cur.fetchall()]


def _update(store, sql: str, args: tuple) -> int:
    with store.transaction() as cur:
        cur.execute(store._sql(sql), args)
        return cur.rowcount


def revoke(store, key_prefix: str, now: int) -> int:
    """Revoke the subscriber(s) whose token key starts with ``key_prefix`` (the admin list
    shows the first 12 characters); returns how many."""
    return _update(
        store,
        "UPDATE course_subscribers SET revoked_at = ? "
        "WHERE token_key LIKE ? AND revoked_at IS NULL",
        (now, _prefix(key_prefix)),
    )


def delete(store, key_prefix: str) -> int:
    return _update(
        store, "DELETE FROM course_subscribers WHERE token_key LIKE ?", (_prefix(key_prefix),)
    )


def confirm(store, key: str, now: int) -> int:
    return _update(
        store,
        "UPDATE course_subscribers SET confirmed_at = ? "
        "WHERE token_key = ? AND confirmed_at IS NULL",
        (now, key),
    )


def mark_announced(store, key: str, count: int) -> int:
    return _update(
        store,
        "UPDATE course_subscribers SET announced = ? WHERE token_key = ? AND announced < ?",
        (count, key, count),
    )


def _prefix(key_prefix: str) -> str:
    if len(key_prefix) < 8 or not all(c in "0123456789abcdef" for c in key_prefix):
        raise ValueError("give at least 8 hex characters of the subscriber's key (see list)")
    return key_prefix + "%"
