"""Votes from WordPress (WP-PostRatings): read the export, then replace the earlier import.

Two kinds of export, each a `.sql` mysqldump (read with a tokenizer: sqldump.py) or a CSV with a
header line (any other file name):

- `wp_postmeta`: per post the totals `ratings_users` and `ratings_score` (no per-star
  breakdown) — CSV columns post_id, meta_key, meta_value;
- `wp_ratings`: the log, one row per vote — CSV with its column names.

A mapping CSV (`wordpress,rating_id`) says which of our rating ids a WordPress post id (or
slug) became. An import replaces everything the previous import of the same source stored, in
one transaction: it fully replaces or, on any problem, changes nothing. The public functions
`import_wordpress_totals` and `import_wordpress_log` do that for data read elsewhere (the
WordPress site importer calls them in-process).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from .backends import open_store
from .sqldump import DumpProblem, pick_table, read_tables

POSTMETA_COLUMNS = ["meta_id", "post_id", "meta_key", "meta_value"]
LOG_COLUMNS = [
    "rating_id",
    "rating_postid",
    "rating_posttitle",
    "rating_rating",
    "rating_timestamp",
    "rating_ip",
    "rating_host",
    "rating_username",
    "rating_userid",
]
LATEST_TIME = 253402300799  # 9999-12-31: a later "timestamp" is not a time
MOST_VOTES = 1_000_000_000
WHOLE = re.compile(r"-?[0-9]+")


class ImportProblem(ValueError):
    """An export or mapping the admin must fix: `file:line: what is wrong — fix`."""


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportProblem(f"{path}: cannot read the file: {error}") from None


def _csv_rows(path: Path, required: Iterable[str]) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(_read(path)))
    header = reader.fieldnames or []
    missing = [name for name in required if name not in header]
    if missing or len(set(header)) != len(header):
        raise ImportProblem(
            f"{path}:1: the header must name the columns {', '.join(required)} once each "
            f"(missing: {', '.join(missing) or 'none'}) — export the table with its header line"
        )
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ImportProblem(f"{path}:{reader.line_num}: not valid CSV: {error}") from None


def _table_rows(path: Path, base: str, columns: list[str], prefix: str | None):
    if path.suffix.lower() != ".sql":
        return _csv_rows(path, [c for c in columns if c in REQUIRED[base]])
    try:
        with path.open(encoding="utf-8-sig", newline="") as lines:
            tables = read_tables(lines, [base])[base]
        table = pick_table(tables, base, prefix)
    except (OSError, UnicodeDecodeError) as error:
        raise ImportProblem(f"{path}: cannot read the dump: {error}") from None
    except DumpProblem as problem:
        raise ImportProblem(
            f"{path}:{problem.line}: {problem.args[0].partition(': ')[2]}"
        ) from None
    if table is None:
        raise ImportProblem(
            f"{path}: the dump has no {prefix or 'wp_'}{base} rows — check the file"
        )
    rows = []
    for line, row in table.rows:
        if not isinstance(row, dict):  # no column names in the dump: WordPress's own order
            if len(row) != len(columns):
                raise ImportProblem(
                    f"{path}:{line}: a row of {table.name} has {len(row)} values for "
                    f"{len(columns)} columns — export with mysqldump's defaults or with "
                    f"column names (--complete-insert)"
                )
            row = dict(zip(columns, row, strict=True))
        rows.append((line, row))
    return rows


REQUIRED = {
    "postmeta": ("post_id", "meta_key", "meta_value"),
    "ratings": ("rating_postid", "rating_rating", "rating_timestamp"),
}


def _whole(value, path: Path, line: int, name: str, low: int, high: int) -> int:
    text = "" if value is None else str(value).strip()
    if not WHOLE.fullmatch(text) or not low <= int(text) <= high:
        raise ImportProblem(
            f"{path}:{line}: {name} = {value!r} is not a whole number from {low} to {high} — "
            f"check the export"
        )
    return int(text)


def read_mapping(path: Path) -> dict[str, str]:
    """CSV with a header `wordpress,rating_id`: a WordPress post id (or slug) → our rating id."""
    rows = _csv_rows(path, ["wordpress", "rating_id"])
    mapping: dict[str, str] = {}
    for line, row in rows:
        wordpress = (row["wordpress"] or "").strip()
        rating_id = (row["rating_id"] or "").strip()
        if not wordpress or not rating_id:
            raise ImportProblem(f"{path}:{line}: both wordpress and rating_id are required")
        if mapping.get(wordpress, rating_id) != rating_id:
            raise ImportProblem(
                f"{path}:{line}: post {wordpress} is mapped twice ({mapping[wordpress]}, "
                f"{rating_id}) — keep one line per post"
            )
        mapping[wordpress] = rating_id
    return mapping


def read_postmeta(
    path: Path, mapping: dict[str, str], prefix: str | None = None
) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """WP-PostRatings totals per rating id (post meta ratings_users, ratings_score)."""
    per_post: dict[str, dict[str, tuple[int, object]]] = {}
    for line, row in _table_rows(path, "postmeta", POSTMETA_COLUMNS, prefix):
        key = row.get("meta_key")
        if key not in ("ratings_users", "ratings_score"):
            continue
        post = str(row.get("post_id")).strip()
        meta = per_post.setdefault(post, {})
        if key in meta:
            raise ImportProblem(
                f"{path}:{line}: post {post} has {key} twice (also line {meta[key][0]}) — "
                f"which one counts is ambiguous; remove the duplicate"
            )
        meta[key] = (line, row.get("meta_value"))
    totals: dict[str, tuple[int, int]] = {}
    unmapped = []
    for post, meta in sorted(per_post.items()):
        line_u, users = meta.get("ratings_users", (0, "0"))
        line_s, score = meta.get("ratings_score", (line_u, "0"))
        users = _whole(users, path, line_u, f"post {post}: ratings_users", 0, MOST_VOTES)
        score = _whole(score, path, line_s, f"post {post}: ratings_score", 0, 5 * MOST_VOTES)
        if users == 0:
            continue
        if not users <= score <= 5 * users:
            raise ImportProblem(
                f"{path}:{line_s}: post {post}: ratings_score {score} for {users} vote(s) is "
                f"not an average from 1 to 5 — WP-PostRatings with more than 5 stars is not "
                f"supported"
            )
        if post not in mapping:
            unmapped.append(post)
            continue
        count, total = totals.get(mapping[post], (0, 0))
        totals[mapping[post]] = (count + users, total + score)
    return totals, unmapped


def read_log(
    path: Path, mapping: dict[str, str], prefix: str | None = None
) -> tuple[list[tuple[str, int, int]], list[str]]:
    """Individual votes (rating id, score, time) from the wp_ratings log."""
    votes, unmapped = [], set()
    for line, row in _table_rows(path, "ratings", LOG_COLUMNS, prefix):
        post = str(row.get("rating_postid", "")).strip()
        score = _whole(row.get("rating_rating"), path, line, "rating_rating", 1, 5)
        created = _whole(
            row.get("rating_timestamp"), path, line, "rating_timestamp", 0, LATEST_TIME
        )
        if post not in mapping:
            unmapped.add(post)
            continue
        # The voter's IP and host in the log are deliberately not imported.
        votes.append((mapping[post], score, created))
    return votes, sorted(unmapped)


# --- the public import functions ------------------------------------------------------------
def _check_id(item) -> str:
    if not isinstance(item, str) or not item.strip():
        raise ImportProblem(f"rating id {item!r} is not a non-empty text")
    return item


def import_wordpress_totals(
    database: str, totals: dict[str, tuple[int, int]], source: str = "wordpress-postmeta"
) -> int:
    """Replace every total of `source` with `totals` ({rating id: (votes, sum of scores)}), in
    one transaction; returns the number of votes. ImportProblem (nothing changed) for a total
    that is not 0 ≤ votes and votes ≤ sum ≤ 5 × votes."""
    checked = {}
    for item, pair in totals.items():
        count, total = pair
        if (
            isinstance(count, bool)
            or not isinstance(count, int)
            or not isinstance(total, int)
            or not 0 <= count <= MOST_VOTES
            or not count <= total <= 5 * count
        ):
            raise ImportProblem(f"{item}: ({count!r}, {total!r}) is not (votes, sum of 1–5 scores)")
        checked[_check_id(item)] = (count, total)
    store = open_store(database)
    try:
        store.replace_imported_totals(source, {k: v for k, v in checked.items() if v[0]})
    finally:
        store.close()
    return sum(count for count, _ in checked.values())


def import_wordpress_log(
    database: str, votes: list[tuple[str, int, int]], source: str = "wordpress-log"
) -> int:
    """Replace every vote of `source` with `votes` ((rating id, score 1–5, unix time)), in one
    transaction; returns how many."""
    for item, score, created in votes:
        _check_id(item)
        if not (isinstance(score, int) and 1 <= score <= 5 and 0 <= created <= LATEST_TIME):
            raise ImportProblem(f"{item}: ({score!r}, {created!r}) is not (score 1–5, unix time)")
    store = open_store(database)
    try:
        store.replace_imported_votes(source, votes)
    finally:
        store.close()
    return len(votes)
