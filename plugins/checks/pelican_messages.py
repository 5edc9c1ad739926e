"""Pelican's own messages about content files, turned into report lines.

Pelican logs some problems in its own words ("Could not process …", "Skipping …") and goes on
without the file. :class:`PelicanMessages` is a filter on the loggers that write them: the author
reads each problem once, in our words (file, field, what is wrong, fix) in the build's report,
instead of next to Pelican's line (logged as an error even in a development build). Other
records pass unchanged. One filter per build, replaced by the next build's (autoreload).
"""

from __future__ import annotations

import logging
import os
import re
import sys

from pelican.utils import get_date

from .content import slug_fix
from .dates import AmbiguousDate

METADATA_LINE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")
# The loggers of the Pelican modules whose messages the filter translates.
PELICAN_SOURCES = ("pelican.generators", "pelican.contents", "pelican.cache", "pelican.urlwrappers")


def _metadata_lines(path: str) -> dict[str, str]:
    """The raw ``Key: value`` header of a Markdown file (until the first blank line)."""
    header: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as fp:
            for line in fp:
                match = METADATA_LINE.match(line.rstrip("\n"))
                if not match:
                    break
                header[match.group(1).lower()] = match.group(2).strip()
    except (OSError, UnicodeDecodeError):
        pass
    return header


def explain_unreadable(path: str, error: BaseException | None) -> tuple[str, str, str]:
    """(field, what is wrong, fix) for a file Pelican could not read."""
    if isinstance(error, AmbiguousDate):
        return (error.field, error.message, error.fix)
    if isinstance(error, UnicodeDecodeError):
        return (
            "file",
            "is not UTF-8 text (a binary file or another encoding?)",
            "save it as UTF-8 Markdown, or move it out of content/ if it is not an article",
        )
    header = _metadata_lines(path)

    for key in ("date", "modified"):
        if key not in header:
            continue
        try:
            get_date(header[key])
        except Exception as date_error:  # dateutil raises several types
            return (
                key.capitalize(),
                f"{header[key]!r} is not a date Pelican can read ({date_error})",
                "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2026-11-21 09:30; leave "
                "out the time zone (TIMEZONE applies) or use an offset such as +01:00",
            )
    return ("file", f"could not be read: {error}", "check the metadata lines at the top")


class PelicanMessages(logging.Filter):
    """Turns Pelican's own messages about content files into build-report problems.

    A filter on the loggers that write them, so that the author reads each problem once, in our
    words, instead of next to Pelican's "Could not process …" (logged as an error even in a
    development build that goes on without the file). Other records pass unchanged.
    """

    def __init__(self, build):
        super().__init__()
        self.build = build
        self.settings = build.settings

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        args = record.args if isinstance(record.args, tuple) else ()
        if message.startswith("Could not process") and args:
            path = os.path.join(self.settings["PATH"], str(args[0]))
            # Pelican logs this inside its `except` block, so the exception is still current.
            field, problem, fix = explain_unreadable(path, sys.exc_info()[1])
            self.build.problem(path, field, problem + "; left out", fix)
        elif message.startswith("Skipping %s: could not find information about") and args:
            source, prop = (str(a) for a in args)
            self.build.problem(
                source,
                prop.capitalize(),
                "is missing, so the file was left out",
                f"add a line `{prop.capitalize()}: …` to the metadata at the top of the file",
            )
        elif message.startswith("Skipping %s: file %r would be written outside") and args:
            source, save_as = (str(a) for a in args)
            header = _metadata_lines(source)
            if "slug" in header and "save_as" not in header:  # the address came from Slug:
                self.build.problem(
                    source,
                    "Slug",
                    f"{header['slug']!r} cannot be part of an address (it leads out of the "
                    "site's folder); left out",
                    slug_fix(header["slug"], self.settings),
                )
            else:
                self.build.problem(
                    source,
                    "Save_as",
                    f"{save_as!r} would be written outside the site's folder; left out",
                    "remove the `Save_as:` line, or give a path inside the site such as "
                    "`mijn-pagina/index.html`",
                )
        elif message.startswith("Unable to generate valid slug for"):
            return False  # reported by keep_named_taxonomies, naming the file and the field
        elif message.startswith("Unknown status '%s' for file %s") and len(args) >= 2:
            status, source = (str(a) for a in args[:2])
            self.build.problem(
                source,
                "Status",
                f"{status!r} is not a status; the file was left out",
                "write `Status: published`, `draft` or `hidden`, or remove the line",
            )
        elif message.startswith("Unable to find '%s', skipping url replacement"):
            return False  # reported by links.broken_links, naming the file and the link
        elif message.startswith("Cannot get modification stamp for") and len(args) >= 2:
            # The cache stamping a linked file that does not exist: the broken link is
            # already reported above, in the article's own words.
            return not isinstance(args[1], FileNotFoundError)
        else:
            return True
        return False


def install(build) -> None:
    """Put this build's filter first on Pelican's loggers, in place of an earlier build's.

    First in line: Pelican's own filter drops repeats of a message (LOG_LIMIT_THRESHOLD), and
    every problem must reach the report."""
    for name in PELICAN_SOURCES:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, PelicanMessages)]:
            logger.removeFilter(old)
        logger.filters.insert(0, PelicanMessages(build))
