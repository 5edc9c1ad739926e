"""The site the test suite builds: generated on the spot, never the author's ``content/``.

``write_site(folder)`` writes a complete Dutch site into ``folder`` (a content folder) and
``overrides()`` gives the settings that configure it on top of the real pelicanconf.py /
publishconf.py (its two shows, its menu, its link-preview image). It exercises what the demo
content does: articles with categories, tags, Summary, Image/ImageAlt, Modified, ``{filename}``
and ``{static}`` links and Markdown of every common kind; two pages; a serial course whose
lessons have tagged MP3s (chapters, cover art, one VBR file with a Xing header, a .vtt
transcript, one lesson dated in the future); an episodic podcast with a Markdown episode and an
MP3-only one; artwork, link-preview images and favicons. Everything is made with lameenc,
mutagen and Pillow, deterministically (same bytes, same file times on every run), and small:
the MP3s are a few seconds, the images small except the show artwork (1400 px, Apple's minimum).

The facts the tests check (titles, slugs, show keys, audio files and their true lengths) are the
constants below, so no test spells out a title of its own and an author who edits, adds or
deletes content never breaks ``make test``.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from tests import audio_fixtures as af
from tests.fixture_texts import TEXTS

AUTHOR = "Fenna Visser"
GUEST_AUTHOR = "Ravi Dekker"
OWNER_EMAIL = "fenna@buurttuin.example"
DEFAULT_IMAGE = "images/deelafbeelding.jpg"  # SHARE_DEFAULT_IMAGE: 1200×630
# Every file gets this modification time: Pelican's caches look at file times.
FILE_TIME = 1_767_225_600  # 2026-01-01 00:00 UTC

# The GUID registry a publish build keeps (PODCAST_GUID_REGISTRY), committed like the author's.
GUID_REGISTRY = "podcast-guids.json"
GUID_NAMESPACE = uuid.UUID("6f1d3c2a-5b7e-4c1a-9d8e-2f4a6b8c0d1e")

COURSE = "tuinieren-voor-beginners"  # a key of PODCAST_SHOWS: the serial course
COURSE_TITLE = "Tuinieren voor beginners"
COURSE_CATEGORY = "Cursus"
COURSE_ARTWORK = "images/cursus-cover.jpg"
PODCAST = "buurtpraat"  # a key of PODCAST_SHOWS: the episodic podcast
PODCAST_TITLE = "Buurtpraat"
PODCAST_CATEGORY = "Podcast"
PODCAST_ARTWORK = "images/podcast-cover.png"
SHOWS = (COURSE, PODCAST)


@dataclass(frozen=True)
class Article:
    source: str  # the Markdown file, inside the content folder
    slug: str
    title: str
    category: str
    image: str = ""  # Image: (inside the content folder), "" for none


@dataclass(frozen=True)
class Episode:
    source: str  # the Markdown file, or the MP3 itself for an MP3-only episode
    slug: str
    title: str
    show: str
    number: int
    audio: str  # the audio file, inside the content folder
    seconds: int  # its true length
    date: str  # Date: (local time), or the MP3's recording date tag

    @property
    def guid(self) -> str:
        """Its item GUID, fixed in the site's GUID registry (a published episode)."""
        return str(uuid.uuid5(GUID_NAMESPACE, self.source))


@dataclass(frozen=True)
class Page:
    source: str
    slug: str
    title: str


