"""A show of ``PODCAST_SHOWS``: its settings read into a :class:`Show` and checked.

``PODCAST_SHOWS`` (read with the other settings in ``settings.py``) maps a show's slug to its
settings (title, artwork, category, …). Checks here are the ones podcast directories apply: the
artwork is a square JPEG/PNG of 1400–3000 px in RGB (a warning above 512 KB), and the category is
on Apple's list (the copy of ``apple-podcast-categories.json`` in this package). A wrong setting
becomes a :class:`ShowSettingProblem` naming the setting and the fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..core.site import content_language
from ..core.urls import absolute_url
from .drip import Drip, read_drip
from .tag_fields import read_show_tags
from .tags import Funding, License, Person, RemoteItem, Txt, UpdateFrequency

CATEGORIES_FILE = Path(__file__).with_name("apple-podcast-categories.json")
SHOW_TYPES = ("episodic", "serial")
ARTWORK_MIN, ARTWORK_MAX = 1400, 3000
ARTWORK_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",)}
ARTWORK_RECOMMENDED_BYTES = 512 * 1024  # Apple: artwork should be at most 512 KB
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def apple_categories() -> dict[str, tuple[str, ...]]:
    """Apple's podcast categories: top level → subcategories."""
    data = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    return {top: tuple(subs) for top, subs in data.items()}


@dataclass(frozen=True)
class ShowSettingProblem:
    """A wrong setting of one show: it matters (is reported) once the show has episodes, and
    the show then gets no feed and no page; the core's Problem is made from it then."""

    setting: str  # e.g. PODCAST_SHOWS["cursus"]["artwork"]
    message: str
    fix: str
    show: str = ""  # the show whose feed it breaks ("*": every show); "" = always a problem
    warning: bool = False  # only logged: the show is published as it is


@dataclass(frozen=True)
class Show:
    """One podcast: its channel in the feed and its show page."""

    slug: str
    title: str
    description: str
    author: str
    owner_name: str
    owner_email: str
    artwork: str  # path inside the content folder, e.g. images/cursus-cover.jpg
    category: str  # Apple top-level category, e.g. "Education"
    subcategory: str = ""  # e.g. "Courses"
    language: str = ""  # defaults to CONTENT_LANG (the language of the episodes)
    type: str = "episodic"  # "serial" for a course: listened to in order, episodes numbered
    explicit: bool = False
    locked: bool = True  # podcast:locked: other hosts may not import the feed
    complete: bool = False  # itunes:complete: no new episodes will follow
    categories: tuple[str, ...] = ()  # Pelican categories whose articles are this show's episodes
    copyright: str = ""
    guid: str = ""  # podcast:guid; empty = UUIDv5 of the feed URL (pin it if the domain moves)
    summary: str = ""  # one line for the show page; defaults to the description
    # Podcast Index and Apple tags (tag_fields.py reads them, tags.py checks them)
    new_feed_url: str = ""  # itunes:new-feed-url: the show has moved to this feed
    block: bool = False  # itunes:block + podcast:block: keep the show out of directories
    persons: tuple[Person, ...] = ()
    funding: tuple[Funding, ...] = ()
    license: License | None = None
    medium: str = ""  # podcast:medium; empty writes none (apps assume "podcast")
    txt: tuple[Txt, ...] = ()
    podroll: tuple[RemoteItem | str, ...] = ()  # a str is another show's slug
    update_frequency: UpdateFrequency | None = None
    seasons: tuple[tuple[int, str], ...] = ()  # (number, name) for podcast:season name=
    drip: Drip | None = None  # a course with a personal schedule (drip.py)

    def season_name(self, number: int | None) -> str:
        return dict(self.seasons).get(number, "") if number else ""

    @property
    def serial(self) -> bool:
        return self.type == "serial"


_REQUIRED = ("title", "description", "author", "owner_name", "owner_email", "artwork", "category")
_SHOW_FIELDS = {f.name for f in fields(Show)} - {"slug"}
_TAG_FIELDS = {
    "new_feed_url",
    "block",
    "persons",
    "funding",
    "license",
    "medium",
    "txt",
    "podroll",
    "update_frequency",
    "seasons",
    "drip",
}


