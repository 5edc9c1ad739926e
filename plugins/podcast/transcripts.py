"""Transcripts that sit next to the audio file (same name, ``.vtt`` or ``.srt``).

``les-1.vtt`` and ``les-1.srt`` are in the show's language; ``les-1.en.vtt`` is in English.
The feed links every one of them (``podcast:transcript`` with its type and language, and
``rel="captions"``: WebVTT and SubRip are timed); the episode page shows one as text, each cue
with a timestamp that seeks the player.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

TRANSCRIPT_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}
TIMED = {".vtt", ".srt"}  # closed captions: rel="captions" (Podcast Index transcript tag)
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->")
_TAG = re.compile(r"<[^>]+>")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Cue:
    start: float
    text: str


@dataclass(frozen=True)
class Transcript:
    path: Path
    type: str  # MIME type
    language: str  # "" = the show's language
    captions: bool  # timed (rel="captions")


def find_transcripts(audio: Path) -> list[Transcript]:
    """Every transcript next to ``audio``: ``<name>.vtt``, ``<name>.srt``, ``<name>.<lang>.vtt``…
    in a fixed order (the show's language first, WebVTT before SubRip)."""
    found = []
    stem = audio.stem
    for candidate in audio.parent.glob(f"{_glob_escape(stem)}.*"):
        suffix = candidate.suffix.lower()
        if suffix not in TRANSCRIPT_TYPES or not candidate.is_file():
            continue
        middle = candidate.name[len(stem) : -len(suffix)]
        if middle and not (middle.startswith(".") and _LANGUAGE.match(middle[1:])):
            continue  # another file that merely starts with the same name
        language = middle[1:]
        found.append(Transcript(candidate, TRANSCRIPT_TYPES[suffix], language, suffix in TIMED))
    order = list(TRANSCRIPT_TYPES)
    return sorted(found, key=lambda t: (t.language, order.index(t.path.suffix.lower())))


def find_transcript(audio: Path) -> Path | None:
    """The transcript the episode page shows: the first of :func:`find_transcripts`."""
    transcripts = find_transcripts(audio)
    return transcripts[0].path if transcripts else None


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def read_cues(text: str) -> list[Cue]:
    """The cues of a WebVTT or SubRip transcript: start time and plain text."""
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.split("\n")
        for index, line in enumerate(lines):
            match = _TIME.search(line)
            if match:
                hours, minutes, seconds, millis = match.groups()
                start = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
                start += int(millis.ljust(3, "0")) / 1000
                words = " ".join(
                    html.unescape(_TAG.sub("", part)).strip() for part in lines[index + 1 :]
                )
                if words.strip():
                    cues.append(Cue(start, words.strip()))
                break
    return cues
