"""feedgen extension for Apple's ``itunes:`` namespace, written the way feedgen's own
extensions are: one class for the channel, one for the item, one checked accessor per tag.

feedgen 1.0.0's own podcast extension writes ``itunes:explicit`` as yes/no/clean; Apple wants
``true``/``false``. A wrong value raises ``ValueError`` here instead of being written.
"""

from __future__ import annotations

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem

from .tags import web_url

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
SHOW_TYPES = ("episodic", "serial")
EPISODE_TYPES = ("full", "trailer", "bonus")


def element(parent, tag: str, text: str | None = None, **attributes):
    """A child element; attributes that are None are left out."""
    made = xml_elem(tag, parent)
    for key, value in attributes.items():  # set one by one: "name" is an attribute too
        if value is not None:
            made.set(key, value)
    if text is not None:
        made.text = text
    return made


def _it(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def _positive(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive whole number, not {value!r}")
    return value


class ItunesExtension(BaseExtension):
    """Channel-level ``itunes:`` tags (Apple Podcasts)."""

    def __init__(self):
        self._values: dict = {}

    def extend_ns(self):
        return {"itunes": ITUNES_NS}

    def author(self, name: str) -> None:
        self._values["author"] = str(name)

    def summary(self, text: str) -> None:
        self._values["summary"] = str(text)

    def owner(self, name: str, email: str) -> None:
        self._values["owner"] = (str(name), str(email))

    def image(self, url: str) -> None:
        self._values["image"] = web_url(url, "itunes:image")

    def category(self, top: str, sub: str = "") -> None:
        self._values["category"] = (str(top), str(sub))

    def explicit(self, explicit: bool) -> None:
        self._values["explicit"] = bool(explicit)

    def type(self, kind: str) -> None:
        if kind not in SHOW_TYPES:
            raise ValueError(f"itunes:type must be episodic or serial, not {kind!r}")
        self._values["type"] = kind

    def complete(self, complete: bool) -> None:
        self._values["complete"] = bool(complete)

    def new_feed_url(self, url: str) -> None:
        self._values["new_feed_url"] = web_url(url, "itunes:new-feed-url")

    def block(self, block: bool) -> None:
        self._values["block"] = bool(block)

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        v = self._values
        for name in ("author", "summary"):
            if v.get(name):
                element(channel, _it(name), v[name])
        if v.get("owner"):
            owner = element(channel, _it("owner"))
            element(owner, _it("name"), v["owner"][0])
            element(owner, _it("email"), v["owner"][1])
        if v.get("image"):
            element(channel, _it("image"), href=v["image"])
        if v.get("category"):
            top, sub = v["category"]
            category = xml_elem(_it("category"), channel, text=top)
            if sub:
                xml_elem(_it("category"), category, text=sub)
        if "explicit" in v:
            element(channel, _it("explicit"), "true" if v["explicit"] else "false")
        if v.get("type"):
            element(channel, _it("type"), v["type"])
        if v.get("complete"):
            element(channel, _it("complete"), "Yes")
        if v.get("new_feed_url"):
            element(channel, _it("new-feed-url"), v["new_feed_url"])
        if v.get("block"):
            element(channel, _it("block"), "Yes")  # Apple's only meaningful value
        return rss_feed

    def extend_atom(self, atom_feed):  # pragma: no cover - podcasts are RSS
        return atom_feed


class ItunesEntryExtension(BaseEntryExtension):
    """Item-level ``itunes:`` tags."""

    def __init__(self):
        self._values: dict = {}

    def title(self, title: str) -> None:
        self._values["title"] = str(title)

    def duration(self, seconds: int) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise ValueError(f"itunes:duration is whole seconds, not {seconds!r}")
        self._values["duration"] = seconds

    def image(self, url: str) -> None:
        self._values["image"] = web_url(url, "itunes:image")

    def explicit(self, explicit: bool) -> None:
        self._values["explicit"] = bool(explicit)

    def season(self, number: int) -> None:
        self._values["season"] = _positive(number, "itunes:season")

    def episode(self, number: int) -> None:
        self._values["episode"] = _positive(number, "itunes:episode")

    def episode_type(self, kind: str) -> None:
        if kind not in EPISODE_TYPES:
            raise ValueError(f"itunes:episodeType must be full, trailer or bonus, not {kind!r}")
        self._values["episode_type"] = kind

    def extend_rss(self, item):
        v = self._values
        if v.get("title"):
            element(item, _it("title"), v["title"])
        if v.get("duration") is not None:
            element(item, _it("duration"), str(v["duration"]))
        if v.get("image"):
            element(item, _it("image"), href=v["image"])
        if v.get("explicit") is not None:
            element(item, _it("explicit"), "true" if v["explicit"] else "false")
        for name in ("season", "episode"):
            if v.get(name) is not None:
                element(item, _it(name), str(v[name]))
        if v.get("episode_type"):
            element(item, _it("episodeType"), v["episode_type"])
        return item

    def extend_atom(self, entry):  # pragma: no cover - podcasts are RSS
        return entry
