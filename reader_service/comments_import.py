"""WordPress comments into the comment store: the records the WordPress importer writes to
``var/wordpress-import/comments.json`` (schitter/wordpress/comments.py), stored in one
transaction.

Threading is kept as the site shows it: one level, so a reply to a reply hangs under its
top-level ancestor. Approved comments stay approved (approved at their WordPress date), pending
ones stay pending, with their original dates. The e-mail address is stored for a deletion
request like any comment's (never in a snapshot, the live JSON or a page). The HTML WordPress
stored gets WordPress's paragraphs and is sanitised exactly as a reader's comment
(comments.sanitise); the Markdown source an `edit` starts from is made from it with markdownify.
Each stored comment remembers its WordPress id in ``origin`` (migration 6), so importing the
same export again adds nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from markdownify import markdownify

from .backends import open_store
from .comments import MAX_EMAIL, MAX_NAME, MAX_WEBSITE, UNSAFE_IN_URL, sanitise
from .wordpress import ImportProblem

KEPT = ("approved", "pending")
ORIGIN = re.compile(r"^wordpress-[0-9]{1,20}$")
BLOCK = re.compile(r"<(p|blockquote|ul|ol|pre)\b", re.IGNORECASE)


def paragraphs(html: str) -> str:
    """WordPress's wpautop for comment text: blank lines part paragraphs, a newline is <br>."""
    text = html.replace("\r\n", "\n").strip()
    if BLOCK.search(text):
        return text
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{part.replace(chr(10), '<br>' + chr(10))}</p>" for part in parts)


def _when(value, where: str) -> int:
    try:
        moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        raise ImportProblem(f"{where}: created {value!r} is not YYYY-MM-DDTHH:MM:SSZ") from None
    return int(moment.timestamp())


def _text(record: dict, name: str, where: str) -> str:
    value = record.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportProblem(f"{where}: {name} {value!r} is not a text")
    return value


def check_record(record) -> dict:
    """One record as the store keeps it; ImportProblem when it is not a comments.json record."""
    if not isinstance(record, dict):
        raise ImportProblem(f"record {record!r} is not an object")
    origin = record.get("id")
    if not isinstance(origin, str) or not ORIGIN.match(origin):
        raise ImportProblem(f"record id {origin!r} is not wordpress-<number>")
    item = _text(record, "item", origin).strip()
    status = record.get("status")
    parent = record.get("parent")
    if not item:
        raise ImportProblem(f"{origin}: item is empty — it must be the post's stable id")
    if status not in KEPT:
        raise ImportProblem(f"{origin}: status {status!r} is not approved or pending")
    if parent is not None and (not isinstance(parent, str) or not ORIGIN.match(parent)):
        raise ImportProblem(f"{origin}: parent {parent!r} is not wordpress-<number> or null")
    html = sanitise(paragraphs(_text(record, "text", origin)))
    if not html:
        raise ImportProblem(f"{origin}: the comment has no text")
    website = _text(record, "url", origin).strip()
    if not website.startswith(("http://", "https://")) or UNSAFE_IN_URL.search(website):
        website = ""
    return {
        "origin": origin,
        "item": item,
        "parent": parent,
        "status": status,
        "name": " ".join(_text(record, "author", origin).split())[:MAX_NAME],
        "email": _text(record, "email", origin).strip().lower()[:MAX_EMAIL],
        "website": website[:MAX_WEBSITE],
        "body": markdownify(html, heading_style="ATX").strip(),
        "html": html,
        "created_at": _when(record.get("created"), origin),
    }


def records_of(document) -> list:
    """The records of a comments.json document ({"items": {item: [record, …]}}) or a list."""
    if isinstance(document, list):
        return document
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, dict):
        raise ImportProblem('not a WordPress comments file — expected {"items": {…}}')
    return [record for records in items.values() for record in records]


def import_into(store, records: list) -> dict[str, int]:
    """Store the records not imported before, in one transaction; counts per outcome."""
    checked = [check_record(record) for record in records]
    by_origin = {r["origin"]: r for r in checked}

    def top(record: dict) -> str | None:
        """The WordPress id of the top-level comment this one hangs under (None: it is one)."""
        parent, seen = record["parent"], {record["origin"]}
        while parent in by_origin and parent not in seen:
            seen.add(parent)
            if by_origin[parent]["item"] != record["item"]:
                return None
            if by_origin[parent]["parent"] is None or by_origin[parent]["parent"] in seen:
                return parent
            parent = by_origin[parent]["parent"]
        return parent  # a parent from an earlier import, or one that is not there: checked below

    counts = {"approved": 0, "pending": 0, "already": 0, "replies": 0}
    with store.transaction() as cur:
        cur.execute("SELECT origin, id, item_id, parent_id FROM comments WHERE origin IS NOT NULL")
        stored = {row[0]: (row[1], row[2], row[3]) for row in cur.fetchall()}
        ordered = sorted(checked, key=lambda r: (top(r) is not None, r["created_at"]))
        for record in ordered:
            if record["origin"] in stored:
                counts["already"] += 1
                continue
            parent_id = None
            ancestor = top(record)
            if ancestor in stored and stored[ancestor][1] == record["item"]:
                parent_id = stored[ancestor][2] or stored[ancestor][0]  # one level only
            cur.execute(
                store._sql(
                    "INSERT INTO comments (item_id, parent_id, status, name, email, website, "
                    "body, html, notify, network_key, created_at, approved_at, origin) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?) RETURNING id"
                ),
                (
                    record["item"],
                    parent_id,
                    record["status"],
                    record["name"],
                    record["email"],
                    record["website"],
                    record["body"],
                    record["html"],
                    record["created_at"],
                    record["created_at"] if record["status"] == "approved" else None,
                    record["origin"],
                ),
            )
            stored[record["origin"]] = (cur.fetchone()[0], record["item"], parent_id)
            counts[record["status"]] += 1
            counts["replies"] += parent_id is not None
    return counts


def import_wordpress_comments(database: str, records) -> dict[str, int]:
    """Import WordPress comment records (a comments.json document or its records) into the
    store at `database`; nothing is stored when one record is wrong (ImportProblem) or the
    store fails. Counts: approved, pending, already (imported before), replies."""
    records = records_of(records)
    store = open_store(database)
    try:
        return import_into(store, records)
    finally:
        store.close()


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['approved']} approved and {counts['pending']} pending comment(s) imported "
        f"({counts['replies']} of them replies), {counts['already']} imported before"
    )
