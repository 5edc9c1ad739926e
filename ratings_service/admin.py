"""Admin commands for the ratings store: `python -m ratings_service.admin COMMAND …`.

    stats                         votes, average and spread per item
    export --format csv|json      every vote (never voter keys), oldest first
    delete --item ID              delete an item's votes (and imported totals)
    delete --since T --until T    delete the votes cast in a time window (ISO dates/times, UTC)
    purge                         forget voter keys older than the retention period
    import-wordpress --mapping M (--postmeta FILE | --log FILE)
                                  import WP-PostRatings data, mapped to our rating ids

The store is the one in the service's settings (`--config`, RATINGS_* variables, or the
development default var/ratings/ratings.sqlite3).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from .config import ConfigError, load_settings
from .store import Store, open_store


class ImportProblem(ValueError):
    """A WordPress export or mapping file the admin must fix (message names file and line)."""


# --- WordPress WP-PostRatings -----------------------------------------------------------------
def read_mapping(path: Path) -> dict[str, str]:
    """CSV with a header `wordpress,rating_id`: a WordPress post id (or slug) → our rating id."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ImportProblem(f"{path}: cannot read the mapping file: {error}") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"wordpress", "rating_id"} <= set(rows[0]):
        raise ImportProblem(
            f"{path}: the mapping needs a header line `wordpress,rating_id` and one line per "
            f"post, e.g. `123,community-bouwen` (WordPress post id or slug, our rating id)."
        )
    mapping = {}
    for number, row in enumerate(rows, start=2):
        wordpress, rating_id = (row["wordpress"] or "").strip(), (row["rating_id"] or "").strip()
        if not wordpress or not rating_id:
            raise ImportProblem(f"{path}:{number}: both wordpress and rating_id are required")
        mapping[wordpress] = rating_id
    return mapping


_INSERT = re.compile(
    r"INSERT\s+INTO\s+`?(\w+)`?\s*(?:\(([^)]*)\))?\s*VALUES\s*", re.IGNORECASE | re.DOTALL
)


def _sql_rows(text: str, table_suffix: str) -> list[dict | list]:
    """Rows of `INSERT INTO …<table_suffix> VALUES (…),(…);` statements of a mysqldump."""
    rows: list = []
    for match in _INSERT.finditer(text):
        if not match.group(1).endswith(table_suffix):
            continue
        columns = [c.strip(" `") for c in match.group(2).split(",")] if match.group(2) else None
        position = match.end()
        while position < len(text):
            while text[position] in " \n\r\t,":
                position += 1
            if text[position] != "(":
                break
            values, position = _sql_tuple(text, position + 1)
            rows.append(dict(zip(columns, values, strict=False)) if columns else values)
    return rows


