"""Author input → Podcast Index tag values: a show's settings in ``PODCAST_SHOWS`` and an
episode's metadata fields, each wrong value one ``(field, message, fix)`` problem.

Show settings (dicts and lists, in ``pelicanconf.py``)::

    "persons": [{"name": "Sanne de Wit", "role": "host", "img": "images/sanne.jpg"}],
    "funding": [{"url": "https://…/steun", "text": "Steun de cursus"}],
    "license": "CC-BY-4.0"  or  {"name": "mijn-licentie", "url": "https://…"},
    "medium": "course",
    "txt": [{"purpose": "applepodcastsverify", "text": "…"}],
    "podroll": ["community-kompas", {"feed_guid": "…", "feed_url": "https://…", "title": "…"}],
    "update_frequency": {"text": "Elke maandag", "rrule": "FREQ=WEEKLY;BYDAY=MO"},
    "seasons": {1: "De basis"},

Episode fields (one value per line; repeat the field for more)::

    Person: Jan Jansen | guest | https://janjansen.nl | images/jan.jpg
    Funding: https://example.org/steun | Steun deze podcast
    Soundbite: 73 | 45 | Waarom dit ertoe doet
    License: CC-BY-4.0

A picture may be a path inside the content folder (published with the site) or a URL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .tags import (
    MEDIA,
    Funding,
    License,
    Person,
    RemoteItem,
    Soundbite,
    Txt,
    UpdateFrequency,
    short_text,
    web_url,
)

Problem = tuple[str, str, str]  # (field, what is wrong, the fix)


def _picture(value: str, content: Path, absolute: Callable[[str], str]) -> str:
    """A person's picture: an http(s) URL as is, a content path as its published URL."""
    text = str(value or "").strip()
    if not text or text.startswith(("http://", "https://")):
        return text
    path = text.removeprefix("{static}").lstrip("/")
    if not (content / path).is_file():
        raise ValueError(f"the picture {path} does not exist in the content folder")
    return absolute(path)


def _list(value) -> list:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def person(values: dict, content: Path, absolute: Callable[[str], str]) -> Person:
    if not isinstance(values, dict):
        raise ValueError(f"{values!r} is not a dict with name, role, href, img")
    unknown = set(values) - {"name", "role", "group", "href", "img"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)} (use name, role, group, href, img)")
    links = {
        "img": _picture(values.get("img", ""), content, absolute),
        "href": values.get("href", "") or "",
    }
    role = values.get("role") or "host"
    if values.get("group"):
        return Person(values.get("name", ""), role, values["group"], **links)
    return Person.of_role(values.get("name", ""), role, **links)


def read_show_tags(
    name: str, values: dict, content: Path, absolute: Callable[[str], str]
) -> tuple[dict, list[Problem]]:
    """The tag settings of one show (``name`` is ``PODCAST_SHOWS["slug"]``) as Show fields."""
    found: dict = {}
    problems: list[Problem] = []

    def attempt(key: str, make, fix: str) -> None:
        if key not in values or values[key] in (None, "", [], {}):
            return
        try:
            found[key] = make(values[key])
        except (ValueError, TypeError, AttributeError) as error:
            problems.append((f'{name}["{key}"]', str(error), fix))

    attempt(
        "persons",
        lambda v: tuple(person(p, content, absolute) for p in _list(v)),
        'write [{"name": "…", "role": "host"}]; roles: podcasttaxonomy.com',
    )
    attempt(
        "funding",
        lambda v: tuple(Funding(f["url"], f["text"]) for f in _list(v)),
        'write [{"url": "https://…", "text": "Steun de show"}]',
    )
    attempt(
        "license",
        lambda v: License(v) if isinstance(v, str) else License(v["name"], v.get("url", "")),
        'write "CC-BY-4.0" or {"name": "…", "url": "https://…"}',
    )
    attempt("medium", _medium, f"use one of {', '.join(MEDIA)}")
    attempt(
        "txt",
        lambda v: tuple(Txt(t["text"], t.get("purpose", "")) for t in _list(v)),
        'write [{"purpose": "applepodcastsverify", "text": "…"}]',
    )
    attempt(
        "podroll",
        lambda v: tuple(p if isinstance(p, str) else RemoteItem(**p) for p in _list(v)),
        'write ["other-show-slug", {"feed_guid": "…", "feed_url": "https://…", "title": "…"}]',
    )
    attempt(
        "update_frequency",
        lambda v: UpdateFrequency(**v) if isinstance(v, dict) else UpdateFrequency(str(v)),
        'write {"text": "Elke maandag", "rrule": "FREQ=WEEKLY;BYDAY=MO"}',
    )
    attempt("seasons", _seasons, 'write {1: "Name of season 1", 2: "…"}')
    attempt("new_feed_url", lambda v: web_url(v, "the new feed url"), "the new feed's https:// URL")
    attempt("block", _flag, "write True (keep the show out of directories) or False")
    return found, problems


