"""A course with a personal schedule: the ``drip`` setting of a show in ``PODCAST_SHOWS``.

``"drip": 7`` (or ``{"interval_days": 7, "public_feed": "keep"}``) makes the show a course
that each reader follows from the day they sign up: lesson 1 opens on day 0, lesson n on day
(n − 1) × interval, in the reader's personal feed that the reader service serves
(``reader_service/course*.py``). ``public_feed`` says what happens to the public feed and
page: ``"keep"`` (as they are) or ``"block"`` (itunes:block and podcast:block, out of the
directories; the page stays, with the sign-up form).
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLIC_FEED = ("keep", "block")
MAX_INTERVAL_DAYS = 365


@dataclass(frozen=True)
class Drip:
    interval_days: int = 7
    public_feed: str = "keep"

    def opens_after(self, position: int) -> int:
        """Seconds after sign-up at which lesson ``position`` (1-based) opens."""
        return (position - 1) * self.interval_days * 86400


def read_drip(name: str, value: object) -> tuple[Drip | None, list[tuple[str, str, str]]]:
    """The ``drip`` setting of a show (``name``: its setting, for the report); ``None`` when
    it is absent or wrong, with (setting, problem, fix) for what is wrong."""
    setting = f'{name}["drip"]'
    fix = 'write "drip": 7 or "drip": {"interval_days": 7, "public_feed": "keep"}'
    if value is None or value is False:
        return None, []
    if isinstance(value, bool):
        return None, [(setting, "is True, but says no interval", fix)]
    values = {"interval_days": value} if isinstance(value, int) else value
    if not isinstance(values, dict):
        return None, [(setting, f"is {type(value).__name__}, not a number of days", fix)]
    unknown = sorted(set(values) - {"interval_days", "public_feed"})
    if unknown:
        return None, [(setting, f"has unknown key(s) {', '.join(map(repr, unknown))}", fix)]
    days = values.get("interval_days", 7)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_INTERVAL_DAYS:
        problem = f"interval_days is {days!r}; it must be a whole number of days, 1–365"
        return None, [(setting, problem, fix)]
    public = values.get("public_feed", "keep")
    if public not in PUBLIC_FEED:
        return None, [(setting, f"public_feed is {public!r}", 'use "keep" or "block"')]
    return Drip(days, public), []
