"""The admin commands for drip courses (``python -m reader_service.admin course-…``):

    course-list [--show S] [--emails]    subscribers per course and per week of the course
                                         (which lesson they are at); e-mail only with --emails
    course-revoke KEY                    stop a personal feed (KEY: the first 12+ characters of
                                         the key course-list shows); 410 after the grace period
    course-delete KEY                    delete a subscriber entirely (a reader's request)
    course-export [--show S] [--emails] every subscriber as JSON (keys, times, state)

A subscriber is shown by the first 12 characters of its token's HMAC: the token itself is not
in the store, so nobody (the author included) can read a reader's feed address from it.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

from . import course_store

DAY = 86400
COMMANDS = ("course-list", "course-revoke", "course-delete", "course-export")


def add_commands(commands) -> None:
    listing = commands.add_parser("course-list", help="course subscribers, counted per week")
    listing.add_argument("--show", help="only this course")
    listing.add_argument("--interval-days", type=int, default=7, help="the course's interval")
    listing.add_argument("--emails", action="store_true", help="show e-mail addresses too")
    revoke = commands.add_parser("course-revoke", help="stop a subscriber's personal feed")
    revoke.add_argument("key", help="the subscriber's key (12 characters from course-list)")
    delete = commands.add_parser("course-delete", help="delete a subscriber (on request)")
    delete.add_argument("key")
    export = commands.add_parser("course-export", help="every subscriber as JSON")
    export.add_argument("--show")
    export.add_argument("--emails", action="store_true", help="include e-mail addresses")


def _iso(moment: int | None) -> str | None:
    return datetime.fromtimestamp(moment, UTC).isoformat() if moment is not None else None


def _state(subscriber: course_store.Subscriber) -> str:
    return "revoked" if subscriber.revoked_at is not None else "active"


def run(store, args, out, now: int) -> int:
    if args.command == "course-revoke":
        count = course_store.revoke(store, args.key, now)
        out.write(f"revoked {count} personal feed(s)\n")
        return 0 if count else 1
    if args.command == "course-delete":
        count = course_store.delete(store, args.key)
        out.write(f"deleted {count} subscriber(s)\n")
        return 0 if count else 1
    found = course_store.subscribers(store, args.show)
    if args.command == "course-export":
        rows = [
            {
                "key": s.token_key[:12],
                "show": s.show,
                "signed_up": _iso(s.signed_up),
                "confirmed": _iso(s.confirmed_at),
                "revoked": _iso(s.revoked_at),
                "announced": s.announced,
                **({"email": s.email} if args.emails else {}),
            }
            for s in found
        ]
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    weeks: Counter = Counter()
    for s in found:
        if s.revoked_at is None:
            weeks[(s.show, (now - s.signed_up) // (args.interval_days * DAY) + 1)] += 1
    for show in sorted({s.show for s in found}):
        mine = [s for s in found if s.show == show]
        revoked = sum(1 for s in mine if s.revoked_at is not None)
        out.write(f"{show}: {len(mine)} subscriber(s), {revoked} revoked\n")
        for (name, week), count in sorted(weeks.items()):
            if name == show:
                out.write(f"  week {week}: {count}\n")
    for s in found:
        email = f"  {s.email or '-'}" if args.emails else ""
        out.write(f"{s.token_key[:12]}  {s.show}  {_iso(s.signed_up)}  {_state(s)}{email}\n")
    if not found:
        out.write("no course subscribers\n")
    return 0
