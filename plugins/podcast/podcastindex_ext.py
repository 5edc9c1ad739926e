"""feedgen extension for the Podcast Index ``podcast:`` namespace (podcastindex.org/namespace/1.0),
which feedgen 1.0.0 lacks: one class for the channel, one for the item, one accessor per tag.

Accessors take the checked values of ``tags.py`` (a ``Person``, a ``Funding``…) or check plain
ones themselves; the namespace's rules (counts, required attributes, node values) live there,
so nothing reaches the XML that the namespace does not allow.
"""

from __future__ import annotations

from email.utils import format_datetime

from feedgen.ext.base import BaseEntryExtension, BaseExtension

from .itunes_ext import element
from .tags import (
    MEDIA,
    Funding,
    License,
    Person,
    RemoteItem,
    Soundbite,
    Trailer,
    TranscriptLink,
    Txt,
    UpdateFrequency,
    short_text,
    web_url,
)

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
CHAPTERS_TYPE = "application/json+chapters"


def _pi(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{round(value, 3)}"


def _typed(value, kind, what: str):
    if not isinstance(value, kind):
        raise ValueError(f"{what} takes a {kind.__name__}, not {value!r}")
    return value


def _persons(parent, persons: list[Person]) -> None:
    for person in persons:
        element(
            parent,
            _pi("person"),
            person.name,
            role=person.role,
            group=person.group,
            img=person.img or None,
            href=person.href or None,
        )


def _funding(parent, funding: list[Funding]) -> None:
    for fund in funding:
        element(parent, _pi("funding"), fund.text, url=fund.url)


def _license(parent, license: License | None) -> None:
    if license is not None:
        element(parent, _pi("license"), license.name, url=license.url or None)


class PodcastIndexExtension(BaseExtension):
    """Channel-level ``podcast:`` tags."""

    def __init__(self):
        self._values: dict = {"person": [], "funding": [], "trailer": [], "txt": []}

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def guid(self, guid: str) -> None:
        self._values["guid"] = str(guid)

    def locked(self, locked: bool, owner: str) -> None:
        self._values["locked"] = (bool(locked), str(owner))

    def block(self, block: bool) -> None:
        self._values["block"] = bool(block)

    def medium(self, medium: str) -> None:
        if medium not in MEDIA:
            raise ValueError(f"podcast:medium {medium!r} is not one of {', '.join(MEDIA)}")
        self._values["medium"] = medium

    def license(self, license: License) -> None:
        self._values["license"] = _typed(license, License, "podcast:license")

    def person(self, person: Person) -> None:
        self._values["person"].append(_typed(person, Person, "podcast:person"))

    def funding(self, funding: Funding) -> None:
        self._values["funding"].append(_typed(funding, Funding, "podcast:funding"))

    def trailer(self, trailer: Trailer) -> None:
        self._values["trailer"].append(_typed(trailer, Trailer, "podcast:trailer"))

    def txt(self, txt: Txt) -> None:
        self._values["txt"].append(_typed(txt, Txt, "podcast:txt"))

    def podroll(self, items: list[RemoteItem]) -> None:
        if not items:
            raise ValueError("podcast:podroll needs at least one remote item")
        self._values["podroll"] = [_typed(i, RemoteItem, "podcast:remoteItem") for i in items]

    def update_frequency(self, frequency: UpdateFrequency) -> None:
        self._values["update_frequency"] = _typed(
            frequency, UpdateFrequency, "podcast:updateFrequency"
        )

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        v = self._values
        if v.get("guid"):
            element(channel, _pi("guid"), v["guid"])
        if "locked" in v:
            locked, owner = v["locked"]
            element(channel, _pi("locked"), "yes" if locked else "no", owner=owner)
        if v.get("block"):
            element(channel, _pi("block"), "yes")
        if v.get("medium"):
            element(channel, _pi("medium"), v["medium"])
        _license(channel, v.get("license"))
        _persons(channel, v["person"])
        _funding(channel, v["funding"])
        for trailer in v["trailer"]:
            element(
                channel,
                _pi("trailer"),
                trailer.title,
                pubdate=format_datetime(trailer.pubdate),
                url=trailer.url,
                length=str(trailer.length),
                type=trailer.type,
                season=str(trailer.season) if trailer.season else None,
            )
        for txt in v["txt"]:
            element(channel, _pi("txt"), txt.text, purpose=txt.purpose or None)
        if v.get("podroll"):
            podroll = element(channel, _pi("podroll"))
            for item in v["podroll"]:
                element(
                    podroll,
                    _pi("remoteItem"),
                    feedGuid=item.feed_guid,
                    feedUrl=item.feed_url or None,
                    title=item.title or None,
                )
        if v.get("update_frequency"):
            frequency = v["update_frequency"]
            element(
                channel,
                _pi("updateFrequency"),
                frequency.text,
                complete="true" if frequency.complete else None,
                dtstart=frequency.dtstart or None,
                rrule=frequency.rrule or None,
            )
        return rss_feed

    def extend_atom(self, atom_feed):  # pragma: no cover - podcasts are RSS
        return atom_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level ``podcast:`` tags."""

    def __init__(self):
        self._values: dict = {"transcript": [], "person": [], "soundbite": [], "funding": []}

    def chapters(self, url: str) -> None:
        self._values["chapters"] = web_url(url, "podcast:chapters url")

    def transcript(self, transcript: TranscriptLink) -> None:
        self._values["transcript"].append(_typed(transcript, TranscriptLink, "podcast:transcript"))

    def season(self, number: int, name: str = "") -> None:
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(f"podcast:season is a whole number, not {number!r}")
        name = short_text(name, "the season's name", required=False)
        self._values["season"] = (number, name)

    def episode(self, number: float, display: str = "") -> None:
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise ValueError(f"podcast:episode is a number, not {number!r}")
        display = short_text(display, "the episode's display name", limit=32, required=False)
        self._values["episode"] = (number, display)

    def person(self, person: Person) -> None:
        self._values["person"].append(_typed(person, Person, "podcast:person"))

    def soundbite(self, soundbite: Soundbite) -> None:
        self._values["soundbite"].append(_typed(soundbite, Soundbite, "podcast:soundbite"))

    def funding(self, funding: Funding) -> None:
        self._values["funding"].append(_typed(funding, Funding, "podcast:funding"))

    def license(self, license: License) -> None:
        self._values["license"] = _typed(license, License, "podcast:license")

    def extend_rss(self, item):
        v = self._values
        if v.get("chapters"):
            element(item, _pi("chapters"), url=v["chapters"], type=CHAPTERS_TYPE)
        for transcript in v["transcript"]:
            element(
                item,
                _pi("transcript"),
                url=transcript.url,
                type=transcript.type,
                language=transcript.language or None,
                rel="captions" if transcript.captions else None,
            )
        if v.get("season"):
            number, name = v["season"]
            element(item, _pi("season"), str(number), name=name or None)
        if v.get("episode"):
            number, display = v["episode"]
            element(item, _pi("episode"), _number(number), display=display or None)
        _persons(item, v["person"])
        for soundbite in v["soundbite"]:
            element(
                item,
                _pi("soundbite"),
                soundbite.title or None,
                startTime=_number(soundbite.start),
                duration=_number(soundbite.duration),
            )
        _funding(item, v["funding"])
        _license(item, v.get("license"))
        return item

    def extend_atom(self, entry):  # pragma: no cover - podcasts are RSS
        return entry
