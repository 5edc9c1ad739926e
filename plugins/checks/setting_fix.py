"""A wrong core setting and the value the build uses instead (see settings.py)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

KEEP = object()  # a problem that needs no replacement value


@dataclass(frozen=True)
class SettingFix:
    """A wrong core setting: what is wrong, the fix, and the value the build uses instead."""

    setting: str
    message: str  # what is wrong, with the value, and what the build does instead
    fix: str
    replacement: object = KEEP  # the value the build uses instead (KEEP: unchanged)


def instead(default: object) -> str:
    return f"the default {default!r} is used"


def is_absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
