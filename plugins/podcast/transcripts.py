"""Transcripts that sit next to the audio file (same name, ``.vtt`` or ``.srt``).

The feed links them (``podcast:transcript``); the episode page shows them as text, each cue
with a timestamp that seeks the player.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

TRANSCRIPT_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}
_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})\s*-->")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Cue:
    start: float
    text: str


def find_transcript(audio: Path) -> Path | None:
    for suffix in TRANSCRIPT_TYPES:
        candidate = audio.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


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
