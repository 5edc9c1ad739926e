"""ratings: readers rate every article, lesson and episode with 1–5 stars.

At build time this feature
- writes the manifest of rateable items (stable id, title, URL, from the site model) to
  ``ratings/manifest.json``: the reader service accepts votes only for these ids;
- bakes each item's average, count and spread from a snapshot of the service's data
  (``RATINGS_SNAPSHOT_URL``, else the service's store ``RATINGS_STORE``) into
  ``item.extras["rating"]`` (a :class:`RatingWidget`), with the item's schema.org JSON-LD.

The widget is the theme partial ``partials/rating.html``; the live score and voting with
JavaScript are a section of theme/static/js/site.js. Settings: :class:`RatingsSettings`, README.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..core.build import build_of
from ..core.settings import read
from ..core.urls import site_link
from .answer import answer_texts, vote_answer
from .scores import (
    Rating,
    SnapshotUnavailable,
    fetch_snapshot,
    json_ld,
    manifest,
    read_store_snapshot,
    structured_data,
)

log = logging.getLogger(__name__)
RATED_KINDS = ("article", "lesson", "episode")


@dataclass(frozen=True)
class RatingsSettings:
    enabled: bool = True
    # Where the widget sends votes (the service's base URL); "" shows scores without a form.
    service_url: str = ""
    # Production: the service's GET /scores URL, fetched at build time.
    snapshot_url: str = ""
    # Development (when no snapshot URL): the service's store, read directly.
    store: str = ""
    snapshot_timeout: float = 10.0
    # A strict (publish) build fails without a snapshot unless this is True.
    allow_missing_snapshot: bool = False
    manifest_save_as: str = "ratings/manifest.json"
    # schema.org type per kind of item.
    schema_types: dict = field(
        default_factory=lambda: {
            "article": "BlogPosting",
            "lesson": "Course",
            "episode": "PodcastEpisode",
        }
    )
    # Types that may carry aggregateRating (Google's review-snippet policy: not BlogPosting).
    aggregate_types: tuple[str, ...] = ("Course", "PodcastEpisode")


@dataclass(frozen=True)
class RatingWidget:
    """What partials/rating.html shows for one item."""

    rating: Rating
    service: str  # the service's base URL; "" = no vote form
    schema_type: str
    json_ld: Markup


def _snapshot(config: RatingsSettings) -> dict[str, Rating]:
    if config.snapshot_url:
        return fetch_snapshot(config.snapshot_url, config.snapshot_timeout)
    if config.store:
        return read_store_snapshot(config.store)
    raise SnapshotUnavailable("neither RATINGS_SNAPSHOT_URL nor RATINGS_STORE is set")


def _config(build) -> RatingsSettings:
    if "ratings" not in build.features:
        config, problems = read(RatingsSettings, build.settings, "RATINGS_", build.settings_file)
        build.report.extend(problems)
        build.features["ratings"] = config
    return build.features["ratings"]


def bake(generators) -> None:
    """Scores and structured data for every rateable item."""
    build = build_of(generators[0])
    config = _config(build)
    if not config.enabled:
        return
    try:
        snapshot, baked = _snapshot(config), True
    except SnapshotUnavailable as problem:
        snapshot, baked = {}, False
        if build.report.strict and not config.allow_missing_snapshot:
            build.setting_problem(
                "RATINGS_SNAPSHOT_URL",
                f"the ratings snapshot could not be read ({problem})",
                "make the reader service reachable at that URL, or set "
                "RATINGS_ALLOW_MISSING_SNAPSHOT = True (or export "
                "SCHITTER_RATINGS_ALLOW_MISSING=1) to publish without scores; to look at the "
                "site on this machine, `invoke preview` needs no snapshot",
            )
        else:
            log.warning("ratings: pages show no score: %s", problem)
    settings = build.settings
    for item in build.site.of_kind(*RATED_KINDS):
        if not item.id or item.extras.get("unlisted"):
            continue
        rating = snapshot.get(item.id, Rating(id=item.id, baked=baked))
        schema_type = config.schema_types.get(item.kind, "BlogPosting")
        content = item.content
        data = structured_data(
            schema_type,
            title=item.title,
            url=item.url,
            description=item.summary,
            published=item.date.isoformat(),
            author=str(getattr(content, "author", "") or settings.get("AUTHOR", "")),
            site_name=settings.get("SITENAME", ""),
            rating=rating,
            rated_types=frozenset(config.aggregate_types),
        )
        item.structured_data.update(data)  # the article template writes the item's node once
        item.extras["rating"] = RatingWidget(
            rating=rating,
            service=config.service_url.rstrip("/"),
            schema_type=schema_type,
            json_ld=json_ld(data),
        )
    build.depends_on("ratings", (snapshot, baked))


def write_manifest(generator, writer) -> None:
    build = build_of(generator)
    config = _config(build)
    if not config.enabled or not build.has_site:
        return
    # The service sends a reader who voted without JavaScript back to "url" (303).
    items = [
        {"id": item.id, "title": item.title, "url": site_link(build.settings, item.path)}
        for item in build.site.items
        if "rating" in item.extras
    ]
    target = Path(generator.output_path) / config.manifest_save_as
    target.parent.mkdir(parents=True, exist_ok=True)
    answer = _vote_answer(generator) if config.service_url else None
    target.write_text(manifest(items, answer), encoding="utf-8")


def _vote_answer(generator) -> dict:
    """The page the service answers a vote without JavaScript with (answer.py)."""
    env = generator.env
    page = generator.get_template("vote_answer").render(
        {**generator.context, "page_name": "ratings/vote-answer"}
    )
    # The theme's translations, as the i18n feature installed them in this environment.
    texts = answer_texts(env.schitter_catalog, env.globals["LANG"])
    return vote_answer(page, texts)
