"""Comments in the store (SQLite or PostgreSQL, the same SQL): the tables of migration 4 and
every query on them.

A comment is kept under the item's stable id (never its URL: a new slug keeps the thread), with
its Markdown source and the sanitised HTML made from it (comments.render), a status —
``pending`` until the author approves it, ``approved`` or ``rejected`` — and at most one level
of threading (``parent_id`` points at a top-level comment). The commenter's e-mail address is
kept for the notification they asked for and for a deletion request; it is never in a snapshot,
the live JSON or a page. ``network_key`` is an HMAC of the reader's network, kept like voter
keys (forgotten after ``retention_days``); the address itself is never stored.

Every change is one transaction; SQLite runs with ``synchronous=FULL`` (backends.py), so a
comment the service acknowledged is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("pending", "approved", "rejected")

MIGRATION_DESCRIPTION = "comments, held for moderation, and used form tokens"
TABLES = (
    """CREATE TABLE comments (
        id {pk},
        item_id TEXT NOT NULL,
        parent_id BIGINT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        name TEXT NOT NULL,
        email TEXT NOT NULL DEFAULT '',
        website TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        html TEXT NOT NULL,
        notify SMALLINT NOT NULL DEFAULT 0,
        network_key TEXT,
        created_at BIGINT NOT NULL,
        approved_at BIGINT,
        edited_at BIGINT
    )""",
    "CREATE INDEX comments_item ON comments (item_id, status)",
    "CREATE INDEX comments_status ON comments (status, created_at)",
    "CREATE INDEX comments_email ON comments (email)",
    # Form tokens used once (comments.check_token): remembered until they would expire anyway.
    "CREATE TABLE comment_tokens (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
)

# Migration 6: where an imported comment came from ("wordpress-<comment id>"), so a second
# import of the same export recognises it (comments_import.py); NULL for readers' comments.
ORIGIN_DESCRIPTION = "comments imported from WordPress remember their WordPress id"
ORIGIN = (
    "ALTER TABLE comments ADD COLUMN origin TEXT",
    "CREATE UNIQUE INDEX comments_origin ON comments (origin)",
)

PUBLIC = "id, item_id, parent_id, name, website, html, created_at, approved_at"
ALL = (
    "id, item_id, parent_id, status, name, email, website, body, html, notify, created_at, "
    "approved_at, edited_at"
)


@dataclass
class Comment:
    id: int
    item: str
    parent: int | None
    status: str
    name: str
    email: str
    website: str
    body: str
    html: str
    notify: bool
    created_at: int
    approved_at: int | None
    edited_at: int | None

    @classmethod
    def from_row(cls, row) -> Comment:
        values = list(row)
        values[9] = bool(values[9])
        return cls(*values)

    def public(self) -> dict:
        """What readers may see: never the e-mail address, never the Markdown source."""
        return {
            "id": self.id,
            "parent": self.parent,
            "name": self.name,
            "website": self.website,
            "html": self.html,
            "created_at": self.created_at,
            "approved_at": self.approved_at,
        }

    def export(self, with_email: bool) -> dict:
        data = {
            "id": self.id,
            "item": self.item,
            "parent": self.parent,
            "status": self.status,
            "name": self.name,
            "website": self.website,
            "body": self.body,
            "created_at": self.created_at,
            "approved_at": self.approved_at,
            "edited_at": self.edited_at,
        }
        if with_email:
            data["email"] = self.email
            data["notify"] = self.notify
        return data


def _public(row) -> dict:
    keys = ("id", "item", "parent", "name", "website", "html", "created_at", "approved_at")
    data = dict(zip(keys, row, strict=True))
    del data["item"]
    return data


class ParentProblem(Exception):
    """The comment answers a comment that is not a top-level one of the same item."""


def use_token(store, nonce: str, expires_at: int, now: int) -> bool:
    """Remember a form token's nonce; False when it was used before (a replay)."""
    with store.transaction() as cur:
        cur.execute(store._sql("DELETE FROM comment_tokens WHERE expires_at < ?"), (now,))
        cur.execute(
            store._sql(
                "INSERT INTO comment_tokens (nonce, expires_at) VALUES (?, ?) "
                "ON CONFLICT (nonce) DO NOTHING"
            ),
            (nonce, expires_at),
        )
        return cur.rowcount == 1


