"""Dates an author may mean two ways are refused, never guessed.

Pelican reads ``Date: 03-04-2026`` with dateutil, month first: 4 March 2026, while a Dutch
author means 3 April. Any date written with the day or the month before the year (``3-4-2026``,
``03/04/2026``, ``03.04.26``) is refused with the two readings and the way to write it; dates
with the year first (``2026-04-03``, ``2026-04-03 09:30``) and dates with a month name
(``April 3, 2026``) are read as before.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAY_OR_MONTH_FIRST = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?!\d)(.*)$")


class AmbiguousDate(ValueError):
    """A date field the author must write with the year first (field, message, fix)."""

    def __init__(self, field: str, message: str, fix: str):
        super().__init__(message)
        self.field, self.message, self.fix = field, message, fix


def _reading(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_date(field: str, value: str) -> None:
    """Raise :class:`AmbiguousDate` when ``value`` puts the day or the month before the year."""
    match = DAY_OR_MONTH_FIRST.match(value)
    if not match:
        return
    first, second, year, rest = match.groups()
    year_number = int(year) if len(year) == 4 else 2000 + int(year)
    time = rest.strip()
    readings = []
    for day, month in ((int(first), int(second)), (int(second), int(first))):
        found = _reading(year_number, month, day)
        if found and found not in readings:
            readings.append(found)
    examples = " or ".join(
        f"{d.isoformat()}{' ' + time if time else ''} ({d.day} {MONTHS[d.month - 1]})"
        for d in readings
    )
    raise AmbiguousDate(
        field.capitalize(),
        f"{value.strip()!r} puts the day or the month before the year, which can be misread "
        "(03-04-2026 is 3 April to a Dutch reader, 4 March to Pelican)",
        f"write the year first, YYYY-MM-DD: {examples}"
        if examples
        else "write the year first, YYYY-MM-DD, e.g. 2026-04-03 09:30",
    )
