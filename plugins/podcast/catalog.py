"""The episodes of one build compared with each other: numbers, files and GUIDs that must be
unique, and each show's order (course order for a serial show, newest first otherwise).

Pure functions over :class:`~.episode_read.EpisodeRead` s (data in, data out); each problem is a
:class:`Clash` naming the episode it leaves out, so the glue reports it and drops that one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .episode_read import EpisodeRead
from .guid import EpisodeIdentity, assign_guids


@dataclass(frozen=True)
class Clash:
    """An episode left out because of another one (or of its show's rules)."""

    episode: EpisodeRead
    field: str
    message: str
    fix: str


@dataclass(frozen=True)
class Place:
    """An episode's place in its show."""

    position: int | None = None  # its number in a course (serial show)
    total: int | None = None  # episodes of the show, including those not yet published
    previous: EpisodeRead | None = None  # in show order
    next: EpisodeRead | None = None


def _in_date_order(reads: list[EpisodeRead]) -> list[EpisodeRead]:
    return sorted(reads, key=lambda read: (read.date, read.source))


def _kept_because(kept: EpisodeRead, published: frozenset[str]) -> str:
    if kept.source in published:
        return "it is already published: podcast-guids.json has its GUID"
    return "it is dated earlier"


def numbering_clashes(
    reads: list[EpisodeRead],
    where: Callable[[str], str],
    published: frozenset[str] = frozenset(),
) -> list[Clash]:
    """Serial shows number every full episode; within a show no number (per season and type)
    and no audio file is used twice (podcast apps need unique enclosure URLs). The episode that
    is already published (``published``: the sources the GUID registry knows) keeps its number
    or file, else the earlier one; the message says which one and why."""
    clashes, seen = [], {}
    ordered = sorted(reads, key=lambda read: (read.source not in published, read.date, read.source))
    for read in ordered:
        show = read.show
        if show is None:
            continue
        if read.number is None and show.serial and read.episode_type == "full":
            clashes.append(
                Clash(
                    read,
                    "Episode",
                    f"{show.title!r} is a serial show, so every lesson needs a number",
                    "add Episode: <number> (its place in the course)",
                )
            )
            continue
        audio_key = (show.slug, read.audio_path)
        if audio_key in seen:
            clashes.append(
                Clash(
                    read,
                    "Audio",
                    f"{read.audio_path} is also the audio of {where(seen[audio_key].source)}, "
                    f"which keeps it ({_kept_because(seen[audio_key], published)}); this "
                    "episode was left out (podcast apps need a file per episode)",
                    "point Audio: to this episode's own file",
                )
            )
            continue
        seen[audio_key] = read
        if read.number is None:
            continue
        key = (show.slug, read.season, read.number, read.episode_type)
        if key in seen:
            clashes.append(
                Clash(
                    read,
                    "Episode",
                    f"episode number {read.number} is also used by {where(seen[key].source)}, "
                    f"which keeps it ({_kept_because(seen[key], published)}); this episode was "
                    "left out",
                    "give each episode of a show its own number",
                )
            )
            continue
        seen[key] = read
    return clashes


def guids(
    reads: list[EpisodeRead],
    registry: dict,
    show_guid: Callable[[object], str],
    where: Callable[[str], str],
) -> tuple[dict[str, str], dict | None, list[Clash]]:
    """(GUID per source, the registry to write or None when unchanged, clashes).

    A registry is not written while two episodes claim one GUID (the author must choose)."""
    in_shows = [read for read in reads if read.show is not None]
    identities = [
        EpisodeIdentity(
            read.source,
            read.audio_path,
            read.facts.sha256,
            show_guid(read.show),
            read.explicit_guid,
        )
        for read in in_shows
    ]
    found, updated = assign_guids(identities, registry)
    owner: dict[str, EpisodeRead] = {}
    clashes = []
    for read in _in_date_order(in_shows):
        guid = found[read.source]
        if guid in owner:
            clashes.append(
                Clash(
                    read,
                    "Guid",
                    f"GUID {guid} is also the GUID of {where(owner[guid].source)}",
                    "every episode needs its own GUID: remove or change the Guid: field",
                )
            )
            continue
        owner[guid] = read
    write = updated if updated != registry and not clashes else None
    return found, write, clashes


def show_order(serial: bool, reads: list[EpisodeRead]) -> list[EpisodeRead]:
    """Lessons of a course in course order; episodes of an episodic show newest first."""
    if serial:
        return sorted(reads, key=lambda r: (r.season or 0, r.number or 0, r.date))
    return sorted(reads, key=lambda r: (r.date, r.source), reverse=True)


def places(serial: bool, ordered: list[EpisodeRead], drafts: int) -> dict[str, Place]:
    """Each episode's place in its show (``ordered``: :func:`show_order`; ``drafts``: lessons
    dated later, which count in "Les 2 van 4")."""
    total = len(ordered) + drafts
    if serial:
        total = max([total] + [read.number or 0 for read in ordered])
    return {
        read.source: Place(
            position=read.number if serial else None,
            total=total,
            previous=ordered[index - 1] if index > 0 else None,
            next=ordered[index + 1] if index + 1 < len(ordered) else None,
        )
        for index, read in enumerate(ordered)
    }
