"""The values of the Podcast Index tags a show or an episode can carry, each checked by the
namespace's own rule (podcastindex.org/namespace/1.0, docs/tags/*.md).

Every class validates itself when it is made: a wrong value raises ``ValueError`` with a
sentence saying what is wrong, so the settings reader and the metadata reader turn it into a
report line, and the feed extensions never write a value the namespace does not allow.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

TAXONOMY_FILE = Path(__file__).with_name("podcast-taxonomy.json")
# podcast:medium values for a feed of items (the "…L" list media and "mixed"/"publisher"
# hold only remote items, which a Schitter show never is)
MEDIA = ("podcast", "music", "video", "film", "audiobook", "newsletter", "blog", "course")
# Well-known licenses (the namespace's license list and SPDX's Creative Commons ids): these
# need no url; any other license name must come with the url of its text.
KNOWN_LICENSES = frozenset(
    name.lower()
    for name in (
        "ARR",
        "POD-V4V-1.0",
        "CC0-1.0",
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC-BY-ND-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-NC-ND-4.0",
        "CC-BY-3.0",
        "CC-BY-SA-3.0",
        "CC-BY-NC-3.0",
        "CC-BY-NC-SA-3.0",
        "CC-BY-NC-ND-3.0",
        "CC-BY-ND-3.0",
    )
)
FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


@cache
def taxonomy() -> dict[str, tuple[str, ...]]:
    """The Podcast Taxonomy Project's groups → roles (lower case, as apps compare them)."""
    data = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    return {group: tuple(roles) for group, roles in data.items()}