def _sql_tuple(text: str, position: int) -> tuple[list, int]:
    values: list = []
    while True:
        while text[position] in " \n\r\t":
            position += 1
        if text[position] == "'":
            position += 1
            out = []
            while True:
                char = text[position]
                if char == "\\":
                    out.append(
                        {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(
                            text[position + 1], text[position + 1]
                        )
                    )
                    position += 2
                elif char == "'" and text[position + 1] == "'":
                    out.append("'")
                    position += 2
                elif char == "'":
                    position += 1
                    break
                else:
                    out.append(char)
                    position += 1
            values.append("".join(out))
        else:
            end = position
            while text[end] not in ",)":
                end += 1
            token = text[position:end].strip()
            values.append(None if token.upper() == "NULL" else token)
            position = end
        while text[position] in " \n\r\t":
            position += 1
        if text[position] == ")":
            return values, position + 1
        position += 1  # the comma


def _read_table(path: Path, table_suffix: str, columns: list[str]) -> list[dict]:
    """CSV (with a header line) or a mysqldump (.sql) of a WordPress table, as dicts."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ImportProblem(f"{path}: cannot read the export: {error}") from None
    if path.suffix.lower() == ".sql" or _INSERT.search(text[:10000] or ""):
        rows = _sql_rows(text, table_suffix)
        return [r if isinstance(r, dict) else dict(zip(columns, r, strict=False)) for r in rows]
    return list(csv.DictReader(io.StringIO(text)))


def _integer(value, path: Path, where: str, field: str) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise ImportProblem(
            f"{path}: {where}: {field} = {value!r} is not a whole number; check the export"
        ) from None


def read_postmeta(path: Path, mapping: dict[str, str]) -> tuple[dict[str, tuple[int, int]], list]:
    """WP-PostRatings totals per post (post meta ratings_users, ratings_score)."""
    rows = _read_table(path, "postmeta", ["meta_id", "post_id", "meta_key", "meta_value"])
    per_post: dict[str, dict] = {}
    for row in rows:
        key = row.get("meta_key")
        if key in ("ratings_users", "ratings_score"):
            per_post.setdefault(str(row.get("post_id")).strip(), {})[key] = row.get("meta_value")
    totals, unmapped = {}, []
    for post, meta in sorted(per_post.items()):
        where = f"post {post}"
        users = _integer(meta.get("ratings_users", 0), path, where, "ratings_users")
        score = _integer(meta.get("ratings_score", 0), path, where, "ratings_score")
        if users == 0:
            continue
        if not users <= score <= 5 * users:
            raise ImportProblem(
                f"{path}: {where}: ratings_score {score} for {users} vote(s) is not an average "
                f"from 1 to 5; WP-PostRatings with more than 5 stars is not supported"
            )
        if post not in mapping:
            unmapped.append(post)
            continue
        count, total = totals.get(mapping[post], (0, 0))
        totals[mapping[post]] = (count + users, total + score)
    return totals, unmapped


def read_log(path: Path, mapping: dict[str, str]) -> tuple[list[tuple[str, int, int]], list]:
    """Individual votes from the wp_ratings log table (rating_postid, rating_rating, …)."""
    columns = [
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
    votes, unmapped = [], []
    for number, row in enumerate(_read_table(path, "ratings", columns), start=1):
        post = str(row.get("rating_postid", "")).strip()
        where = f"row {number}"
        score = _integer(row.get("rating_rating"), path, where, "rating_rating")
        if not 1 <= score <= 5:
            raise ImportProblem(f"{path}: {where}: rating_rating {score} is not from 1 to 5")
        created = _integer(row.get("rating_timestamp"), path, where, "rating_timestamp")
        if post not in mapping:
            unmapped.append(post)
            continue
        # The voter's IP and host in the log are deliberately not imported.
        votes.append((mapping[post], score, created))
    return votes, sorted(set(unmapped))


# --- commands ---------------------------------------------------------------------------------
def _when(value: str) -> int:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def command_stats(store: Store, args, out) -> None:
    scores = store.scores()
    if args.json:
        json.dump({k: v.to_json() for k, v in sorted(scores.items())}, out, indent=2)
        out.write("\n")
        return
    out.write(f"{'item':40} {'votes':>6} {'average':>8}   1    2    3    4    5\n")
    for item, score in sorted(scores.items()):
        spread = " ".join(f"{score.distribution[s]:4}" for s in range(1, 6))
        out.write(f"{item:40} {score.count:6} {score.average:8.2f} {spread}\n")


def command_export(store: Store, args, out) -> None:
    votes = store.votes(args.item)
    if args.format == "json":
        json.dump(votes, out, indent=2)
        out.write("\n")
        return
    writer = csv.DictWriter(out, fieldnames=["id", "item", "score", "created_at", "source"])
    writer.writeheader()
    writer.writerows(votes)


def command_delete(store: Store, args, out) -> None:
    since = _when(args.since) if args.since else None
    until = _when(args.until) if args.until else None
    deleted = store.delete_votes(args.item, since, until)
    out.write(f"deleted {deleted} vote(s)\n")


def command_purge(store: Store, args, out, retention_days: int) -> None:
    purged = store.purge_voter_keys(int(time.time()) - retention_days * 86400)
    out.write(f"forgot the voter keys of {purged} vote(s)\n")


def command_import(store: Store, args, out) -> None:
    mapping = read_mapping(Path(args.mapping))
    if args.postmeta:
        totals, unmapped = read_postmeta(Path(args.postmeta), mapping)
        for item, (count, total) in sorted(totals.items()):
            store.set_imported_total(item, count, total, "wordpress-postmeta")
        out.write(
            f"imported {sum(c for c, _ in totals.values())} vote(s) for {len(totals)} item(s)\n"
        )
    else:
        votes, unmapped = read_log(Path(args.log), mapping)
        source = "wordpress-log"
        deleted = 0
        for item in sorted({v[0] for v in votes}):  # importing the same log twice is safe
            deleted += store.delete_votes_of_source(item, source)
        store.add_imported_votes(votes, source)
        out.write(f"imported {len(votes)} vote(s) for {len({v[0] for v in votes})} item(s)\n")
    if unmapped:
        out.write(
            f"skipped WordPress post(s) without a line in {args.mapping}: "
            f"{', '.join(sorted(set(unmapped)))}\n"
        )


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m ratings_service.admin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--config", help="the service's TOML settings file")
    parser.add_argument("--database", help="SQLite path or postgresql:// URL (overrides config)")
    commands = parser.add_subparsers(dest="command", required=True)
    stats = commands.add_parser("stats", help="votes, average and spread per item")
    stats.add_argument("--json", action="store_true")
    export = commands.add_parser("export", help="every vote as CSV or JSON")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--item", help="only this item")
    export.add_argument("--output", help="file to write (default: standard output)")
    delete = commands.add_parser("delete", help="delete an item's votes or a time window")
    delete.add_argument("--item")
    delete.add_argument("--since", help="ISO date/time (UTC unless given), inclusive")
    delete.add_argument("--until", help="ISO date/time (UTC unless given), exclusive")
    commands.add_parser("purge", help="forget voter keys older than the retention period")
    wordpress = commands.add_parser("import-wordpress", help="import WP-PostRatings data")
    wordpress.add_argument("--mapping", required=True, help="CSV: wordpress,rating_id")
    source = wordpress.add_mutually_exclusive_group(required=True)
    source.add_argument("--postmeta", help="wp_postmeta export (CSV or .sql)")
    source.add_argument("--log", help="wp_ratings log export (CSV or .sql)")
    args = parser.parse_args(argv)

    if args.command == "delete" and not (args.item or args.since or args.until):
        parser.error("delete needs --item and/or --since/--until")
    try:
        settings = load_settings(args.config)
        store = open_store(args.database or settings.database)
        if args.command == "export" and args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as fp:
                command_export(store, args, fp)
        elif args.command == "purge":
            command_purge(store, args, out, settings.retention_days)
        else:
            {
                "stats": command_stats,
                "export": command_export,
                "delete": command_delete,
                "import-wordpress": command_import,
            }[args.command](store, args, out)
    except (ConfigError, ImportProblem, ValueError) as error:
        print(f"ratings admin: {error}", file=sys.stderr)
        return 2
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
