"""Pure functions of the ratings feature: the manifest, snapshots, baked scores, JSON-LD.

Nothing here knows Pelican; the glue in __init__.py hands in plain values.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

STARS = (1, 2, 3, 4, 5)


class SnapshotUnavailable(Exception):
    """The scores could not be read (service down, store missing, bad JSON)."""


@dataclass
class Rating:
    """What the widget and the structured data of one item show (baked at build time)."""

    id: str
    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))
    without_breakdown: int = 0
    baked: bool = False  # False: no snapshot was available, so the widget shows no score

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None

    @property
    def spread(self) -> list[tuple[int, int, int]]:
        """(stars, votes, percent of the votes with a known star count), 5 stars first."""
        known = sum(self.distribution.values())
        return [
            (
                star,
                self.distribution[star],
                round(100 * self.distribution[star] / known) if known else 0,
            )
            for star in reversed(STARS)
        ]


def manifest(items: list[dict], answer: dict | None = None) -> str:
    """The manifest JSON (sorted, no timestamps: unchanged input gives identical bytes), with
    the answer to a vote without JavaScript when there is a service to vote at (answer.py)."""
    ordered = sorted(items, key=lambda item: item["id"])
    document = {"version": 1, "items": ordered, **({"answer": answer} if answer else {})}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def parse_snapshot(data: object) -> dict[str, Rating]:
    """Ratings by id from the service's GET /scores document."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise SnapshotUnavailable('the snapshot is not {"items": {...}} JSON')
    ratings = {}
    try:
        for item_id, entry in data["items"].items():
            spread = entry.get("distribution", {})
            ratings[item_id] = Rating(
                id=item_id,
                count=int(entry["count"]),
                total=int(entry["sum"]),
                distribution={star: int(spread.get(str(star), 0)) for star in STARS},
                without_breakdown=int(entry.get("without_breakdown", 0)),
                baked=True,
            )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise SnapshotUnavailable(f"the snapshot has a malformed entry: {error!r}") from None
    return ratings


def fetch_snapshot(url: str, timeout: float) -> dict[str, Rating]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return parse_snapshot(json.load(response))
    except (OSError, ValueError) as error:
        raise SnapshotUnavailable(f"{url}: {error}") from None


def read_store_snapshot(database: str) -> dict[str, Rating]:
    """Development: the reader service's scores read from its own store (SQLite or PostgreSQL),
    through the service's public `reader_service.snapshot.scores_snapshot`."""
    try:
        from reader_service.snapshot import scores_snapshot
    except ImportError:  # pelican's CLI does not put the project root on sys.path
        sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
        from reader_service.snapshot import scores_snapshot
    try:
        snapshot = scores_snapshot(database)
    except Exception as error:  # noqa: BLE001 - the store cannot be read: the snapshot is missing
        raise SnapshotUnavailable(f"{database}: {error}") from None
    return parse_snapshot(snapshot)


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json">: `</script>` and `<!--` cannot escape."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)


def structured_data(
    schema_type: str,
    *,
    title: str,
    url: str,
    description: str,
    published: str,
    author: str,
    site_name: str,
    rating: Rating | None,
    rated_types: frozenset[str],
) -> dict:
    """schema.org data of an item; aggregateRating only on types where Google allows it."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": url,  # other nodes about the item (its comments) carry the same id
        "name": title,
        "url": url,
        "description": description,
        "datePublished": published,
    }
    if schema_type == "BlogPosting":
        data["headline"] = title
        data["author"] = {"@type": "Person", "name": author}
    elif schema_type == "Course":
        data["provider"] = {"@type": "Organization", "name": site_name}
    elif schema_type == "PodcastEpisode":
        data["partOfSeries"] = {"@type": "PodcastSeries", "name": site_name}
    if schema_type in rated_types and rating is not None and rating.count > 0:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(rating.average, 2),
            "ratingCount": rating.count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return data
