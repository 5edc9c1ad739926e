"""WordPress comments → records for Schitter's comment store, keyed by the item's stable id.

The comment store (issue 14) keeps comments under the same stable id as votes (an item's
``Rating-Id``, else its slug), never under a URL, so threads survive slug changes. This module
is pure: the importer writes its records to ``var/wordpress-import/comments.json`` (private:
it holds e-mail addresses) for the store to import; nothing of it goes into ``content/``.

Approved comments are kept as approved and pending ones as pending; spam and trash are
dropped (and counted). Threading follows ``comment_parent``; a reply whose parent was dropped
hangs under the nearest kept ancestor instead, so no reply is orphaned. The text is the HTML
WordPress stored (the store renders and sanitises it); readers' IP addresses are not imported.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .wxr import Comment

STATUSES = {
    "1": "approved",
    "approve": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "trash",
    "post-trashed": "trash",
}
KEPT = ("approved", "pending")


@dataclass(frozen=True)
class CommentRecord:
    """One comment as the comment store imports it."""

    id: str  # "wordpress-<comment id>": unique, and recognisable on a second import
    item: str  # the item's stable id
    parent: str | None  # the id of the comment this one answers
    status: str  # "approved" or "pending"
    kind: str  # "comment", "pingback", "trackback"
    author: str
    email: str  # private: never shown, never in the site
    url: str
    created: str  # ISO 8601, UTC
    text: str  # HTML as WordPress stored it

    def to_json(self) -> dict:
        return asdict(self)


def comment_status(comment: Comment) -> str:
    """approved, pending, spam or trash (an unknown value counts as pending: not shown)."""
    return STATUSES.get(comment.approved.lower(), "pending")


def comment_records(comments: list[Comment], item_id: str) -> tuple[list[CommentRecord], dict]:
    """The kept comments of one item, oldest first, and counts per WordPress status."""
    by_id = {c.comment_id: c for c in comments}
    kept = {c.comment_id for c in comments if comment_status(c) in KEPT}
    counts: dict[str, int] = {}
    for comment in comments:
        counts[comment_status(comment)] = counts.get(comment_status(comment), 0) + 1

    def kept_parent(comment: Comment) -> str | None:
        parent, seen = comment.parent, {comment.comment_id}
        while parent and parent not in seen:
            if parent in kept:
                return f"wordpress-{parent}"
            seen.add(parent)
            parent = by_id[parent].parent if parent in by_id else 0
        return None

    records = [
        CommentRecord(
            id=f"wordpress-{comment.comment_id}",
            item=item_id,
            parent=kept_parent(comment),
            status=comment_status(comment),
            kind=comment.kind if comment.kind in ("pingback", "trackback") else "comment",
            author=" ".join(comment.author.split()),
            email=comment.email,
            url=comment.url if comment.url.startswith(("http://", "https://")) else "",
            created=comment.date_gmt.strftime("%Y-%m-%dT%H:%M:%SZ") if comment.date_gmt else "",
            text=comment.content.strip(),
        )
        for comment in comments
        if comment.comment_id in kept
    ]
    records.sort(key=lambda r: (r.created, int(r.id.split("-")[1])))
    return records, counts


def comments_file(records_by_item: dict[str, list[CommentRecord]], source: str) -> dict:
    """The JSON document the comment store imports (``var/wordpress-import/comments.json``)."""
    return {
        "version": 1,
        "source": source,
        "items": {
            item: [r.to_json() for r in records]
            for item, records in sorted(records_by_item.items())
            if records
        },
    }
