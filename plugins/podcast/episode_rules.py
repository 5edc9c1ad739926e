"""Rules an episode meets for podcast apps beyond its metadata: an ASCII file name, an
``itunes:title`` without the number, its own artwork, and what its audio file should have been
(warnings and problems that do not stop the episode).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from unidecode import unidecode

from .chapters import link_problems
from .facts import AudioFacts
from .shows import ARTWORK_RECOMMENDED_BYTES, check_artwork
from .tag_fields import read_episode_tags

# "Les 4: …", "Aflevering 2 – …", "Episode 3. …", "#5: …": a title that starts with its number
NUMBERED_TITLE = re.compile(
    r"^\s*(?P<display>(?:(?P<word>[^\W\d_][\w.-]*)\s*)?#?\s*(?P<number>\d+))"
    r"\s*(?:[:.)–—|-]\s*)(?P<rest>\S.*)$"
)


@dataclass(frozen=True)
class Notice:
    """Something about an episode the author should know: a problem (``warning=False``:
    reported, a publish build fails) or a warning (logged, the episode is published)."""

    field: str
    message: str
    fix: str
    warning: bool = False


def published_path(audio_path: str) -> str:
    """The path the audio is published under: ASCII, as Apple asks of file names and URLs.

    A path that is ASCII already is kept (spaces are percent-encoded in URLs); each segment
    with other characters is transliterated (``Aflevering één & co.mp3`` →
    ``aflevering-een-co.mp3``). The GUID does not depend on it.
    """
    if audio_path.isascii():
        return audio_path
    segments = []
    for segment in audio_path.split("/"):
        if not segment.isascii():
            stem, dot, suffix = segment.rpartition(".")
            stem, suffix = (stem, "." + suffix) if dot else (segment, "")
            ascii_stem = re.sub(r"[^a-z0-9._-]+", "-", unidecode(stem).lower()).strip("-.")
            segment = (ascii_stem or "audio") + suffix.lower()
        segments.append(segment)
    return "/".join(segments)


def audio_notices(facts: AudioFacts, audio_path: str) -> list[Notice]:
    """What an episode's audio file should have been: chapter links, seekability, the file
    name, the size of its cover (problems and warnings, nothing that stops the episode)."""
    notices = [Notice("Audio", message, fix) for message, fix in link_problems(facts.chapters)]
    if facts.vbr_without_header:
        notices.append(
            Notice(
                "Audio",
                f"{audio_path} is a VBR MP3 without a Xing/Info/VBRI header: its duration is "
                "right, but players seek badly in it (chapter links land in the wrong place)",
                "export it again with a VBR header (LAME and Audacity write one by default), "
                "or add one without re-encoding (e.g. `vbrfix` or `mp3val -f`)",
                warning=True,
            )
        )
    published = published_path(audio_path)
    if published != audio_path:
        notices.append(
            Notice(
                "Audio",
                f"{audio_path} has characters outside ASCII in its name, which Apple asks "
                f"podcasts not to use; it is published as {published}",
                f"rename the file to {published.rsplit('/', 1)[-1]} (the GUID stays the same)",
                warning=True,
            )
        )
    unusable = cover_problem(facts.cover.data) if facts.cover is not None else ""
    if unusable:
        # Not silently dropped: the author embedded it to be seen.
        notices.append(
            Notice(
                "Audio",
                f"the cover inside {audio_path} {unusable}, so the episode shows the show's "
                "artwork instead (podcast apps need square art of 1400–3000 px, RGB)",
                "embed a square cover in your tag editor (e.g. 3000×3000 px JPEG), or remove it",
            )
        )
    if facts.cover is not None and len(facts.cover.data) > ARTWORK_RECOMMENDED_BYTES:
        notices.append(
            Notice(
                "Audio",
                f"the cover inside {audio_path} is {len(facts.cover.data) / 1e6:.1f} MB; "
                "Apple recommends at most 512 KB for episode art",
                "save the cover as a JPEG of quality 80–85 in your tag editor, or set "
                "PODCAST_OPTIMISE_ARTWORK = True to publish an optimised copy",
                warning=True,
            )
        )
    return notices


def episode_title(title: str, number: int | None, typed: str = "") -> tuple[str, str]:
    """(``itunes:title``, ``podcast:episode`` display) of an episode's title.

    ``itunes:title`` is the title without the number, because apps show ``itunes:episode``
    next to it ("Les 4: Meten" would read "4 · Les 4: Meten"). The rule: a title that starts
    with a word and the episode's own number followed by ``:``, ``.``, ``-``, ``–``, ``—``,
    ``)`` or ``|`` ("Les 4: …", "Aflevering 2 – …", "#4 …") loses that prefix, which becomes
    the display name ("Les 4"). ``typed`` (the ``EpisodeTitle:`` field) wins over the rule.
    """
    match = NUMBERED_TITLE.match(title)
    display = ""
    if match and number is not None and int(match.group("number")) == number:
        display = match.group("display").strip()
        title_without = match.group("rest").strip()
    else:
        title_without = title
    return (typed.strip() or title_without), display[:32]


def episode_image(image: str, content: Path) -> str:
    """The episode's own ``Image:`` when it is valid podcast artwork (square JPEG/PNG of
    1400–3000 px in RGB), else "": an ``Image:`` is first of all the link-preview picture
    (1200×630 is the usual), which is no podcast art and not worth a warning."""
    path = str(image or "").strip().removeprefix("{static}").removeprefix("{attach}").lstrip("/")
    if not path:
        return ""
    if not (content / path).resolve().is_relative_to(content) or check_artwork(content / path):
        return ""
    return path


def episode_tags(
    metadata: dict, seconds: float, content: Path, absolute: Callable[[str], str]
) -> tuple[dict, list[Notice]]:
    """Person/Funding/Soundbite/License fields (tag_fields.py) and the problems in them; a
    soundbite must lie inside the audio."""
    tags, problems = read_episode_tags(metadata, content, absolute)
    notices = [Notice(*problem) for problem in problems]
    inside = []
    for soundbite in tags.get("soundbites", ()):
        try:
            soundbite.check_inside(seconds)
            inside.append(soundbite)
        except ValueError as error:
            notices.append(Notice("Soundbite", str(error), "give a start and duration inside it"))
    if "soundbites" in tags:
        tags["soundbites"] = tuple(inside)
    return tags, notices


def cover_problem(data: bytes) -> str:
    """Why an ID3/MP4 cover cannot be an item's ``itunes:image`` (square, 1400–3000 px, RGB);
    "" when it can."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            mode = image.mode
    except (UnidentifiedImageError, OSError):
        return "is not an image Pillow can read"
    if width != height:
        return f"is {width}×{height} px, not square"
    if not 1400 <= width <= 3000:
        return f"is {width}×{height} px, outside 1400–3000 px"
    if mode != "RGB":
        return f"is in {mode} colour, not RGB"
    return ""


def cover_is_artwork(data: bytes) -> bool:
    """Whether an ID3/MP4 cover can be an item's ``itunes:image`` (square, 1400–3000 px, RGB)."""
    return not cover_problem(data)
