"""Admin commands for the reader service's store: `python -m reader_service.admin COMMAND …`.

    stats [--json]                votes, average and spread per item
    export --format csv|json      every vote (never voter keys), oldest first
    delete --item ID              delete an item's votes (and imported totals)
    delete --since T --until T    delete the votes cast in a time window (ISO dates/times, UTC)
    purge                         forget voter keys older than the retention period
    check [--repair]              recount every item's votes and compare with the kept scores
    import-wordpress --mapping M (--postmeta FILE | --log FILE) [--table-prefix wp_]
                                  import WP-PostRatings data, mapped to our rating ids
    course-list, course-revoke, course-delete, course-export
                                  drip course subscribers (course_admin.py)

The store is the one in the service's settings (`--config`, READER_SERVICE_* variables, or the
development default var/ratings/ratings.sqlite3), or `--database`. A SQLite file that does not
exist is an error (a mistyped path must not become an empty store); only import-wordpress
creates a new store, and says so.
Every problem ends in one line on stderr and exit status 2; a failed import changes nothing.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import course_admin
from .backends import StoreUnavailable, is_postgres, open_store
from .config import ConfigError, load_settings
from .store import Store
from .wordpress import (
    ImportProblem,
    import_wordpress_log,
    import_wordpress_totals,
    read_log,
    read_mapping,
    read_postmeta,
)


def _when(value: str) -> int:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date or time, e.g. 2026-11-01T12:00") from None
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


def command_check(store: Store, args, out) -> int:
    wrong = store.check(repair=args.repair)
    for item, kept, counted in wrong:
        out.write(
            f"{item}: kept {kept.count} vote(s), sum {kept.total}, "
            f"spread {list(kept.distribution.values())}; the votes say {counted.count}, "
            f"sum {counted.total}, spread {list(counted.distribution.values())}\n"
        )
    if not wrong:
        out.write("every item's score matches its votes\n")
        return 0
    if args.repair:
        out.write(f"repaired the scores of {len(wrong)} item(s)\n")
        return 0
    out.write(f"{len(wrong)} item(s) differ; `check --repair` rewrites them from the votes\n")
    return 1


def command_import(database: str, args, out) -> None:
    mapping = read_mapping(Path(args.mapping))
    if args.postmeta:
        totals, unmapped = read_postmeta(Path(args.postmeta), mapping, args.table_prefix)
        count = import_wordpress_totals(database, totals)
        items = len(totals)
    else:
        votes, unmapped = read_log(Path(args.log), mapping, args.table_prefix)
        count = import_wordpress_log(database, votes)
        items = len({vote[0] for vote in votes})
    out.write(f"imported {count} vote(s) for {items} item(s)\n")
    if unmapped:
        out.write(
            f"skipped WordPress post(s) without a line in {args.mapping}: "
            f"{', '.join(sorted(set(unmapped)))}\n"
        )


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reader_service.admin",
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
    check = commands.add_parser("check", help="recount the votes and compare with the scores")
    check.add_argument("--repair", action="store_true", help="rewrite the scores that differ")
    wordpress = commands.add_parser("import-wordpress", help="import WP-PostRatings data")
    wordpress.add_argument("--mapping", required=True, help="CSV: wordpress,rating_id")
    source = wordpress.add_mutually_exclusive_group(required=True)
    source.add_argument("--postmeta", help="wp_postmeta export (.sql dump, else CSV)")
    source.add_argument("--log", help="wp_ratings log export (.sql dump, else CSV)")
    wordpress.add_argument(
        "--table-prefix", help="WordPress table prefix when the dump has several (e.g. wp2_)"
    )
    course_admin.add_commands(commands)
    return parser


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    cli = parser()
    args = cli.parse_args(argv)
    if args.command == "delete" and not (args.item or args.since or args.until):
        cli.error("delete needs --item and/or --since/--until")
    store = None
    try:
        settings = load_settings(args.config)
        database = args.database or settings.database
        if args.command == "import-wordpress":
            new = not is_postgres(database) and not Path(database).exists()
            command_import(database, args, out)
            if new:
                out.write(f"created a new store: {database}\n")
            return 0
        store = open_store(database, create=False)
        if args.command == "export" and args.output:
            try:
                with open(args.output, "w", encoding="utf-8", newline="") as fp:
                    command_export(store, args, fp)
            except OSError as error:
                raise ValueError(
                    f"cannot write {args.output}: {error.strerror or error} — choose a file in "
                    f"a folder you may write to"
                ) from None
        elif args.command == "purge":
            purged = store.purge_voter_keys(int(time.time()) - settings.retention_days * 86400)
            out.write(f"forgot the voter keys of {purged} vote(s)\n")
        elif args.command == "check":
            return command_check(store, args, out)
        elif args.command in course_admin.COMMANDS:
            return course_admin.run(store, args, out, int(time.time()))
        else:
            {"stats": command_stats, "export": command_export, "delete": command_delete}[
                args.command
            ](store, args, out)
    except StoreUnavailable as error:
        print(f"reader admin: cannot use the store: {error}", file=sys.stderr)
        return 2
    except (ConfigError, ImportProblem, ValueError) as error:
        print(f"reader admin: {error}", file=sys.stderr)
        return 2
    finally:
        if store is not None:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