def web_url(value: str, what: str) -> str:
    """An absolute http(s) URL, else ValueError."""
    text = str(value or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if not parts or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{what} {text!r} is not an absolute http(s) address")
    if not text.isascii():
        raise ValueError(f"{what} {text!r} has characters outside ASCII (percent-encode them)")
    return text


def short_text(value, what: str, limit: int = 128, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ValueError(f"{what} is empty")
    if len(text) > limit:
        raise ValueError(f"{what} is {len(text)} characters; the namespace allows {limit}")
    return text


@dataclass(frozen=True)
class Person:
    """``podcast:person``: a host, guest or other credit (role and group from the taxonomy)."""

    name: str
    role: str = "host"
    group: str = "cast"
    img: str = ""  # absolute URL of a picture
    href: str = ""  # absolute URL of a page about the person

    def __post_init__(self):
        object.__setattr__(self, "name", short_text(self.name, "the person's name"))
        role, group = self.role.strip().lower(), self.group.strip().lower()
        groups = taxonomy()
        if group not in groups:
            raise ValueError(f"group {self.group!r} is not in the Podcast Taxonomy")
        if role not in groups[group]:
            raise ValueError(
                f"role {self.role!r} is not a role of the group {group!r} in the Podcast "
                f"Taxonomy (its roles: {', '.join(groups[group])})"
            )
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "group", group)
        for name in ("img", "href"):
            if getattr(self, name):
                object.__setattr__(self, name, web_url(getattr(self, name), name))

    @classmethod
    def of_role(cls, name: str, role: str = "host", **links) -> Person:
        """A person whose group follows from the role (the first group that has it)."""
        wanted = (role or "host").strip().lower()
        for group, roles in taxonomy().items():
            if wanted in roles:
                return cls(name, wanted, group, **links)
        raise ValueError(f"role {role!r} is not in the Podcast Taxonomy")

    @property
    def hosts(self) -> bool:
        return self.role in ("host", "co-host", "guest host")


@dataclass(frozen=True)
class Funding:
    """``podcast:funding``: where listeners support the show, and the link's text."""

    url: str
    text: str

    def __post_init__(self):
        object.__setattr__(self, "url", web_url(self.url, "the funding url"))
        object.__setattr__(self, "text", short_text(self.text, "the funding text"))


@dataclass(frozen=True)
class Soundbite:
    """``podcast:soundbite``: a highlight inside the episode's audio."""

    start: float
    duration: float
    title: str = ""

    def __post_init__(self):
        if self.start < 0 or self.duration <= 0:
            raise ValueError("a soundbite needs a start ≥ 0 and a duration > 0 (seconds)")
        object.__setattr__(self, "title", short_text(self.title, "the title", required=False))

    def check_inside(self, seconds: float) -> None:
        if self.start + self.duration > seconds + 0.5:
            raise ValueError(
                f"the soundbite {self.start:g}–{self.start + self.duration:g} s runs past the "
                f"end of the audio ({seconds:.0f} s)"
            )


@dataclass(frozen=True)
class License:
    """``podcast:license``: a well-known license identifier, or a name with its text's url."""

    name: str
    url: str = ""

    def __post_init__(self):
        object.__setattr__(self, "name", short_text(self.name, "the license"))
        if self.url:
            object.__setattr__(self, "url", web_url(self.url, "the license url"))
        elif self.name.lower() not in KNOWN_LICENSES:
            raise ValueError(
                f"{self.name!r} is not a well-known license, so it needs the url of its text"
            )


@dataclass(frozen=True)
class Txt:
    """``podcast:txt``: free text with an optional purpose (e.g. ``applepodcastsverify``)."""

    text: str
    purpose: str = ""

    def __post_init__(self):
        object.__setattr__(self, "text", short_text(self.text, "the text", limit=4000))
        object.__setattr__(self, "purpose", short_text(self.purpose, "purpose", required=False))


@dataclass(frozen=True)
class RemoteItem:
    """``podcast:remoteItem`` inside ``podcast:podroll``: a recommended show."""

    feed_guid: str
    feed_url: str = ""
    title: str = ""

    def __post_init__(self):
        try:
            object.__setattr__(self, "feed_guid", str(uuid.UUID(str(self.feed_guid))))
        except ValueError:
            raise ValueError(f"feed_guid {self.feed_guid!r} is not a podcast:guid") from None
        if self.feed_url:
            object.__setattr__(self, "feed_url", web_url(self.feed_url, "feed_url"))
        object.__setattr__(self, "title", short_text(self.title, "title", required=False))


@dataclass(frozen=True)
class UpdateFrequency:
    """``podcast:updateFrequency``: the release schedule, as text and an iCalendar RRULE."""

    text: str
    rrule: str = ""
    dtstart: str = ""
    complete: bool = False

    def __post_init__(self):
        object.__setattr__(self, "text", short_text(self.text, "the schedule text"))
        rule = {}
        for part in filter(None, self.rrule.strip().upper().split(";")):
            key, _, value = part.partition("=")
            rule[key] = value
        if self.rrule and rule.get("FREQ") not in FREQUENCIES:
            raise ValueError(
                f"rrule {self.rrule!r} needs FREQ= one of {', '.join(FREQUENCIES)} (RFC 5545)"
            )
        if "COUNT" in rule and not self.dtstart:
            raise ValueError("an rrule with COUNT needs a dtstart")
        if self.dtstart and not ISO_DATE.match(self.dtstart):
            raise ValueError(f"dtstart {self.dtstart!r} is not an ISO 8601 date or datetime")


@dataclass(frozen=True)
class Trailer:
    """``podcast:trailer``: a show's trailer (an episode with ``EpisodeType: trailer``)."""

    title: str
    url: str
    pubdate: datetime
    length: int
    type: str
    season: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "title", short_text(self.title, "the trailer's title"))
        object.__setattr__(self, "url", web_url(self.url, "the trailer url"))
        if self.pubdate.tzinfo is None:
            raise ValueError("a trailer's pubdate needs a time zone")


@dataclass(frozen=True)
class TranscriptLink:
    """``podcast:transcript``: url, MIME type, language, and whether it holds captions."""

    url: str
    type: str
    language: str = ""
    captions: bool = False

    def __post_init__(self):
        object.__setattr__(self, "url", web_url(self.url, "the transcript url"))
