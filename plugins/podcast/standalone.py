"""An MP3/M4A among the articles without a Markdown file: its metadata from its own tags.

Title (ID3 TIT2), date (TDRC), notes (the comment), number (the track) and show (album = a
show's title, or the folder's name = one of a show's categories) come from the file. A file that
cannot be an episode still gets a title and a date (so Pelican reads it quietly) and a
``podcast_problem``, which the glue reports and which leaves it out.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from pathlib import Path

from pelican.utils import get_date, slugify

from .facts import AudioFacts, AudioProblem
from .shows import Show

NO_DATE = "1970-01-01"


def standalone_episode(
    path: Path,
    content: Path,
    facts_of: Callable[[Path], AudioFacts],
    shows: dict[str, Show],
) -> tuple[str, dict]:
    """(show notes HTML, metadata) of a standalone audio file; metadata values are raw (the
    reader runs Pelican's processors over title, date and category)."""
    metadata: dict = {
        "title": path.stem.replace("-", " ").replace("_", " "),
        "audio": path.as_posix(),
        "podcast_standalone": True,
    }
    try:
        if not path.resolve().is_relative_to(content):
            raise AudioProblem(
                f"links to {path.resolve()}, outside the content folder",
                "copy the audio file into the content folder instead of linking to it",
            )
        metadata["audio"] = path.resolve().relative_to(content).as_posix()
        facts = facts_of(path)
    except (AudioProblem, OSError) as error:
        fix = getattr(error, "fix", "check the file")
        metadata["podcast_problem"] = ("Audio", f"{metadata['audio']}: {error}", fix)
        metadata["date"] = get_date(NO_DATE)
        return "", metadata
    if facts.title:
        metadata["title"] = facts.title
    if facts.date:
        with contextlib.suppress(ValueError):
            metadata["date"] = get_date(facts.date)
    if "date" not in metadata:
        metadata["podcast_problem"] = (
            "Date",
            "the audio file has no recording date tag (ID3 TDRC)",
            "set the date in your tag editor, or add a Markdown file with Audio: and Date:",
        )
        metadata["date"] = get_date(NO_DATE)
    if facts.track:
        metadata["episode"] = str(facts.track)
    for show in shows.values():
        if facts.album and show.title == facts.album:
            metadata["podcast"] = show.slug
        for category in show.categories:
            if slugify(category) == slugify(path.parent.name):
                metadata["category"] = category
    notes = "".join(
        f"<p>{html.escape(part.strip(), quote=False)}</p>"
        for part in facts.comment.split("\n\n")
        if part.strip()
    )
    return notes, metadata