def read_show(
    slug: str, values: object, settings: dict, base_url: str
) -> tuple[Show | None, list[ShowSettingProblem]]:
    """One entry of ``PODCAST_SHOWS``: the show and the problems in its settings."""
    name = f'PODCAST_SHOWS["{slug}"]'
    if not isinstance(values, dict):
        return None, [ShowSettingProblem(name, "must be a dict of settings", "see the README")]
    problems = [
        ShowSettingProblem(
            f'{name}["{key}"]', "is not a show setting", f"use one of {sorted(_SHOW_FIELDS)}"
        )
        for key in values
        if key not in _SHOW_FIELDS
    ]
    missing = [
        ShowSettingProblem(f'{name}["{key}"]', "is missing", f'add "{key}": … to the show')
        for key in _REQUIRED
        if not str(values.get(key) or "").strip()
    ]
    if missing:
        return None, problems + missing
    known = {k: v for k, v in values.items() if k in _SHOW_FIELDS and k not in _TAG_FIELDS}
    known["categories"] = tuple(known.get("categories") or ())
    # The language the episodes are spoken and written in, not the interface's.
    known.setdefault("language", content_language(settings))
    content = Path(settings.get("PATH") or "content")
    tags, tag_problems = read_show_tags(name, values, content, lambda p: absolute_url(base_url, p))
    problems += [ShowSettingProblem(*problem) for problem in tag_problems]  # the tag is left out
    drip, drip_problems = read_drip(name, values.get("drip"))
    problems += [ShowSettingProblem(*problem) for problem in drip_problems]
    if drip is not None and drip.public_feed == "block":
        tags["block"] = True  # the public feed leaves the directories; the course goes on
    show = Show(slug=slug, **known, **tags, drip=drip)
    checks = check_show(show, name, content)
    return show, problems + [
        ShowSettingProblem(
            p.setting, p.message, p.fix, show="" if p.warning else slug, warning=p.warning
        )
        for p in checks
    ]


def check_show(show: Show, name: str, content: Path) -> list[ShowSettingProblem]:
    """The directory rules a show must meet (artwork, category, type, owner e-mail)."""
    problems = []
    if show.type not in SHOW_TYPES:
        problems.append(
            ShowSettingProblem(f'{name}["type"]', f"is {show.type!r}", 'use "episodic" or "serial"')
        )
    categories = apple_categories()
    if show.category not in categories:
        problems.append(
            ShowSettingProblem(
                f'{name}["category"]',
                f"{show.category!r} is not one of Apple's podcast categories",
                "use one of: " + ", ".join(categories),
            )
        )
    elif show.subcategory and show.subcategory not in categories[show.category]:
        problems.append(
            ShowSettingProblem(
                f'{name}["subcategory"]',
                f"{show.subcategory!r} is not a subcategory of {show.category!r}",
                "use one of: " + (", ".join(categories[show.category]) or "(none; leave it out)"),
            )
        )
    if not EMAIL.match(show.owner_email):
        problems.append(
            ShowSettingProblem(
                f'{name}["owner_email"]',
                f"{show.owner_email!r} is not an e-mail address",
                "give the address podcast directories may contact the owner on",
            )
        )
    if len(show.description.encode("utf-8")) > 4000:
        problems.append(
            ShowSettingProblem(
                f'{name}["description"]', "is longer than 4000 bytes", "shorten the description"
            )
        )
    artwork_problem = check_artwork(content / show.artwork, f"{content.name}/{show.artwork}")
    if artwork_problem:
        problems.append(ShowSettingProblem(f'{name}["artwork"]', *artwork_problem))
    elif (size := (content / show.artwork).stat().st_size) > ARTWORK_RECOMMENDED_BYTES:
        problems.append(
            ShowSettingProblem(
                f'{name}["artwork"]',
                f"{content.name}/{show.artwork} is {size / 1e6:.1f} MB; Apple recommends at most "
                "512 KB (apps load it in every list)",
                "save it as a JPEG of quality 80–85, or set PODCAST_OPTIMISE_ARTWORK = True to "
                "publish an optimised copy",
                warning=True,
            )
        )
    return problems


def check_artwork(path: Path, name: str = "") -> tuple[str, str] | None:
    """(problem, fix) when an image is not valid podcast artwork, else None."""
    shown = name or str(path)
    fix_size = f"export a square JPEG or PNG of {ARTWORK_MIN}–{ARTWORK_MAX} px in RGB"
    if not path.is_file():
        return f"{shown} does not exist", f"put the artwork there ({fix_size})"
    try:
        with Image.open(path) as image:
            kind, mode, (width, height) = image.format, image.mode, image.size
    except (UnidentifiedImageError, OSError):
        return f"{shown} is not an image", fix_size
    if kind not in ARTWORK_FORMATS:
        return f"{shown} is a {kind} image; podcast apps take JPEG or PNG", fix_size
    if path.suffix.lower() not in ARTWORK_FORMATS[kind]:
        return (
            f"{shown} is a {kind} image but its name ends in {path.suffix}",
            f"rename it to end in {ARTWORK_FORMATS[kind][0]}",
        )
    if width != height:
        return f"{shown} is {width}×{height} px, not square", fix_size
    if not ARTWORK_MIN <= width <= ARTWORK_MAX:
        return f"{shown} is {width}×{height} px", fix_size
    if mode != "RGB":
        return f"{shown} is in colour mode {mode}, not RGB", fix_size
    return None
