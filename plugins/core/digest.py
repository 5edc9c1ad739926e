"""Texts for digests: the same text in every run for the same value.

A feature that puts data from outside the content folder into pages (scores from the reader
service, comments) tells the build with :meth:`~.build.Build.depends_on`; the output feature
renders the pages again when any of it changed (plugins/output/reuse.py).
"""

from __future__ import annotations

import dataclasses
import datetime
import re

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def stable(value, depth: int = 0) -> str:
    """A text for ``value`` that is the same in every run for the same value (no memory
    addresses, sets sorted), so that it can go into a digest."""
    if depth > 12:
        return "…"
    if isinstance(value, str | int | float | bool | type(None) | datetime.date):
        return repr(value)
    if isinstance(value, dict):
        inner = sorted(f"{stable(k, depth + 1)}:{stable(v, depth + 1)}" for k, v in value.items())
        return "{" + ",".join(inner) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(stable(v, depth + 1) for v in value) + "]"
    if isinstance(value, set | frozenset):
        return "{" + ",".join(sorted(stable(v, depth + 1) for v in value)) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return type(value).__qualname__ + stable(fields, depth + 1)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return _ADDRESS.sub("", repr(value))
