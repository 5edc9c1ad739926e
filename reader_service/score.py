"""An item's score as the service keeps and serves it, and the refusals a vote can meet inside
the store."""

from __future__ import annotations

from dataclasses import dataclass, field

STARS = range(1, 6)


@dataclass
class Score:
    """The aggregate of one item's votes."""

    count: int = 0  # all votes, imported totals included
    total: int = 0  # sum of all scores (so the average is exact: total / count)
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(STARS, 0))
    imported: int = 0  # votes from an import without a per-star breakdown

    @classmethod
    def from_row(cls, row) -> Score:
        count, total, *stars, imported = (int(v or 0) for v in row)
        return cls(count, total, dict(zip(STARS, stars, strict=True)), imported)

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None

    def to_json(self) -> dict:
        return {
            "count": self.count,
            "sum": self.total,
            "average": round(self.average, 4) if self.count else None,
            "distribution": {str(star): self.distribution[star] for star in STARS},
            "without_breakdown": self.imported,
        }


class AddressLimit(Exception):
    """This address already cast `votes_per_address` votes for the item (rolls the vote back)."""


class RateLimited(Exception):
    """The vote's network is over its rate limit, counted in the vote's transaction (nothing
    stored)."""
