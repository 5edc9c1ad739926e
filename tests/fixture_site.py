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
deletes content never breaks ``make test``. The Markdown is in fixture_texts.py, the MP3s and
pictures are made by fixture_media.py.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.fixture_texts import TEXTS, TRANSCRIPT_VTT

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


def _article(slug: str, title: str, category: str, image: str = "", name: str = "") -> Article:
    return Article(f"articles/{name or slug}.md", slug, title, category, image)


def _lesson(slug: str, title: str, number: int, date: str, seconds: int = 12) -> Episode:
    return Episode(
        f"cursus/{slug}.md", slug, title, COURSE, number, f"audio/{slug}.mp3", seconds, date
    )


def _episode(slug: str, title: str, number: int, date: str, mp3_only: bool = False) -> Episode:
    source, audio = (
        (f"podcast/{slug}.mp3",) * 2 if mp3_only else (f"podcast/{slug}.md", f"audio/{slug}.mp3")
    )
    return Episode(source, slug, title, PODCAST, number, audio, 12, date)


ARTICLES = (
    _article(
        "een-tuin-begin-je-met-de-buren",
        "Een tuin begin je met de buren",
        "Samen tuinieren",
        "images/buren.jpg",
    ),
    _article(
        "compost-zonder-gedoe", "Compost zonder gedoe", "Samen tuinieren", "images/compost.jpg"
    ),
    _article("water-geven-in-droge-zomers", "Water geven in droge zomers", "Seizoenen & oogst"),
    _article("wie-doet-wat-in-de-tuin", "Wie doet wat in de tuin?", "Samen tuinieren"),
    # A Slug: that is not the file's name.
    _article(
        "oogstfeest-delen-wat-je-kweekt",
        "Oogstfeest: delen wat je kweekt",
        "Seizoenen & oogst",
        "images/oogst.jpg",
        name="oogstfeest",
    ),
)
# The longest article, with its own wide Image: the page-weight budget is checked on it.
LONG_ARTICLE = ARTICLES[0]
PAGES = (
    Page("pages/over.md", "over", "Over ons"),
    Page("pages/privacy.md", "privacy", "Privacyverklaring"),
)
LESSONS = (  # the published lessons, in course order
    _lesson(
        "les-1-de-grond-onder-je-voeten", "Les 1: De grond onder je voeten", 1, "2026-10-05 07:00"
    ),
    _lesson("les-2-zaaien-en-planten", "Les 2: Zaaien en planten", 2, "2026-10-12 07:00"),
    _lesson("les-3-water-en-onderhoud", "Les 3: Water en onderhoud", 3, "2026-10-19 07:00"),
)
# Dated in the future: a draft, on no page and in no feed, until a build on or after its date.
FUTURE_LESSON = _lesson(
    "les-4-oogsten-en-bewaren", "Les 4: Oogsten en bewaren", 4, "2099-11-02 07:00", seconds=4
)
# A lesson page counts the scheduled lesson too: "Les 1 van 4".
COURSE_LENGTH = len(LESSONS) + 1
EPISODES = (  # the podcast's episodes: one with show notes, one MP3 on its own
    _episode("afl-1-een-tuin-vol-buren", "Aflevering 1: Een tuin vol buren", 1, "2026-06-10 07:00"),
    _episode(
        "afl-2-bijen-in-de-stad", "Aflevering 2: Bijen in de stad", 2, "2026-08-19", mp3_only=True
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
            # As the demo's course: followed from the day a reader signs up (the newsletter
            # block signs readers up for it).
            "drip": {"interval_days": 7, "public_feed": "keep"},
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
            # The signup block under every page, as in the demo: for the course.
            "NEWSLETTER_COURSE": COURSE,
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
    # The media module reads the facts above, so it is imported once they exist.
    from tests import fixture_media

    found = {item.source: markdown(item).encode() for item in (*ARTICLES, *PAGES)}
    found.update({e.source: markdown(e).encode() for e in (*LESSONS, FUTURE_LESSON, EPISODES[0])})
    audio = fixture_media.audio()
    found.update({path: file for path, (file, _frames) in audio.items()})
    found[TRANSCRIPT] = TRANSCRIPT_VTT.encode()
    found.update(fixture_media.images())
    found[GUID_REGISTRY] = _registry({path: frames for path, (_file, frames) in audio.items()})
    return tuple(sorted(found.items()))


def _registry(audio_frames: dict[str, bytes]) -> bytes:
    """podcast-guids.json as a publish build writes it: every published episode recorded, with
    the hash of its audio content (the MPEG frames, not the tags: retagging keeps it)."""
    registry = {
        e.guid: {
            "audio": e.audio,
            "sha256": hashlib.sha256(audio_frames[e.audio]).hexdigest(),
            "source": e.source,
        }
        for e in (*LESSONS, *EPISODES)
    }
    return (json.dumps(registry, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def files() -> dict[str, bytes]:
    """Every file of the site: path inside the content folder → bytes (made once per run)."""
    return dict(_files())


# --- Text -----------------------------------------------------------------------------------


def markdown(item: Article | Episode | Page) -> str:
    """The Markdown file of an article, lesson, episode or page."""
    facts = {"title": item.title, "slug": item.slug, "author": AUTHOR, "guest": GUEST_AUTHOR}
    if isinstance(item, Article):
        facts |= {"category": item.category, "image": item.image}
    if isinstance(item, Episode):
        facts |= {"show": item.show, "number": item.number, "audio": item.audio, "date": item.date}
    return TEXTS[item.source].substitute(facts)


def write_many_articles(content: Path, count: int, text_of) -> Path:
    """A site of the fixture's extras and default image plus ``count`` generated articles
    (``articles/artikel-NN.md``, ``text_of(n)`` each), for the tests that compare builds."""
    write_site(content, only=("extra/", DEFAULT_IMAGE))
    articles = content / "articles"
    articles.mkdir(parents=True)
    for n in range(count):
        (articles / f"artikel-{n:02d}.md").write_text(text_of(n), encoding="utf-8")
    return articles
