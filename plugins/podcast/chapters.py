"""Chapters: the Podcast Index JSON chapters file (version 1.2.0) and the episode page list.

Source: the ID3 CHAP/CTOC frames of the MP3 (or the M4A chapter track). A chapter's own art
(an APIC inside its CHAP) is published next to the chapters file and linked as ``img``; a
chapter the table of contents leaves out is written with ``"toc": false`` (apps use it for
art or metadata without listing it). A chapter's link (WXXX) reaches the file only when it is
an ``http(s)`` URL: apps open it, so ``javascript:`` and the like are reported and left out.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from .facts import AudioProblem, Chapter, Cover

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


def is_web_link(url: str | None) -> bool:
    """An absolute http(s) URL with a host: the only links a chapter may carry."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def link_problems(chapters: tuple[Chapter, ...]) -> list[tuple[str, str]]:
    """(message, fix) for every chapter link that is not an http(s) URL."""
    return [
        (
            f"chapter {chapter.title!r} links to {chapter.url!r}, which is not an http(s) "
            "address (it is left out of the chapters file)",
            "set the chapter's URL (WXXX) to an https:// address in your tag editor, or remove it",
        )
        for chapter in chapters
        if chapter.url and not is_web_link(chapter.url)
    ]


def visible(chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
    """The chapters a table of contents shows (the page's chapter list)."""
    return tuple(chapter for chapter in chapters if chapter.toc)


def image_name(index: int, image: Cover) -> str:
    """File name of a chapter's art, next to the chapters file."""
    return f"chapter-{index + 1}" + (".png" if image.mime == "image/png" else ".jpg")


def chapter_images(chapters: tuple[Chapter, ...]) -> list[tuple[str, Cover]]:
    """(file name, image) of every chapter's own art."""
    return [
        (image_name(index, chapter.image), chapter.image)
        for index, chapter in enumerate(chapters)
        if chapter.image is not None
    ]


def chapters_document(chapters: tuple[Chapter, ...], folder_url: str = "") -> dict:
    """The JSON chapters document (https://github.com/Podcastindex-org/podcast-namespace).

    ``folder_url``: the absolute URL of the folder the chapters file and the chapter art are
    published in (ends in ``/``).
    """
    items = []
    for index, chapter in enumerate(chapters):
        item: dict = {"startTime": _number(chapter.start), "title": chapter.title}
        if chapter.end is not None:
            item["endTime"] = _number(chapter.end)
        if chapter.image is not None and folder_url:
            item["img"] = folder_url + image_name(index, chapter.image)
        if is_web_link(chapter.url):
            item["url"] = chapter.url.strip()
        if not chapter.toc:
            item["toc"] = False
        items.append(item)
    return {"version": "1.2.0", "chapters": items}


def chapters_json(chapters: tuple[Chapter, ...], folder_url: str = "") -> str:
    document = chapters_document(chapters, folder_url)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _number(seconds: float) -> int | float:
    return int(seconds) if float(seconds).is_integer() else round(seconds, 3)
