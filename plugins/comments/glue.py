"""comments: readers' comments baked into every article, lesson and episode page.

At build time this feature
- reads the approved comments from a snapshot of the reader service (``COMMENTS_SNAPSHOT_URL``,
  the service's ``GET /comments``; in development its store through the service's public
  function, ``COMMENTS_STORE`` + ``COMMENTS_SECRET_FILE``) and gives every item with comments
  switched on ``item.extras["comments"]`` (a :class:`CommentsSection`): threads, count, the
  question for readers without JavaScript, whether the item is still open, and the JSON-LD;
- writes the comments manifest (``comments/manifest.json``: id, title, URL, the moment comments
  close) that the service accepts comments for.

An item has no comments with ``Comments: off``; ``COMMENTS_CLOSE_AFTER_DAYS`` closes them (the
thread stays, the form goes). The section is the theme partial ``partials/comments.html``;
posting by fetch and the live comments are a section of theme/static/js/site.js.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ..core.build import build_of
from ..core.settings import read
from ..core.urls import site_link
from .threads import (
    NUMBER_WORDS,
    Comment,
    Question,
    Snapshot,
    SnapshotUnavailable,
    count,
    fetch_snapshot,
    manifest,
    question_text,
    read_store_snapshot,
    structured_data,
    threads,
)

log = logging.getLogger(__name__)
OFF = ("off", "no", "false", "uit", "nee")


@dataclass(frozen=True)
class CommentsSettings:
    enabled: bool = True
    # Where the form posts (the service's base URL); "" shows the comments without a form.
    service_url: str = ""
    # Production: the service's GET /comments URL, fetched at build time.
    snapshot_url: str = ""
    # Development (without a snapshot URL): the service's store and secret, read directly.
    store: str = ""
    secret_file: str = ""
    snapshot_timeout: float = 10.0
    # A strict (publish) build fails without a snapshot unless this is True.
    allow_missing_snapshot: bool = False
    # Close comments on items older than this many days (0: never).
    close_after_days: int = 0
    manifest_save_as: str = "comments/manifest.json"
    kinds: tuple[str, ...] = ("article", "lesson", "episode")


@dataclass(frozen=True)
class CommentsSection:
    """What partials/comments.html shows for one item."""

    item: str  # the stable id the service keeps the comments under
    threads: list[Comment]
    count: int
    service: str  # "" = no form
    open: bool
    question: str  # "zeven − … = 5" ("" when the snapshot gave none: no form)
    period: int
    since: int  # the snapshot's time: the page's script fetches what was approved after it
    closes: datetime | None = None


def _config(build) -> CommentsSettings:
    if "comments" not in build.features:
        config, problems = read(CommentsSettings, build.settings, "COMMENTS_", build.settings_file)
        build.report.extend(problems)
        build.features["comments"] = {"config": config}
    return build.features["comments"]["config"]


def _snapshot(config: CommentsSettings) -> Snapshot:
    if config.snapshot_url:
        return fetch_snapshot(config.snapshot_url, config.snapshot_timeout)
    if config.store:
        return read_store_snapshot(config.store, config.secret_file)
    raise SnapshotUnavailable("neither COMMENTS_SNAPSHOT_URL nor COMMENTS_STORE is set")


def _switched_off(item) -> bool:
    metadata = getattr(item.content, "metadata", {}) or {}
    return str(metadata.get("comments", "")).strip().lower() in OFF


def _closes(item, config: CommentsSettings) -> datetime | None:
    if not config.close_after_days or item.date is None:
        return None
    return item.date + timedelta(days=config.close_after_days)


def bake(generators) -> None:
    """The comments of every item that takes them."""
    build = build_of(generators[0])
    config = _config(build)
    if not config.enabled:
        return
    try:
        snapshot = _snapshot(config)
    except SnapshotUnavailable as problem:
        snapshot = Snapshot(0, None, {})
        if build.report.strict and not config.allow_missing_snapshot:
            build.setting_problem(
                "COMMENTS_SNAPSHOT_URL",
                f"the comments snapshot could not be read ({problem})",
                "make the reader service reachable at that URL, or set "
                "COMMENTS_ALLOW_MISSING_SNAPSHOT = True (or export "
                "SCHITTER_COMMENTS_ALLOW_MISSING=1) to publish without comments",
            )
        else:
            log.warning("comments: pages show no comments: %s", problem)
    zone = ZoneInfo(str(build.settings.get("TIMEZONE") or "UTC"))
    words = [build.gettext(word) for word in NUMBER_WORDS]
    now = datetime.now(UTC)
    question = snapshot.question or Question(0, 0, "+", 0)
    for item in build.site.of_kind(*config.kinds):
        if not item.id or item.extras.get("unlisted") or _switched_off(item):
            continue
        thread_list = threads(snapshot.items.get(item.id, []), zone)
        closes = _closes(item, config)
        item.extras["comments"] = CommentsSection(
            item=item.id,
            threads=thread_list,
            count=count(thread_list),
            service=config.service_url.rstrip("/") if snapshot.question else "",
            open=closes is None or now < closes,
            question=question_text(question, words) if snapshot.question else "",
            period=question.period,
            since=snapshot.generated_at,
            closes=closes,
        )
        item.structured_data.update(structured_data(item.url, thread_list, item.structured_data))
    # What the pages show of the snapshot, and which forms are still open (that depends on now).
    build.depends_on(
        "comments",
        [item.extras.get("comments") for item in build.site.of_kind(*config.kinds)],
    )


def write_manifest(generator, writer) -> None:
    build = build_of(generator)
    config = _config(build)
    if not config.enabled or not build.has_site:
        return
    items = []
    for item in build.site.items:
        section = item.extras.get("comments")
        if section is None:
            continue
        closes = section.closes
        items.append(
            {
                "id": item.id,
                "title": item.title,
                # The service sends a reader who posted without JavaScript back here (303).
                "url": site_link(build.settings, item.path),
                "closes_at": int(closes.timestamp()) if closes else None,
            }
        )
    target = Path(generator.output_path) / config.manifest_save_as
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(manifest(items), encoding="utf-8")
