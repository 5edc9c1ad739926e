"""Pure functions of the comments feature: the snapshot read, threads built, HTML sanitised
again, the question in words, the manifest and the structured data.

Nothing here knows Pelican; the glue hands in plain values. The snapshot is the reader service's
documented ``GET /comments`` document (or the same document from its public function
``reader_service.comments_snapshot.comments_snapshot`` in development).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path

import nh3
from markupsafe import Markup

from ..core.text import author_text, plain_text

# The same subset the service renders; sanitised again here: a page never trusts the service's
# HTML blindly (a bug or an old row there must not become a script in every copy of the page).
ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
LINK_REL = "nofollow ugc noopener"


# The numbers of the question, as words (marked for translation; the glue translates them).
def N_(message: str) -> str:
    """Marks a string for translation (`invoke translations`); the glue translates it."""
    return message


NUMBER_WORDS = (
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
    N_("ten"),
)


class SnapshotUnavailable(Exception):
    """The comments could not be read (service down, store missing, bad JSON)."""


def sanitise(html: str) -> Markup:
    return Markup(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href"}},
            url_schemes={"http", "https", "mailto"},
            link_rel=LINK_REL,
            strip_comments=True,
        )
    )


@dataclass(frozen=True)
class Question:
    period: int
    first: int
    operator: str
    result: int


@dataclass
class Comment:
    id: int
    name: str
    website: str
    html: Markup
    created: datetime
    parent: int | None = None
    replies: list[Comment] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"reactie-{self.id}"

    @property
    def day(self) -> date:
        """The day it was written (the theme's date filter is cached per value: per day, a
        thread of 1,000 comments formats a few dozen dates, not 1,000)."""
        return self.created.date()


@dataclass(frozen=True)
class Snapshot:
    generated_at: int
    question: Question | None
    items: dict[str, list[dict]]


UNSAFE_IN_URL = re.compile(r"[\s\"'<>\\`]")


def _website(value: object) -> str:
    """An http(s) address the service accepted; anything else (an old row, a bug) is no link."""
    text = str(value or "")
    if not text.startswith(("https://", "http://")) or UNSAFE_IN_URL.search(text):
        return ""
    return text


def parse_snapshot(data: object) -> Snapshot:
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise SnapshotUnavailable('the comments snapshot is not {"items": {...}} JSON')
    try:
        raw = data.get("question")
        question = None
        if isinstance(raw, dict):
            question = Question(
                int(raw["period"]), int(raw["first"]), str(raw["operator"]), int(raw["result"])
            )
        items = {}
        for item_id, comments in data["items"].items():
            if not isinstance(comments, list):
                raise TypeError(f"{item_id}: not a list")
            items[str(item_id)] = comments
        return Snapshot(int(data.get("generated_at") or 0), question, items)
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotUnavailable(
            f"the comments snapshot has a malformed entry: {error!r}"
        ) from None


def fetch_snapshot(url: str, timeout: float) -> Snapshot:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return parse_snapshot(json.load(response))
    except (OSError, ValueError) as error:
        raise SnapshotUnavailable(f"{url}: {error}") from None


def read_store_snapshot(database: str, secret_file: str) -> Snapshot:
    """Development: the service's comments, read from its store through its public function."""
    try:
        from reader_service.comments_snapshot import comments_snapshot
    except ImportError:  # pelican's CLI does not put the project root on sys.path
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from reader_service.comments_snapshot import comments_snapshot
    try:
        snapshot = comments_snapshot(database, secret_file)
    except Exception as error:  # noqa: BLE001 - the store cannot be read: no snapshot
        raise SnapshotUnavailable(f"{database}: {error}") from None
    return parse_snapshot(snapshot)


def threads(entries: list[dict], zone: tzinfo) -> list[Comment]:
    """Top-level comments, oldest first, each with its replies (one level); a reply whose
    comment is gone is shown as a comment of its own."""
    comments: dict[int, Comment] = {}
    for entry in entries:
        try:
            comment = Comment(
                id=int(entry["id"]),
                name=author_text(str(entry.get("name") or "")),
                website=_website(entry.get("website")),
                html=sanitise(str(entry.get("html") or "")),
                created=datetime.fromtimestamp(int(entry["created_at"]), zone),
                parent=int(entry["parent"]) if entry.get("parent") else None,
            )
        except (KeyError, TypeError, ValueError):
            continue  # a malformed entry is left out, never half-rendered
        comments[comment.id] = comment
    top: list[Comment] = []
    for comment in sorted(comments.values(), key=lambda c: (c.created, c.id)):
        parent = comments.get(comment.parent) if comment.parent else None
        if parent is not None and parent.parent is None:
            parent.replies.append(comment)
        else:
            top.append(comment)
    return top


def count(thread_list: list[Comment]) -> int:
    return sum(1 + len(comment.replies) for comment in thread_list)


def question_text(question: Question, words: list[str]) -> str:
    """ "zeven − … = 5": the first number in words, the reader types the missing one."""
    operator = "−" if question.operator == "-" else "+"
    first = words[question.first] if 0 <= question.first < len(words) else str(question.first)
    return f"{first} {operator} … = {question.result}"


def structured_data(url: str, thread_list: list[Comment], node: dict | None = None) -> dict:
    """What the comments add to the item's schema.org node (``node``, as other features made
    it): ``commentCount`` and ``comment`` (replies nested), and ``@context``/``@id`` when the
    node is still empty."""

    def comment_node(comment: Comment) -> dict:
        author: dict = {"@type": "Person", "name": comment.name}
        if comment.website:
            author["url"] = comment.website
        data = {
            "@type": "Comment",
            "@id": f"{url}#{comment.anchor}",
            "author": author,
            "dateCreated": comment.created.isoformat(),
            "text": plain_text(comment.html),
        }
        if comment.replies:
            data["comment"] = [comment_node(reply) for reply in comment.replies]
        return data

    data: dict = {} if node else {"@context": "https://schema.org", "@id": url}
    data["commentCount"] = count(thread_list)
    if thread_list:
        data["comment"] = [comment_node(comment) for comment in thread_list]
    return data


def manifest(items: list[dict]) -> str:
    """The comments manifest JSON (sorted, no timestamps of its own: deterministic)."""
    ordered = sorted(items, key=lambda item: item["id"])
    return json.dumps({"version": 1, "items": ordered}, ensure_ascii=False, indent=1) + "\n"
