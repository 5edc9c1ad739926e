"""An article's podcast fields and its audio file → :class:`EpisodeRead`: everything one episode
says about itself, read once (facts from the cache, transcripts, tag fields, art).

Metadata overrides the audio file's tags; the file gives what an author must never type
(duration, size, type). Problems that leave the episode out raise :class:`MetadataProblem` or
:class:`AudioProblem`; the rest are :class:`Notice` s on the episode (reported, it stays).
What depends on the other episodes (number checks, GUIDs, course order) is ``catalog.py``'s.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pelican.utils import slugify

from .chapters import check_chapters
from .episode_rules import Notice, audio_notices, episode_image, episode_tags, published_path
from .episodes import (
    MetadataProblem,
    audio_source,
    check_audio_matches,
    episode_type,
    explicit_flag,
    positive_int,
)
from .facts import AudioFacts
from .shows import Show
from .transcripts import Cue, Transcript, find_transcripts, read_cues


@dataclass(frozen=True)
class EpisodeRead:
    """What one episode says about itself (before it is compared with the others)."""

    source: str  # content-relative path of the text (or of the standalone audio file)
    date: datetime
    show: Show | None
    audio_path: str  # content-relative
    audio_file: Path
    published_audio: str  # the ASCII path the audio is published under
    facts: AudioFacts
    number: int | None = None
    season: int | None = None
    episode_type: str = "full"
    explicit: bool | None = None
    explicit_guid: str = ""  # the Guid: field
    standalone: bool = False
    notices: tuple[Notice, ...] = ()
    tags: dict | None = None  # tag_fields.read_episode_tags: persons, funding, soundbites, license
    image_path: str = ""  # its own Image:, when that is podcast artwork
    transcripts: tuple[tuple[Transcript, str], ...] = ()  # (transcript, content path)
    cues: tuple[Cue, ...] = ()  # of the first transcript: shown on the page


def show_of(podcast_field, category, shows: dict[str, Show]) -> Show | None:
    """The show of an article: its ``Podcast:`` field, else its category (name or slug)."""
    if podcast_field:
        show = shows.get(str(podcast_field).strip())
        if show is None:
            raise MetadataProblem(
                "Podcast",
                f"{podcast_field!r} is not a show in PODCAST_SHOWS",
                "use one of: " + (", ".join(shows) or "(no shows configured)"),
            )
        return show
    if category is not None:
        for show in shows.values():
            if any(
                name.lower() == str(category).lower() or slugify(name) == category.slug
                for name in show.categories
            ):
                return show
    return None


def read_episode(
    metadata: dict,
    source_path: Path,
    date: datetime,
    show: Show | None,
    content: Path,
    facts_of: Callable[[Path], AudioFacts],
    absolute: Callable[[str], str],
) -> EpisodeRead:
    """The episode of an article (``metadata``: Pelican's, lower-case keys)."""
    if not metadata.get("audio"):
        raise MetadataProblem(
            "Audio",
            "the episode has a Podcast: field but no Audio: file",
            "add Audio: audio/<file>.mp3 (a path inside the content folder)",
        )
    audio = str(metadata["audio"])
    path = audio_source(audio, content, source_path.parent)
    if not path.is_file():
        shown = os.path.relpath(path, content.parent)
        raise MetadataProblem(
            "Audio",
            f"{audio} does not exist ({shown})",
            "put the audio file there or correct the path (relative to the content folder)",
        )
    relative = path.resolve().relative_to(content).as_posix()  # inside: audio_source
    try:
        facts = facts_of(path)
    except OSError as error:
        raise MetadataProblem(
            "Audio", f"{audio} cannot be read ({error.strerror})", "check the file's permissions"
        ) from error
    check_audio_matches(facts)
    check_chapters(facts.chapters, facts.duration)
    number = positive_int("Episode", metadata.get("episode"))
    if number is None and show is not None and show.serial and facts.track:
        number = facts.track
    published = published_path(relative)
    notices = audio_notices(facts, relative)
    if published != relative and (content / published).exists():
        published = relative  # another file has that name: keep this one's own
        notices = [n for n in notices if "outside ASCII" not in n.message]
    tags, tag_notices = episode_tags(metadata, facts.duration, content, absolute)
    transcripts = tuple(
        (t, t.path.resolve().relative_to(content).as_posix()) for t in find_transcripts(path)
    )
    cues: tuple[Cue, ...] = ()
    if transcripts:
        first = transcripts[0][0].path
        try:
            cues = tuple(read_cues(first.read_text(encoding="utf-8-sig")))
        except UnicodeDecodeError as error:
            raise MetadataProblem(
                "Audio",
                f"the transcript {first.name} is not UTF-8 text",
                "save the transcript as UTF-8",
            ) from error
    return EpisodeRead(
        source=source_path.resolve().relative_to(content).as_posix(),
        date=date,
        show=show,
        audio_path=relative,
        audio_file=path,
        published_audio=published,
        facts=facts,
        number=number,
        season=positive_int("Season", metadata.get("season")),
        episode_type=episode_type(metadata.get("episodetype")),
        explicit=explicit_flag(metadata.get("explicit")),
        explicit_guid=str(metadata.get("guid") or "").strip(),
        standalone=bool(metadata.get("podcast_standalone")),
        notices=tuple(notices) + tuple(tag_notices),
        tags=tags,
        image_path=episode_image(metadata.get("image", ""), content),
        transcripts=transcripts,
        cues=cues,
    )
