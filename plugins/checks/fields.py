"""Metadata field names: a misspelt or unknown ``Key:`` is reported, with the closest known key.

Pelican keeps every ``Key: value`` line of the header and each part of the site reads the fields
it knows; a typo (``Catgory:``, ``Tgas:``, ``Sumary:``) is silently nobody's field, and the
article is published without its category, tags or summary. The known fields are Pelican's that
our theme uses plus every feature's (the pipeline hands them over as ``METADATA_FIELDS_KEY``).
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from pathlib import Path, PurePosixPath

# Pelican's own fields that this site uses, as the README writes them.
PELICAN_FIELDS = frozenset(
    {
        "Title",
        "Date",
        "Modified",
        "Category",
        "Tags",
        "Slug",
        "Author",
        "Authors",
        "Summary",
        "Lang",
        "Translation",
        "Status",
        "Template",
        "Save_as",
        "Url",
        "Menulabel",
    }
)
METADATA_FIELDS_KEY = "SCHITTER_METADATA_FIELDS"
HEADER_LINE = re.compile(r"^([A-Za-z][\w-]*)\s*:(.*)$")
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")


def header_keys(text: str) -> list[tuple[int, str]]:
    """(line number, key as typed) of every field in a Markdown file's header: the lines up to
    the first blank line (indented lines continue the field above)."""
    keys = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            break
        if line[0].isspace():
            continue
        match = HEADER_LINE.match(line)
        if not match:
            break  # the text starts without a blank line: Pelican's reader stops here too
        keys.append((number, match.group(1)))
    return keys


def unknown_fields(text: str, known: frozenset[str]) -> list[tuple[str, str | None]]:
    """(key as typed, the known key it is closest to, or None) for every unknown key."""
    by_lower = {name.lower(): name for name in known}
    found = []
    for _, key in header_keys(text):
        lower = key.lower()
        if lower in by_lower or lower.replace("_", "-") in by_lower:
            continue
        close = difflib.get_close_matches(lower, list(by_lower), n=1, cutoff=0.7)
        found.append((key, by_lower[close[0]] if close else None))
    return found


def field_problem(key: str, closest: str | None, kind: str, known: frozenset[str]):
    """(message, fix) for an unknown field."""
    if closest:
        return (
            f"is not a field (a typo for `{closest}`?); the {kind} is published without it",
            f"write `{closest}:` instead of `{key}:`",
        )
    return (
        f"is not a field any part of the site reads; the {kind} is published without it",
        "remove the line, or use one of: " + ", ".join(sorted(known)),
    )


def stray_markdown(content: Path, settings: dict) -> list[Path]:
    """Markdown files Pelican reads as neither article nor page: directly in the content folder
    or in a folder that is not in ``ARTICLE_PATHS``/``PAGE_PATHS`` (``content/artikelen/``)."""
    folders = [
        PurePosixPath(str(p).strip("/"))
        for p in [*(settings.get("ARTICLE_PATHS") or []), *(settings.get("PAGE_PATHS") or [])]
    ]
    if any(str(folder) in ("", ".") for folder in folders):
        return []  # the whole content folder is read
    ignored = settings.get("IGNORE_FILES") or []
    found = []
    for path in sorted(content.rglob("*")):
        relative = PurePosixPath(path.relative_to(content).as_posix())
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix.lower() not in MARKDOWN_EXTENSIONS:
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in ignored):
            continue
        if not any(relative.is_relative_to(folder) for folder in folders):
            found.append(path)
    return found