def add_comment(
    store, submission, html: str, network_key: str, now: int, auto_approve: bool
) -> Comment:
    """Store a comment (pending, or approved when the commenter had an approved one before and
    `auto_approve` is on); one transaction."""
    with store.transaction() as cur:
        if submission.parent is not None:
            cur.execute(
                store._sql("SELECT item_id, parent_id, status FROM comments WHERE id = ?"),
                (submission.parent,),
            )
            row = cur.fetchone()
            if row is None or row[0] != submission.item or row[2] != "approved":
                raise ParentProblem("the comment answered is not on this page")
            parent = submission.parent if row[1] is None else row[1]  # one level only
        else:
            parent = None
        status = "pending"
        if auto_approve and submission.email:
            cur.execute(
                store._sql(
                    "SELECT 1 FROM comments WHERE email = ? AND status = 'approved' LIMIT 1"
                ),
                (submission.email,),
            )
            if cur.fetchone() is not None:
                status = "approved"
        cur.execute(
            store._sql(
                "INSERT INTO comments (item_id, parent_id, status, name, email, website, body, "
                "html, notify, network_key, created_at, approved_at) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {ALL}"
            ),
            (
                submission.item,
                parent,
                status,
                submission.name,
                submission.email,
                submission.website,
                submission.body,
                html,
                int(submission.notify),
                network_key,
                now,
                now if status == "approved" else None,
            ),
        )
        return Comment.from_row(cur.fetchone())


def get(store, comment_id: int) -> Comment | None:
    with store.reading() as cur:
        cur.execute(store._sql(f"SELECT {ALL} FROM comments WHERE id = ?"), (comment_id,))
        row = cur.fetchone()
    return Comment.from_row(row) if row else None


def approved(store, item_id: str, since: int | None = None) -> list[dict]:
    """An item's approved comments (approved after `since`, if given), oldest first."""
    where, args = "item_id = ? AND status = 'approved'", [item_id]
    if since is not None:
        where += " AND approved_at > ?"
        args.append(since)
    with store.reading() as cur:
        cur.execute(
            store._sql(f"SELECT {PUBLIC} FROM comments WHERE {where} ORDER BY created_at, id"),
            args,
        )
        return [_public(row) for row in cur.fetchall()]


def snapshot(store) -> dict[str, list[dict]]:
    """Every item's approved comments, oldest first: what a build bakes."""
    items: dict[str, list[dict]] = {}
    with store.reading() as cur:
        cur.execute(
            f"SELECT {PUBLIC} FROM comments WHERE status = 'approved' "
            "ORDER BY item_id, created_at, id"
        )
        for row in cur.fetchall():
            items.setdefault(row[1], []).append(_public(row))
    return items


def listing(store, status: str | None = None, item_id: str | None = None) -> list[Comment]:
    clauses, args = [], []
    if status:
        clauses.append("status = ?")
        args.append(status)
    if item_id:
        clauses.append("item_id = ?")
        args.append(item_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    with store.reading() as cur:
        cur.execute(store._sql(f"SELECT {ALL} FROM comments {where} ORDER BY created_at, id"), args)
        return [Comment.from_row(row) for row in cur.fetchall()]


def set_status(store, comment_id: int, status: str, now: int) -> Comment | None:
    """Approve or reject; the comment as it is now, or None when there is no such comment."""
    if status == "approved":
        change, args = "status = 'approved', approved_at = COALESCE(approved_at, ?)", (now,)
    else:
        change, args = "status = ?, approved_at = NULL", (status,)
    with store.transaction() as cur:
        cur.execute(
            store._sql(f"UPDATE comments SET {change} WHERE id = ? RETURNING {ALL}"),
            (*args, comment_id),
        )
        row = cur.fetchone()
    return Comment.from_row(row) if row else None


def edit(store, comment_id: int, now: int, body: str | None, html: str | None, name=None):
    with store.transaction() as cur:
        if body is not None:
            cur.execute(
                store._sql("UPDATE comments SET body = ?, html = ?, edited_at = ? WHERE id = ?"),
                (body, html, now, comment_id),
            )
        if name is not None:
            cur.execute(
                store._sql("UPDATE comments SET name = ?, edited_at = ? WHERE id = ?"),
                (name, now, comment_id),
            )
        return cur.rowcount


def delete(store, comment_ids: list[int]) -> int:
    """Delete comments; replies to them stay, shown as comments of their own."""
    if not comment_ids:
        return 0
    marks = ", ".join("?" * len(comment_ids))
    with store.transaction() as cur:
        cur.execute(
            store._sql(f"UPDATE comments SET parent_id = NULL WHERE parent_id IN ({marks})"),
            comment_ids,
        )
        cur.execute(store._sql(f"DELETE FROM comments WHERE id IN ({marks})"), comment_ids)
        return cur.rowcount


def delete_by_email(store, email: str) -> int:
    with store.reading() as cur:
        cur.execute(store._sql("SELECT id FROM comments WHERE email = ?"), (email.lower(),))
        ids = [row[0] for row in cur.fetchall()]
    return delete(store, ids)


def forget_network_keys(store, before: int) -> int:
    with store.transaction() as cur:
        cur.execute(
            store._sql(
                "UPDATE comments SET network_key = NULL "
                "WHERE created_at < ? AND network_key IS NOT NULL"
            ),
            (before,),
        )
        return cur.rowcount


def count(store) -> int:
    with store.reading() as cur:
        cur.execute("SELECT COUNT(*) FROM comments")
        return int(cur.fetchone()[0])
