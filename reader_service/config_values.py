"""How one setting of the reader service is checked, and a database URL made safe to print:
the allowed range of every number (SPEC, the one place ranges are written down), the checks of
numbers, switches and lists, and the error every wrong value becomes — one line naming the
setting, its environment variable and what is allowed.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PREFIX, OLD_PREFIX = "READER_SERVICE_", "RATINGS_"
MIN_SECRET = 16


class ConfigError(ValueError):
    """A setting is wrong; the message names the setting, the allowed values and the fix."""


# name: (type, lowest, highest, unit) for every number; the one place ranges are written down.
SPEC: dict[str, tuple[type, float, float, str]] = {
    "manifest_refresh": (float, 1, 86400, "seconds"),
    "manifest_max_age": (float, 2, 30 * 86400, "seconds"),
    "retention_days": (int, 1, 3650, "days"),
    "rate_limit": (int, 1, 10_000_000, "votes"),
    "rate_window": (float, 1, 86400, "seconds"),
    "read_rate_limit": (int, 1, 10_000_000, "reads"),
    "read_rate_window": (float, 1, 86400, "seconds"),
    "votes_per_address": (int, 1, 100_000, "votes"),
    "max_networks": (int, 100, 10_000_000, "networks"),
    "max_body": (int, 256, 1_048_576, "bytes"),
    "header_timeout": (float, 0.1, 3600, "seconds"),
    "body_timeout": (float, 0.1, 3600, "seconds"),
    "max_connections": (int, 0, 1_000_000, "connections (0: no limit)"),
    "database_pool": (int, 1, 200, "connections"),
    "port": (int, 0, 65535, "(0 picks a free port)"),
    "comment_min_seconds": (float, 0, 3600, "seconds"),
    "comment_rate_limit": (int, 1, 10_000_000, "comments"),
    "comment_rate_window": (float, 1, 86400, "seconds"),
    "comment_max_body": (int, 1024, 1_048_576, "bytes"),
    "course_revoke_grace_days": (int, 0, 365, "days"),
    "course_announce_every": (float, 1, 86400, "seconds"),
    "smtp_port": (int, 1, 65535, ""),
}


def named(name: str) -> str:
    return f"reader service setting {name} ({PREFIX}{name.upper()})"


def checked_number(name: str, value, kind: type, low: float, high: float, unit: str):
    allowed = f"use a {'whole ' if kind is int else ''}number from {low:g} to {high:g} {unit}"
    if isinstance(value, bool):
        number = math.nan
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
    if kind is int and number == number and number != int(number):
        number = math.nan
    if not low <= number <= high:  # also NaN
        raise ConfigError(f"{named(name)} = {value!r} is not allowed; {allowed}.")
    return kind(number)


def checked_boolean(name: str, value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{named(name)} = {value!r} is not allowed; use true or false.")


def checked_text_list(name: str, value) -> list[str]:
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    if isinstance(value, list | tuple) and all(isinstance(part, str) for part in value):
        return list(value)
    raise ConfigError(
        f"{named(name)} = {value!r} is not allowed; use a list of text, e.g. "
        f"['https://communitykompas.nl'] (in the environment: separated by spaces)."
    )


def redact(database: str) -> str:
    """A database setting safe to print: the password (also one in the query) becomes ***."""
    if not database.startswith(("postgresql://", "postgres://")):
        return database
    try:
        parts = urlsplit(database)
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.partition(':')[0]}:***@{host}"
        query = [
            (key, "***" if "password" in key.lower() else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="*"), ""))
    except ValueError:
        return "(a database URL that cannot be parsed)"