ARTICLES = (
    Article(
        "articles/een-tuin-begin-je-met-de-buren.md",
        "een-tuin-begin-je-met-de-buren",
        "Een tuin begin je met de buren",
        "Samen tuinieren",
        "images/buren.jpg",
    ),
    Article(
        "articles/compost-zonder-gedoe.md",
        "compost-zonder-gedoe",
        "Compost zonder gedoe",
        "Samen tuinieren",
        "images/compost.jpg",
    ),
    Article(
        "articles/water-geven-in-droge-zomers.md",
        "water-geven-in-droge-zomers",
        "Water geven in droge zomers",
        "Seizoenen & oogst",
    ),
    Article(
        "articles/wie-doet-wat-in-de-tuin.md",
        "wie-doet-wat-in-de-tuin",
        "Wie doet wat in de tuin?",
        "Samen tuinieren",
    ),
    Article(
        "articles/oogstfeest.md",
        "oogstfeest-delen-wat-je-kweekt",
        "Oogstfeest: delen wat je kweekt",
        "Seizoenen & oogst",
        "images/oogst.jpg",
    ),
)
# The longest article, with its own wide Image: the page-weight budget is checked on it.
LONG_ARTICLE = ARTICLES[0]
PAGES = (
    Page("pages/over.md", "over", "Over ons"),
    Page("pages/privacy.md", "privacy", "Privacyverklaring"),
)
LESSONS = (  # the published lessons, in course order
    Episode(
        "cursus/les-1-de-grond-onder-je-voeten.md",
        "les-1-de-grond-onder-je-voeten",
        "Les 1: De grond onder je voeten",
        COURSE,
        1,
        "audio/les-1-de-grond-onder-je-voeten.mp3",
        12,
        "2026-10-05 07:00",
    ),
    Episode(
        "cursus/les-2-zaaien-en-planten.md",
        "les-2-zaaien-en-planten",
        "Les 2: Zaaien en planten",
        COURSE,
        2,
        "audio/les-2-zaaien-en-planten.mp3",
        12,
        "2026-10-12 07:00",
    ),
    Episode(
        "cursus/les-3-water-en-onderhoud.md",
        "les-3-water-en-onderhoud",
        "Les 3: Water en onderhoud",
        COURSE,
        3,
        "audio/les-3-water-en-onderhoud.mp3",
        12,
        "2026-10-19 07:00",
    ),
)
# Dated in the future: a draft, on no page and in no feed, until a build on or after its date.
FUTURE_LESSON = Episode(
    "cursus/les-4-oogsten-en-bewaren.md",
    "les-4-oogsten-en-bewaren",
    "Les 4: Oogsten en bewaren",
    COURSE,
    4,
    "audio/les-4-oogsten-en-bewaren.mp3",
    4,
    "2099-11-02 07:00",
)
# A lesson page counts the scheduled lesson too: "Les 1 van 4".
COURSE_LENGTH = len(LESSONS) + 1
EPISODES = (  # the podcast's episodes: one with show notes, one MP3 on its own
    Episode(
        "podcast/afl-1-een-tuin-vol-buren.md",
        "afl-1-een-tuin-vol-buren",
        "Aflevering 1: Een tuin vol buren",
        PODCAST,
        1,
        "audio/afl-1-een-tuin-vol-buren.mp3",
        12,
        "2026-06-10 07:00",
    ),
    Episode(
        "podcast/afl-2-bijen-in-de-stad.mp3",
        "afl-2-bijen-in-de-stad",
        "Aflevering 2: Bijen in de stad",
        PODCAST,
        2,
        "podcast/afl-2-bijen-in-de-stad.mp3",
        12,
        "2026-08-19",
    ),
)
# Every published article: Pelican's articles are the plain ones, the lessons and the episodes.
PUBLISHED = (*ARTICLES, *LESSONS, *EPISODES)
TRANSCRIPT = "audio/les-1-de-grond-onder-je-voeten.vtt"  # next to lesson 1's MP3
# Lesson 1's chapters (ID3 CHAP), as (start, end, title) in seconds.
CHAPTERS = ((0, 4, "Welkom"), (4, 8, "Wat is goede grond?"), (8, 12, "Opdracht"))


def episodes(show: str) -> tuple[Episode, ...]:
    """The published episodes of a show."""
    return tuple(e for e in (*LESSONS, *EPISODES) if e.show == show)


def shows() -> dict:
    """PODCAST_SHOWS for this site."""
    owner = {
        "author": AUTHOR,
        "owner_name": AUTHOR,
        "owner_email": OWNER_EMAIL,
        "explicit": False,
        "locked": True,
    }
    return {
        COURSE: {
            "title": COURSE_TITLE,
            "description": "Een cursus in vier lessen over een moestuin met de hele buurt.",
            "type": "serial",
            "artwork": COURSE_ARTWORK,
            "category": "Education",
            "subcategory": "Courses",
            "categories": [COURSE_CATEGORY],
            **owner,
        },
        PODCAST: {
            "title": PODCAST_TITLE,
            "description": "Korte gesprekken over tuinieren in de stad, met de buren.",
            "type": "episodic",
            "artwork": PODCAST_ARTWORK,
            "category": "Leisure",
            "subcategory": "Home & Garden",
            "categories": [PODCAST_CATEGORY],
            **owner,
        },
    }


