"""Move a WordPress site into Schitter: ``python -m schitter.wordpress EXPORT.xml``.

    python -m schitter.wordpress EXPORT.xml [--uploads wp-content/uploads] [--dry-run]
        [--content content] [--settings pelicanconf.py] [--podcast-show SHOW]
        [--ratings-database PATH | --ratings-config ratings.toml | --no-votes] [--no-comments]

Writes articles, pages, episodes, media and content/redirects.json into the content folder
(all at once; files edited since an earlier import are left alone), the comments for the
comment store into var/wordpress-import/comments.json, and imports the comments (approved,
pending, threaded) and the WP-PostRatings totals into the reader service's store. Prints a
summary and everything that was not carried over.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .comment_store import import_comments
from .entries import ImportSettings
from .importer import Plan, plan_import
from .redirects import RedirectSettings
from .report import format_report
from .votes import import_totals
from .writer import WriteProblem, apply_writes, plan_writes
from .wxr import ExportProblem, read_export


class Refused(Exception):
    """One line: why the import did not start. Nothing was written."""


def _site_settings(path: Path) -> dict:
    if not path.is_file():
        raise Refused(
            f"{path}: settings file not found — run the import in the project folder "
            "or pass --settings pelicanconf.py"
        )
    from pelican.settings import read_settings

    try:
        return read_settings(str(path))
    except Exception as error:  # the settings file is the author's Python: any error
        raise Refused(
            f"{path}: cannot be read ({type(error).__name__}: {error}) — run "
            "`invoke build` to see what is wrong with it"
        ) from None


def _podcast_show(requested: str | None, shows: dict, settings_path: Path) -> str | None:
    if requested:
        if requested not in shows:
            raise Refused(
                f"--podcast-show {requested!r}: not a show in PODCAST_SHOWS of "
                f"{settings_path} (shows: {', '.join(shows) or 'none'})"
            )
        return requested
    if len(shows) == 1:
        return next(iter(shows))
    episodic = [key for key, show in shows.items() if show.get("type", "episodic") == "episodic"]
    return episodic[0] if len(episodic) == 1 else None


def _write_private(path: Path, text: str) -> None:
    """A file in var/ (comments hold e-mail addresses: only the owner may read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def run(args: argparse.Namespace, out) -> int:
    settings_path = Path(args.settings)
    site = _site_settings(settings_path)
    content = Path(args.content or site.get("PATH", "content"))
    if not content.is_dir():
        raise Refused(f"{content}: the content folder does not exist — pass --content")
    uploads = Path(args.uploads) if args.uploads else None
    if uploads is not None and not uploads.is_dir():
        raise Refused(
            f"--uploads {uploads}: not a folder — copy wp-content/uploads from the "
            "old server (e.g. with rsync or SFTP) and pass that folder"
        )
    export_path = Path(args.export)
    export = read_export(export_path)
    shows = site.get("PODCAST_SHOWS") or {}
    show = _podcast_show(args.podcast_show, shows, settings_path)
    settings = ImportSettings(site.get("TIMEZONE") or "UTC", site.get("DEFAULT_LANG", "nl"), show)
    redirect_settings = RedirectSettings(args.category_base, args.tag_base, show)
    plan = plan_import(export, uploads, settings, redirect_settings, export_path.name)
    if plan.report.counts.get("episodes") and not show:
        raise Refused(
            f"the export has podcast episodes and PODCAST_SHOWS in {settings_path} "
            f"has several shows ({', '.join(shows) or 'none'}): pass "
            "--podcast-show SHOW"
        )
    result, to_write, manifest = plan_writes(content, plan.files)
    var = Path(args.var) / "wordpress-import"
    failed_votes = False
    if not args.dry_run:
        if to_write or manifest != _current_manifest(content):
            apply_writes(content, to_write, manifest)
        _write_private(var / "comments.json", json.dumps(plan.comments, indent=1) + "\n")
        if plan.votes and not args.no_votes:
            line = import_totals(var, plan.votes, args.ratings_database, args.ratings_config)
            if line.startswith("ratings admin:"):
                failed_votes = True
                plan.report.add(
                    "Votes",
                    f"not imported ({line}) — fix that and run the import "
                    "again: the files it wrote are then left as they are",
                )
            else:
                plan.report.notes.append(f"Votes: {line}")
        if plan.comments.get("items") and not args.no_comments:
            line = import_comments(plan.comments, args.ratings_database, args.ratings_config)
            if line.startswith("comment store:"):
                failed_votes = True
                plan.report.add(
                    "Comments",
                    f"not imported, none of them stored ({line}) — fix that and run the "
                    "import again",
                )
            else:
                plan.report.notes.append(f"Comments: {line}")
    _describe(plan, result, content, var, show, export, args.dry_run)
    text = format_report(plan.report, _heading(export_path, content, args.dry_run))
    if not args.dry_run:
        _write_private(var / "report.txt", text)
    out.write(text)
    return 1 if failed_votes else 0


def _current_manifest(content: Path) -> dict:
    from .writer import read_manifest

    return read_manifest(content)


def _heading(export_path: Path, content: Path, dry_run: bool) -> str:
    verb = "Would import (dry run, nothing written)" if dry_run else "Imported"
    return f"{verb} {export_path} into {content}/:"


def _describe(plan: Plan, result, content, var, show, export, dry_run: bool) -> None:
    report = plan.report
    files = (
        f"Files: {len(result.new)} new, {len(result.replaced)} updated, "
        f"{len(result.unchanged)} unchanged"
    )
    report.notes.append(files + (" (nothing changed)" if not result.changed else ""))
    for name in result.kept_edited:
        report.add(f"{content}/{name}", "you edited it since the last import; kept your version")
    for name in result.kept_deleted:
        report.add(f"{content}/{name}", "you deleted it since the last import; not written again")
    for name in result.kept_foreign:
        report.add(
            f"{content}/{name}",
            "already exists and was not written by an import; kept "
            "— rename or remove it and import again to get the WordPress version",
        )
    if plan.comments.get("items"):
        report.notes.append(
            f"Comments: {'would be ' if dry_run else ''}written to "
            f"{var}/comments.json for the comment store (private: it holds "
            "e-mail addresses; never copy it into content/)"
        )
    if report.counts.get("episodes") and show:
        home = (export.base_blog_url or export.link).rstrip("/")
        report.notes.append(
            f"Podcast: add this line to PODCAST_SHOWS[{show!r}] in pelicanconf.py so podcast "
            f'apps move to the new feed:\n    "new_feed_url": "{home}/feed/podcast/",'
        )
    report.notes.append(
        'Next: `invoke build`, then `invoke check-redirects` (README, "Van WordPress overstappen")'
    )


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="python -m schitter.wordpress",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("export", help="the WordPress export (Tools → Export → All content)")
    parser.add_argument("--uploads", help="a copy of the old site's wp-content/uploads folder")
    parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    parser.add_argument("--content", help="the content folder (default: PATH of the settings)")
    parser.add_argument("--settings", default="pelicanconf.py", help="the site's settings")
    parser.add_argument("--var", default="var", help="where comments.json and the report go")
    parser.add_argument("--podcast-show", help="the PODCAST_SHOWS key the episodes belong to")
    parser.add_argument("--category-base", default="category", help="WordPress category base")
    parser.add_argument("--tag-base", default="tag", help="WordPress tag base")
    votes = parser.add_mutually_exclusive_group()
    votes.add_argument("--ratings-database", help="ratings store (default: development store)")
    votes.add_argument("--ratings-config", help="the ratings service's TOML settings")
    votes.add_argument("--no-votes", action="store_true", help="do not import votes")
    parser.add_argument(
        "--no-comments", action="store_true", help="do not import comments into the store"
    )
    args = parser.parse_args(argv)
    try:
        return run(args, out)
    except (Refused, ExportProblem, WriteProblem) as problem:
        print(f"WordPress import: {problem}", file=sys.stderr)
        print("Nothing was changed.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