def _medium(value) -> str:
    if value not in MEDIA:
        raise ValueError(f"{value!r} is not a podcast:medium value for a feed of episodes")
    return value


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{value!r} is not True or False")
    return value


def _seasons(value) -> tuple[tuple[int, str], ...]:
    if not isinstance(value, dict):
        raise ValueError("must be a dict of season number → name")
    seasons = []
    for number, title in value.items():
        if not str(number).isdigit() or int(number) < 1:
            raise ValueError(f"season {number!r} is not a positive whole number")
        seasons.append((int(number), short_text(title, f"the name of season {number}")))
    return tuple(sorted(seasons))


# --- Episode metadata --------------------------------------------------------------------


def _lines(value) -> list[str]:
    """A metadata field's values: Pelican gives a list for a repeated or continued field."""
    values = value if isinstance(value, list | tuple) else str(value or "").splitlines()
    return [line.strip() for line in values if str(line).strip()]


def _parts(line: str, count: int) -> list[str]:
    parts = [part.strip() for part in line.split("|")]
    return parts + [""] * (count - len(parts))


def read_episode_tags(
    metadata: dict, content: Path, absolute: Callable[[str], str]
) -> tuple[dict, list[Problem]]:
    """``Person:``, ``Funding:``, ``Soundbite:``, ``License:`` of an episode (lower-case keys,
    as Pelican gives them) → {"persons", "funding", "soundbites", "license"}."""
    found: dict = {}
    problems: list[Problem] = []
    persons, funding, soundbites = [], [], []
    for line in _lines(metadata.get("person")):
        name, role, href, img = _parts(line, 4)[:4]
        try:
            picture = _picture(img, content, absolute)
            persons.append(Person.of_role(name, role or "host", href=href, img=picture))
        except ValueError as error:
            problems.append(
                ("Person", f"{line!r}: {error}", "write Person: Name | role | href | img")
            )
    for line in _lines(metadata.get("funding")):
        url, text = _parts(line, 2)[:2]
        try:
            funding.append(Funding(url, text))
        except ValueError as error:
            problems.append(("Funding", f"{line!r}: {error}", "write Funding: https://… | Text"))
    for line in _lines(metadata.get("soundbite")):
        start, duration, title = _parts(line, 3)[:3]
        try:
            soundbites.append(Soundbite(float(start), float(duration), title))
        except ValueError as error:
            problems.append(
                ("Soundbite", f"{line!r}: {error}", "write Soundbite: start | duration | title")
            )
    if metadata.get("license"):
        name, url = _parts(_lines(metadata["license"])[0], 2)[:2]
        try:
            found["license"] = License(name, url)
        except ValueError as error:
            problems.append(("License", str(error), "write License: CC-BY-4.0 or name | url"))
    if persons:
        found["persons"] = tuple(persons)
    if funding:
        found["funding"] = tuple(funding)
    if soundbites:
        found["soundbites"] = tuple(soundbites)
    return found, problems


def item_persons(episode: tuple[Person, ...], show: tuple[Person, ...]) -> tuple[Person, ...]:
    """The persons of an item. Item persons *replace* the channel's in apps, so an episode
    that names only its guests keeps the show's hosts (the namespace's "Big Daddy" example);
    an episode that names a host of its own replaces them."""
    if not episode:
        return ()
    if any(p.hosts for p in episode):
        return episode
    return tuple(p for p in show if p.hosts) + episode