def overrides() -> dict:
    """The settings that configure this site, on top of pelicanconf.py / publishconf.py."""
    return copy.deepcopy(
        {
            "PODCAST_SHOWS": shows(),
            "MENUITEMS": [
                ["Articles", "/"],
                ["Course", f"/podcast/{COURSE}/"],
                ["Podcast", f"/podcast/{PODCAST}/"],
                ["Archive", "/archief/"],
            ],
            "SHARE_DEFAULT_IMAGE": DEFAULT_IMAGE,
            # No scores from the author's own ratings store (var/ratings/) in a test build.
            "RATINGS_STORE": "",
        }
    )


def settings_source() -> str:
    """``overrides()`` as lines of Python, for the end of a copied pelicanconf.py."""
    lines = ["", "# The generated test site (tests/fixture_site.py)."]
    lines += [f"{key} = {value!r}" for key, value in overrides().items()]
    return "\n".join(lines) + "\n"


def write_site(content: Path, newest_first: bool = False, only: tuple[str, ...] = ()) -> Path:
    """Write the site into ``content`` and return it. Folder entries are created in sorted
    order (``newest_first``: the reverse), so that a tmpfs lists two copies in opposite orders;
    ``only``: just the files under these folders (e.g. ``("images/", "extra/")``)."""
    for name, data in sorted(files().items(), reverse=newest_first):
        if only and not name.startswith(only):
            continue
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (FILE_TIME, FILE_TIME))
    return content


@functools.cache
def _files() -> tuple[tuple[str, bytes], ...]:
    found = {item.source: markdown(item).encode() for item in (*ARTICLES, *PAGES)}
    found.update({e.source: markdown(e).encode() for e in (*LESSONS, FUTURE_LESSON, EPISODES[0])})
    found.update(_audio())
    found[TRANSCRIPT] = TRANSCRIPT_TEXT.encode()
    found.update(_images())
    found[GUID_REGISTRY] = _registry(found)
    return tuple(sorted(found.items()))


