"""star_ratings: readers rate every article and episode with 1–5 stars.

At build time this plugin
- gives every article a stable rating id (`Rating-Id:` metadata, else the slug),
- writes the manifest of rateable items (id, title, URL) to output/ratings/manifest.json — the
  ratings service accepts votes only for these ids,
- bakes each item's average, count and spread from a snapshot of the service's data
  (RATINGS_SNAPSHOT_URL, else the service's own store RATINGS_STORE) into `article.rating`,
- prepares the schema.org JSON-LD of each item (`article.rating_json_ld`).

The widget itself is the theme partial `partials/rating.html`; the live score and voting with
JavaScript are a section of theme/static/js/site.js. Settings: see `RatingsSettings` and the
README ("Star ratings").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields
from pathlib import Path

from markupsafe import Markup
from pelican import signals

from .ratings import (
    RATING_ID,
    Rating,
    SnapshotUnavailable,
    fetch_snapshot,
    json_ld,
    manifest,
    rating_id,
    read_store_snapshot,
    structured_data,
)

try:
    from build_report import report, settings_file, where
except ImportError:  # imported as plugins.star_ratings (tests)
    from plugins.build_report import report, settings_file, where

log = logging.getLogger(__name__)


@dataclass
class RatingsSettings:
    RATINGS_ENABLED: bool = True
    # Where the widget sends votes (the service's base URL); "" shows scores without a form.
    RATINGS_SERVICE_URL: str = ""
    # Production: the service's GET /scores URL, fetched at build time.
    RATINGS_SNAPSHOT_URL: str = ""
    # Development (when no snapshot URL): the service's store, read directly.
    RATINGS_STORE: str = ""
    RATINGS_SNAPSHOT_TIMEOUT: float = 10.0
    # A strict (publish) build fails without a snapshot unless this is True.
    RATINGS_ALLOW_MISSING_SNAPSHOT: bool = False
    RATINGS_MANIFEST_SAVE_AS: str = "ratings/manifest.json"
    # schema.org type per category name; everything else is a BlogPosting.
    RATINGS_SCHEMA_TYPES: dict = field(
        default_factory=lambda: {"Cursus": "Course", "Podcast": "PodcastEpisode"}
    )
    # Types that may carry aggregateRating (Google's review-snippet policy: not BlogPosting).
    RATINGS_AGGREGATE_TYPES: list = field(default_factory=lambda: ["Course", "PodcastEpisode"])


def read_settings(settings: dict, context: dict | None) -> RatingsSettings:
    """All RATINGS_* settings in one place; a wrong type is reported naming the setting."""
    values = {}
    for spec in fields(RatingsSettings):
        if spec.name not in settings:
            continue
        value = settings[spec.name]
        expected = {"bool": bool, "str": str, "float": (int, float), "dict": dict, "list": list}[
            spec.type
        ]
        if value is None and spec.type == "str":
            value = ""
        if not isinstance(value, expected) or (spec.type == "float" and isinstance(value, bool)):
            report(
                context,
                settings_file(),
                spec.name,
                f"{value!r} is not a {spec.type}",
                f"set {spec.name} to a {spec.type} (see the README, 'Star ratings')",
            )
            continue
        values[spec.name] = value
    return RatingsSettings(**values)


def _load_snapshot(config: RatingsSettings) -> dict[str, Rating]:
    if config.RATINGS_SNAPSHOT_URL:
        return fetch_snapshot(config.RATINGS_SNAPSHOT_URL, config.RATINGS_SNAPSHOT_TIMEOUT)
    if config.RATINGS_STORE:
        return read_store_snapshot(config.RATINGS_STORE)
    raise SnapshotUnavailable("neither RATINGS_SNAPSHOT_URL nor RATINGS_STORE is set")


def _absolute(siteurl: str, url: str) -> str:
    return f"{siteurl}/{url}" if siteurl else f"/{url}"


def bake(generator) -> None:
    """After all articles are read: ids, scores and structured data for each article."""
    settings, context = generator.settings, generator.context
    config = read_settings(settings, context)
    context["star_ratings_items"] = []
    if not config.RATINGS_ENABLED:
        return
    try:
        snapshot = _load_snapshot(config)
        baked = True
    except SnapshotUnavailable as problem:
        snapshot, baked = {}, False
        if settings.get("SCHITTER_STRICT") and not config.RATINGS_ALLOW_MISSING_SNAPSHOT:
            report(
                context,
                settings_file(),
                "RATINGS_SNAPSHOT_URL",
                f"the ratings snapshot could not be read ({problem})",
                "make the ratings service reachable at that URL, or set "
                "RATINGS_ALLOW_MISSING_SNAPSHOT = True to publish without scores",
            )
        else:
            log.warning("star_ratings: pages show no score: %s", problem)

    siteurl = settings.get("SITEURL", "")
    # Structured data needs absolute URLs; a dev build (SITEURL "") uses the local server's.
    public_url = siteurl or settings.get("FEED_DOMAIN", "") or ""
    rated_types = frozenset(config.RATINGS_AGGREGATE_TYPES)
    seen: dict[str, str] = {}
    for article in generator.articles:
        item_id = rating_id(article.metadata, article.slug)
        if not RATING_ID.match(item_id):
            report(
                context,
                where(article.source_path),  # only when there is a problem
                "Rating-Id",
                f"{item_id!r} is not a usable rating id",
                "use lowercase letters, digits and hyphens, e.g. Rating-Id: mijn-artikel",
            )
            continue
        if item_id in seen:
            report(
                context,
                where(article.source_path),
                "Rating-Id",
                f"the rating id {item_id!r} is already used by {where(seen[item_id])}",
                "give one of them its own `Rating-Id:` (keep the one that was published first)",
            )
            continue
        seen[item_id] = article.source_path
        url = _absolute(siteurl, article.url)
        rating = snapshot.get(item_id, Rating(id=item_id, baked=baked))
        schema_type = config.RATINGS_SCHEMA_TYPES.get(str(article.category), "BlogPosting")
        article.rating = rating
        article.rating_service = config.RATINGS_SERVICE_URL.rstrip("/")
        article.rating_kind = schema_type
        article.rating_json_ld = json_ld(
            structured_data(
                schema_type,
                title=_plain(article.title),
                url=_absolute(public_url, article.url),
                description=_plain(article.summary),
                published=article.date.isoformat(),
                author=str(getattr(article, "author", "") or settings.get("AUTHOR", "")),
                site_name=settings.get("SITENAME", ""),
                rating=rating,
                rated_types=rated_types,
            )
        )
        context["star_ratings_items"].append(
            {"id": item_id, "title": _plain(article.title), "url": url}
        )


def _plain(html: str) -> str:
    """Text of an HTML snippet (tags removed, entities decoded, whitespace collapsed)."""
    return " ".join(Markup(html or "").striptags().split())


def write_manifest(generator, writer) -> None:
    items = generator.context.get("star_ratings_items")
    if items is None:
        return
    config = read_settings(generator.settings, generator.context)
    if not config.RATINGS_ENABLED:
        return
    target = Path(generator.output_path) / config.RATINGS_MANIFEST_SAVE_AS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(manifest(items), encoding="utf-8")


def register() -> None:
    signals.article_generator_finalized.connect(bake)
    signals.article_writer_finalized.connect(write_manifest)
