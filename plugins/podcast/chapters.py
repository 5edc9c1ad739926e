"""Chapters: the Podcast Index JSON chapters file (version 1.2.0) and the episode page list.

Source: the ID3 CHAP/CTOC frames of the MP3 (or the M4A chapter track).
"""

from __future__ import annotations

import json

from .facts import AudioProblem, Chapter

CHAPTERS_TYPE = "application/json+chapters"


def check_chapters(chapters: tuple[Chapter, ...], duration: float) -> None:
    """Chapters must start in ascending order inside the audio; raises AudioProblem."""
    previous = -1.0
    for chapter in chapters:
        if chapter.start <= previous:
            raise AudioProblem(
                f"chapter {chapter.title!r} starts at {chapter.start:g} s, not after the "
                f"chapter before it ({previous:g} s)",
                "fix the chapter start times in your tag editor (CHAP frames)",
            )
        if chapter.start >= duration:
            raise AudioProblem(
                f"chapter {chapter.title!r} starts at {chapter.start:g} s, after the end of "
                f"the audio ({duration:.1f} s)",
                "fix the chapter start times in your tag editor (CHAP frames)",
            )
        previous = chapter.start


def chapters_document(chapters: tuple[Chapter, ...]) -> dict:
    """The JSON chapters document (https://github.com/Podcastindex-org/podcast-namespace)."""
    items = []
    for chapter in chapters:
        item: dict = {"startTime": _number(chapter.start), "title": chapter.title}
        if chapter.end is not None:
            item["endTime"] = _number(chapter.end)
        if chapter.url:
            item["url"] = chapter.url
        items.append(item)
    return {"version": "1.2.0", "chapters": items}


def chapters_json(chapters: tuple[Chapter, ...]) -> str:
    return json.dumps(chapters_document(chapters), indent=2, ensure_ascii=False) + "\n"


def _number(seconds: float) -> int | float:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 3)