def _registry(found: dict[str, bytes]) -> bytes:
    """podcast-guids.json as a publish build writes it: every published episode recorded."""
    registry = {
        e.guid: {
            "audio": e.audio,
            "sha256": hashlib.sha256(found[e.audio]).hexdigest(),
            "source": e.source,
        }
        for e in (*LESSONS, *EPISODES)
    }
    return (json.dumps(registry, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def files() -> dict[str, bytes]:
    """Every file of the site: path inside the content folder → bytes (made once per run)."""
    return dict(_files())


# --- Audio ----------------------------------------------------------------------------------


def _mp3(seconds: int, seed: int, vbr: bool = False, bitrate: int = 32) -> bytes:
    """``seconds`` of alternating silence and noisy tone (a two-second period repeated)."""
    frames = af.encode_pcm(af.pcm(2, seed=seed) * (seconds // 2), vbr=vbr, bitrate=bitrate)
    return af.with_xing(frames) if vbr else frames


def _audio() -> dict[str, bytes]:
    cover = af.cover_jpeg(1400, color=(60, 110, 40))
    lesson_1, lesson_2, lesson_3 = LESSONS
    tags = {"album": COURSE_TITLE, "artist": AUTHOR, "date": "2026"}
    found = {
        lesson_1.audio: af.tag(
            _mp3(lesson_1.seconds, seed=1),
            title=lesson_1.title,
            track="1/4",
            comment="De eerste les: waarom goede grond het begin is.",
            chapters=list(CHAPTERS),
            cover=cover,
            **tags,
        ),
        lesson_2.audio: af.tag(  # VBR with a Xing header, as most podcast editors write it
            _mp3(lesson_2.seconds, seed=2, vbr=True),
            title=lesson_2.title,
            track="2/4",
            chapters=[(0, 6, "Zaaien"), (6, 12, "Uitplanten")],
            **tags,
        ),
        lesson_3.audio: af.tag(
            _mp3(lesson_3.seconds, seed=3, bitrate=48),
            title=lesson_3.title,
            track="3/4",
            chapters=[(0, 6, "Water"), (6, 12, "Wieden")],
            **tags,
        ),
        FUTURE_LESSON.audio: af.tag(
            _mp3(FUTURE_LESSON.seconds, seed=4), title=FUTURE_LESSON.title, track="4/4", **tags
        ),
    }
    markdown_episode, mp3_only = EPISODES
    found[markdown_episode.audio] = af.tag(
        _mp3(markdown_episode.seconds, seed=5),
        title=markdown_episode.title,
        album=PODCAST_TITLE,
        artist=AUTHOR,
        track="1",
        date="2026",
        chapters=[(0, 5, "Kennismaken"), (5, 12, "De eerste oogst")],
        cover=af.cover_jpeg(1400, color=(180, 70, 50)),
    )
    # Everything from its tags: title, date (TDRC), notes (comment), number, show (album).
    found[mp3_only.audio] = af.tag(
        _mp3(mp3_only.seconds, seed=6, bitrate=40),
        title=mp3_only.title,
        album=PODCAST_TITLE,
        artist=AUTHOR,
        comment="Imker Noor vertelt over bijen op het dak.\n\nEn waarom ze de buurt nodig hebben.",
        track="2",
        date=mp3_only.date,
    )
    return found


# --- Images ---------------------------------------------------------------------------------


def _image(size: tuple[int, int], color: tuple[int, int, int], fmt: str = "JPEG") -> bytes:
    """A plain picture with a few shapes: a real image of the given size, quick to make."""
    picture = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(picture)
    width, height = size
    for step in range(1, 4):
        box = (width * step // 5, height // 4, width * step // 5 + width // 8, height * 3 // 4)
        draw.ellipse(box, fill=(250, 240, 200))
    buffer = io.BytesIO()
    picture.save(buffer, fmt)
    return buffer.getvalue()


def _images() -> dict[str, bytes]:
    icon = io.BytesIO()
    Image.new("RGB", (32, 32), (60, 110, 40)).save(icon, "ICO")
    return {
        DEFAULT_IMAGE: _image((1200, 630), (40, 90, 60)),
        "images/buren.jpg": _image((1200, 630), (90, 140, 60)),
        "images/compost.jpg": _image((800, 800), (100, 70, 40)),  # square: the small card
        "images/oogst.jpg": _image((1200, 630), (200, 120, 40)),
        "images/compostbak.jpg": _image((600, 260), (120, 90, 50)),  # shown in an article
        COURSE_ARTWORK: _image((1400, 1400), (30, 80, 50)),
        PODCAST_ARTWORK: _image((1400, 1400), (170, 60, 50), "PNG"),
        "extra/favicon.svg": FAVICON_SVG.encode(),
        "extra/favicon.ico": icon.getvalue(),
    }


# --- Text -----------------------------------------------------------------------------------


def markdown(item: Article | Episode | Page) -> str:
    """The Markdown file of an article, lesson, episode or page."""
    facts = {"title": item.title, "slug": item.slug, "author": AUTHOR, "guest": GUEST_AUTHOR}
    if isinstance(item, Article):
        facts |= {"category": item.category, "image": item.image}
    if isinstance(item, Episode):
        facts |= {"show": item.show, "number": item.number, "audio": item.audio, "date": item.date}
    return TEXTS[item.source].substitute(facts)


FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<circle cx="8" cy="8" r="7" fill="#3c6e28"/></svg>'
)
TRANSCRIPT_TEXT = """WEBVTT

NOTE Les 1: De grond onder je voeten, transcriptie

1
00:00:00.000 --> 00:00:04.000
Welkom bij Tuinieren voor beginners. Ik ben Fenna.

2
00:00:04.000 --> 00:00:08.000
Goede grond is kruimelig, ruikt naar bos en zit vol leven.

3
00:00:08.000 --> 00:00:12.000
Je opdracht: pak een schep grond en kijk wat erin woont.
"""
