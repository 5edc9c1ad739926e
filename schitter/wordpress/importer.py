"""The whole import as one plan: export + uploads copy + settings → files, comments, votes, report.

Pure apart from reading the uploads folder's file list: nothing is written here (writer.py
does that, all at once), so a dry run and a real run compute exactly the same plan.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import comments, convert, entries, redirects, votes
from .entries import Entry, ImportSettings
from .media import MediaPlan, list_uploads, original_upload, uploads_path
from .report import Report
from .shortcodes import GalleryImage
from .wxr import Export, Item

REDIRECTS_FILE = "redirects.json"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class Plan:
    files: dict[str, bytes | Path] = field(default_factory=dict)  # relative to content/
    comments: dict = field(default_factory=dict)
    votes: dict[str, tuple[int, int]] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


def metadata_line(name: str, value: str) -> str:
    """``Name: value`` on one line: a title cannot smuggle in a second metadata line."""
    return f"{name}: {' '.join(_CONTROL.sub(' ', value).split())}"


def markdown_file(fields: list[tuple[str, str]], body: str) -> bytes:
    header = [metadata_line(name, value) for name, value in fields if value and value.strip()]
    return ("\n".join(header) + "\n\n" + body).encode("utf-8")


class _Site:
    """Look-ups over the export that every post needs (attachments, links, reusable blocks)."""

    def __init__(self, export: Export, selection: entries.Selection, media: MediaPlan):
        self.export, self.media = export, media
        self.root = export.base_blog_url or export.link or export.base_site_url
        self.attachments = {i.post_id: i for i in export.items if i.post_type == "attachment"}
        self.reusable = {i.post_id: i.content for i in export.items if i.post_type == "wp_block"}
        addresses, _ = redirects.redirect_map(
            export, selection.entries, {}, redirects.RedirectSettings()
        )
        by_file = {e.file: e for e in selection.entries}
        self.links = {
            a: by_file[t[10:]] for a, t in addresses.items() if t.startswith("{filename}")
        }
        for entry in selection.entries:  # drafts too: a link to one is unwrapped, not broken
            query = "page_id" if entry.kind == "page" else "p"
            self.links.setdefault(f"/?{query}={entry.item.post_id}", entry)

    def gallery(self, entry: Entry):
        def images(ids: list[int] | None) -> list[GalleryImage]:
            if ids is None:
                found = [a for a in self.attachments.values() if a.parent == entry.item.post_id]
            else:
                found = [self.attachments[i] for i in ids if i in self.attachments]
            return [self.image(a) for a in found if a.attachment_url]

        return images

    def image(self, attachment: Item) -> GalleryImage:
        alt = attachment.first_meta("_wp_attachment_image_alt")
        caption = entries.plain_text(attachment.excerpt)
        return GalleryImage(attachment.attachment_url, entries.plain_text(alt), caption)

    def resolver(self, entry: Entry, report: Report):
        def resolve(url: str, role: str) -> str | None:
            if uploads_path(url):
                found = self.media.resolve(url, entry.file)
                return "{static}/" + found if found else None
            address = redirects.old_address(url, self.root)
            fragment = "#" + url.split("#", 1)[1] if "#" in url else ""
            if address is not None and role == "a":
                target = self.links.get(address.split("#", 1)[0])
                if target is not None and target.published:
                    return "{filename}/" + target.file + fragment
                if target is not None:
                    report.add(
                        entry.file,
                        f"link to {target.file}, which is not published "
                        "(draft or scheduled): the link text was kept without the link",
                    )
                    return None
            if role == "img" and (address is not None or not url.startswith(("http", "//"))):
                report.add(
                    entry.file,
                    f"image {url} is not in wp-content/uploads (a theme or "
                    "plugin file of the old site); removed — save it in content/images/ "
                    "and add it again with {static}",
                )
                return None
            if role == "img" and url.startswith(("http://", "https://", "//")):
                report.add(
                    entry.file,
                    f"image {url} is on another host: Schitter pages load "
                    "nothing from other hosts, so it became a link — save the image in "
                    "content/images/ and link it with {static}",
                )
                return convert.AS_LINK
            return url

        return resolve


def plan_import(
    export: Export,
    uploads_folder: Path | None,
    settings: ImportSettings,
    redirect_settings: redirects.RedirectSettings,
    source_name: str,
) -> Plan:
    plan = Plan()
    report = plan.report
    media = MediaPlan(uploads_folder, list_uploads(uploads_folder))

    def enclosure_is_local(url: str) -> bool:
        path = uploads_path(url)
        return bool(path and original_upload(path, media.uploads))

    selection = entries.select(export, settings, enclosure_is_local)
    site = _Site(export, selection, media)
    for item, why in selection.skipped:
        report.count("skipped")
        report.add(
            f"WordPress {item.post_type} {item.post_id} ({entries.plain_text(item.title)!r})",
            f"skipped: {why}",
        )
    records_by_item: dict[str, list] = {}
    for entry in selection.entries:
        plan.files[entry.file] = _render(entry, site, settings, report)
        report.count({"article": "articles", "page": "pages", "episode": "episodes"}[entry.kind])
        if entry.status == "draft" or (entry.kind == "page" and entry.status == "scheduled"):
            report.count("drafts")
        elif entry.status == "scheduled":
            report.count("scheduled")
        for note in entry.notes:
            report.add(entry.file, note)
        records, counts = comments.comment_records(entry.item.comments, entry.stable_id)
        if records:
            records_by_item.setdefault(entry.stable_id, []).extend(records)
        report.count("comments_approved", counts.get("approved", 0))
        report.count("comments_pending", counts.get("pending", 0))
        report.count("comments_dropped", counts.get("spam", 0) + counts.get("trash", 0))
    plan.comments = comments.comments_file(records_by_item, source_name)
    plan.votes, vote_problems = votes.postratings_totals(selection.entries)
    for line in vote_problems:
        report.lines.append(line)
    report.count("votes", sum(count for count, _ in plan.votes.values()))
    uploads_to_content = {upload: path for path, upload in media.copies.items()}
    attachment_files = {}
    for attachment in site.attachments.values():
        upload = uploads_path(attachment.attachment_url)
        original = upload and original_upload(upload, media.uploads)
        if original in uploads_to_content:
            attachment_files[attachment.post_id] = uploads_to_content[original]
    redirect_map, conflicts = redirects.redirect_map(
        export, selection.entries, attachment_files, redirect_settings
    )
    for line in conflicts:
        report.add(REDIRECTS_FILE, line)
    document = {"version": 1, "generator": "schitter.wordpress", "redirects": redirect_map}
    plan.files[REDIRECTS_FILE] = (
        json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    ).encode()
    report.count("redirects", len(redirect_map))
    for path in sorted(media.copies):
        plan.files[path] = media.source(path)
    report.count("media", len(media.copies))
    for upload, used_in in sorted(media.missing.items()):
        report.count("media_missing")
        report.add(
            ", ".join(sorted(used_in)),
            f"wp-content/uploads/{upload} is not in the uploads "
            "copy; removed from the text — copy the uploads folder (or this file) and "
            "import again" + ("" if uploads_folder else " with --uploads"),
        )
    return plan


def _render(entry: Entry, site: _Site, settings: ImportSettings, report: Report) -> bytes:
    item = entry.item
    html, notes = convert.post_html(item.content, site.gallery(entry), site.reusable)
    for note in notes:
        report.add(entry.file, f"[{note.shortcode}] {note.message}")
    resolve = site.resolver(entry, report)
    body, removed = convert.to_markdown(html, resolve)
    for line in removed:
        report.add(entry.file, line)
    if item.excerpt.strip():  # as text and links: an image in a summary has nowhere to go

        def resolve_summary(url: str, role: str) -> str | None:
            new = resolve(url, role) if role == "a" else None
            return None if new is None or new.startswith("{static}") else new

        summary, _ = convert.to_markdown(item.excerpt, resolve_summary)
    else:
        summary = convert.automatic_excerpt(html)
    image = image_alt = ""
    thumbnail = item.first_meta("_thumbnail_id").strip()
    if thumbnail.isdigit() and int(thumbnail) in site.attachments:
        attachment = site.attachments[int(thumbnail)]
        found = site.media.resolve(attachment.attachment_url, entry.file)
        if found:
            image, image_alt = found, site.image(attachment).alt
    audio = ""
    if entry.kind == "episode":
        audio = site.media.resolve(entry.enclosure, entry.file) or ""
    elif entry.enclosure:
        name = entry.enclosure.rsplit("/", 1)[-1] or entry.enclosure
        body += f"\n[{convert.markdown_text(name)}]({entry.enclosure})\n"
    status = entry.status
    if entry.kind == "page" and status == "scheduled":
        status = "draft"
        report.add(
            entry.file,
            "a scheduled page: pages have no publication date in Schitter; "
            "imported as a draft — remove `Status: draft` when it may appear",
        )
    fields = [
        ("Title", entry.title),
        ("Date", entries.format_date(entry.date) if entry.date else ""),
        ("Modified", entries.format_date(entry.modified) if entry.modified else ""),
        ("Author", entry.author if entry.kind != "page" else ""),
        ("Category", entry.category),
        ("Tags", ", ".join(entry.tags)),
        ("Slug", entry.slug),
        ("Summary", " ".join(summary.split())),
        ("Image", image),
        ("ImageAlt", image_alt if image else ""),
        ("Status", "draft" if status == "draft" else ""),
        ("Podcast", (settings.podcast_show or "") if entry.kind == "episode" else ""),
        ("Audio", audio),
        ("Guid", entry.guid if entry.kind != "page" else ""),
        ("Rating-Id", entry.stable_id if entry.kind != "page" else ""),
    ]
    return markdown_file(fields, body)
