"""Comment moderation for the author: `python -m reader_service.comments_admin COMMAND …`.

    pending                           comments waiting for approval, oldest first
    list [--item ID] [--status S]     every comment (or an item's, or those with a status)
    show ID                           one comment in full (with its e-mail address)
    approve ID [ID …]                 approve: in the next build, and (opt-in) the reply e-mail
    reject ID [ID …]                  reject (kept, never shown; `delete` removes it)
    delete ID [ID …]                  delete for good (replies to it stay, as comments)
    edit ID [--body TEXT | --body-file FILE] [--name NAME]
                                      correct a comment (the HTML is made again)
    export [--format json|csv] [--item ID] [--with-email] [--output FILE]
    forget --email ADDRESS            delete every comment written with that address (a
                                      privacy request)
    import-wordpress FILE.json        the comments of a WordPress export (the importer's
                                      var/wordpress-import/comments.json): approved and
                                      pending kept, threads kept; again adds nothing

The store is the one in the service's settings (`--config`, READER_SERVICE_* variables, or the
development default), or `--database`. `approve` runs the settings' `rebuild_command` and sends
the reply notifications (`smtp_host`), as the e-mail's approve link does. Every problem ends in
one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from . import comments_store
from .backends import StoreUnavailable, open_store
from .comments import MAX_BODY, MAX_NAME, render
from .comments_import import import_wordpress_comments, summary
from .comments_notify import Notifier
from .config import ConfigError, load_settings


def _when(timestamp: int | None) -> str:
    if not timestamp:
        return "-"
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M")


def _line(comment) -> str:
    text = " ".join(comment.body.split())
    text = text if len(text) <= 60 else text[:59] + "…"
    reply = f" ↳{comment.parent}" if comment.parent else ""
    return (
        f"{comment.id:>6} {comment.status:9} {_when(comment.created_at)} {comment.item:28} "
        f"{comment.name[:20]:20}{reply} {text}\n"
    )


def _manifest_item(settings, item_id: str) -> tuple[str, str]:
    """(title, page URL) from the comments manifest, for the e-mails; the id when unknown."""
    from .comments_app import parse_comments_manifest

    try:
        items = parse_comments_manifest(json.loads(Path(settings.comments_manifest).read_text()))
    except (OSError, ValueError):
        return item_id, ""
    item = items.get(item_id)
    if item is None:
        return item_id, ""
    url = settings.site_origin[0] + item.url if item.url.startswith("/") else item.url
    return item.title, url


def command_status(store, settings, args, out, status: str) -> int:
    # Synchronous here: the command ends when the e-mails are sent and the rebuild has run.
    notifier = Notifier(settings, b"", background=False)
    missing = []
    for comment_id in args.ids:
        comment = comments_store.set_status(store, comment_id, status, int(time.time()))
        if comment is None:
            missing.append(comment_id)
            continue
        out.write(f"{status} {comment_id}\n")
        if status == "approved":
            parent = comments_store.get(store, comment.parent) if comment.parent else None
            title, url = _manifest_item(settings, comment.item)
            notifier.approved(comment, parent, title, url)
    if missing:
        raise ValueError(f"no comment(s) {', '.join(map(str, missing))} — see `list`")
    return 0


def command_edit(store, args, out) -> None:
    body = args.body
    if args.body_file:
        try:
            body = Path(args.body_file).read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"cannot read {args.body_file}: {error.strerror}") from None
    if body is None and args.name is None:
        raise ValueError("edit needs --body, --body-file or --name")
    if body is not None and not 0 < len(body.strip()) <= MAX_BODY:
        raise ValueError(f"the text must have 1 to {MAX_BODY} characters")
    if args.name is not None and not 0 < len(args.name.strip()) <= MAX_NAME:
        raise ValueError(f"the name must have 1 to {MAX_NAME} characters")
    html = render(body) if body is not None else None
    name = args.name.strip() if args.name is not None else None
    if not comments_store.edit(store, args.id, int(time.time()), body, html, name):
        raise ValueError(f"no comment {args.id} — see `list`")
    out.write(f"edited {args.id}\n")


def command_export(store, args, out) -> None:
    rows = [c.export(args.with_email) for c in comments_store.listing(store, item_id=args.item)]
    if args.format == "json":
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    names = list(rows[0]) if rows else ["id", "item", "parent", "status", "name", "body"]
    writer = csv.DictWriter(out, fieldnames=names)
    writer.writeheader()
    writer.writerows(rows)


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m reader_service.comments_admin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cli.add_argument("--config", help="the service's TOML settings file")
    cli.add_argument("--database", help="SQLite path or postgresql:// URL (overrides config)")
    commands = cli.add_subparsers(dest="command", required=True)
    commands.add_parser("pending", help="comments waiting for approval")
    listing = commands.add_parser("list", help="every comment")
    listing.add_argument("--item")
    listing.add_argument("--status", choices=comments_store.STATUSES)
    show = commands.add_parser("show", help="one comment in full")
    show.add_argument("id", type=int)
    for name in ("approve", "reject", "delete"):
        command = commands.add_parser(name, help=f"{name} comments")
        command.add_argument("ids", type=int, nargs="+", metavar="ID")
    edit = commands.add_parser("edit", help="correct a comment")
    edit.add_argument("id", type=int)
    edit.add_argument("--body")
    edit.add_argument("--body-file")
    edit.add_argument("--name")
    export = commands.add_parser("export", help="every comment as JSON or CSV")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--item")
    export.add_argument("--with-email", action="store_true", help="include e-mail addresses")
    export.add_argument("--output", help="file to write (default: standard output)")
    forget = commands.add_parser("forget", help="delete every comment of an e-mail address")
    forget.add_argument("--email", required=True)
    wordpress = commands.add_parser("import-wordpress", help="import WordPress comments")
    wordpress.add_argument("file", help="comments.json written by `python -m schitter.wordpress`")
    return cli


def command_import(database: str, path: str, out) -> int:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None
    except ValueError as error:
        message = f"{path}: not JSON ({error}) — pass the importer's comments.json"
        raise ValueError(message) from None
    try:
        counts = import_wordpress_comments(database, document)
    except ValueError as error:  # ImportProblem
        raise ValueError(f"{path}: {error} — nothing was imported") from None
    out.write(summary(counts) + "\n")
    return 0


def run(store, settings, args, out) -> int:
    command = args.command
    if command in ("pending", "list"):
        status = "pending" if command == "pending" else args.status
        comments = comments_store.listing(store, status, getattr(args, "item", None))
        for comment in comments:
            out.write(_line(comment))
        out.write(f"{len(comments)} comment(s)\n")
    elif command == "show":
        comment = comments_store.get(store, args.id)
        if comment is None:
            raise ValueError(f"no comment {args.id} — see `list`")
        json.dump(comment.export(with_email=True), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif command in ("approve", "reject"):
        status = {"approve": "approved", "reject": "rejected"}[command]
        return command_status(store, settings, args, out, status)
    elif command == "delete":
        out.write(f"deleted {comments_store.delete(store, args.ids)} comment(s)\n")
    elif command == "edit":
        command_edit(store, args, out)
    elif command == "forget":
        deleted = comments_store.delete_by_email(store, args.email.strip())
        out.write(f"deleted {deleted} comment(s) written with {args.email.strip()}\n")
    elif command == "export":
        if args.output:
            try:
                with open(args.output, "w", encoding="utf-8", newline="") as fp:
                    command_export(store, args, fp)
            except OSError as error:
                raise ValueError(f"cannot write {args.output}: {error.strerror}") from None
        else:
            command_export(store, args, out)
    return 0


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    args = parser().parse_args(argv)
    store = None
    try:
        settings = load_settings(args.config)
        if args.command == "import-wordpress":  # may create the store, like the votes import
            return command_import(args.database or settings.database, args.file, out)
        store = open_store(args.database or settings.database, create=False)
        return run(store, settings, args, out)
    except StoreUnavailable as error:
        print(f"comments admin: cannot use the store: {error}", file=sys.stderr)
        return 2
    except (ConfigError, ValueError) as error:
        print(f"comments admin: {error}", file=sys.stderr)
        return 2
    finally:
        if store is not None:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
