"""The audio and pictures of the generated test site (tests/fixture_site.py), made on the spot.

MP3s are encoded by lameenc and tagged by mutagen (tests/audio_fixtures.py), pictures drawn by
Pillow. All of it is deterministic and small: a few seconds of audio per episode, small images
except the show artwork (1400 px square, Apple's minimum).
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from tests import audio_fixtures as af
from tests import fixture_site as site
from tests.fixture_texts import FAVICON_SVG

# --- Audio ----------------------------------------------------------------------------------


def frames(seconds: int, seed: int, vbr: bool = False, bitrate: int = 32) -> bytes:
    """MPEG audio frames: ``seconds`` of alternating silence and noisy tone (a two-second
    period repeated, so that it is quick to make)."""
    return af.encode_pcm(af.pcm(2, seed=seed) * (seconds // 2), vbr=vbr, bitrate=bitrate)


def mp3(audio_frames: bytes, vbr: bool = False, **tags) -> tuple[bytes, bytes]:
    """(the file as a tag editor saves it, its audio frames): ID3 tags in front, and a VBR file
    with a Xing header frame, as most podcast editors write it."""
    return af.tag(af.with_xing(audio_frames) if vbr else audio_frames, **tags), audio_frames


def audio() -> dict[str, tuple[bytes, bytes]]:
    """Every MP3 of the site, tagged as an author's editor would tag it: path → (file, frames).
    The frames alone are the episode's audio content (podcast-guids.json records their hash)."""
    cover = af.cover_jpeg(1400, color=(60, 110, 40))
    lesson_1, lesson_2, lesson_3 = site.LESSONS
    future = site.FUTURE_LESSON
    tags = {"album": site.COURSE_TITLE, "artist": site.AUTHOR, "date": "2026"}
    found = {
        lesson_1.audio: mp3(
            frames(lesson_1.seconds, seed=1),
            title=lesson_1.title,
            track="1/4",
            comment="De eerste les: waarom goede grond het begin is.",
            chapters=list(site.CHAPTERS),
            cover=cover,
            **tags,
        ),
        lesson_2.audio: mp3(
            frames(lesson_2.seconds, seed=2, vbr=True),
            vbr=True,
            title=lesson_2.title,
            track="2/4",
            chapters=[(0, 6, "Zaaien"), (6, 12, "Uitplanten")],
            **tags,
        ),
        lesson_3.audio: mp3(
            frames(lesson_3.seconds, seed=3, bitrate=48),
            title=lesson_3.title,
            track="3/4",
            chapters=[(0, 6, "Water"), (6, 12, "Wieden")],
            **tags,
        ),
        future.audio: mp3(frames(future.seconds, seed=4), title=future.title, track="4/4", **tags),
    }
    markdown_episode, mp3_only = site.EPISODES
    found[markdown_episode.audio] = mp3(
        frames(markdown_episode.seconds, seed=5),
        title=markdown_episode.title,
        album=site.PODCAST_TITLE,
        artist=site.AUTHOR,
        track="1",
        date="2026",
        chapters=[(0, 5, "Kennismaken"), (5, 12, "De eerste oogst")],
        cover=af.cover_jpeg(1400, color=(180, 70, 50)),
    )
    # Everything from its tags: title, date (TDRC), notes (comment), number, show (album).
    found[mp3_only.audio] = mp3(
        frames(mp3_only.seconds, seed=6, bitrate=40),
        title=mp3_only.title,
        album=site.PODCAST_TITLE,
        artist=site.AUTHOR,
        comment="Imker Noor vertelt over bijen op het dak.\n\nEn waarom ze de buurt nodig hebben.",
        track="2",
        date=mp3_only.date,
    )
    return found


# --- Images ---------------------------------------------------------------------------------


def picture(size: tuple[int, int], color: tuple[int, int, int], fmt: str = "JPEG") -> bytes:
    """A plain picture with a few shapes: a real image of the given size, quick to make."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    width, height = size
    for step in range(1, 4):
        box = (width * step // 5, height // 4, width * step // 5 + width // 8, height * 3 // 4)
        draw.ellipse(box, fill=(250, 240, 200))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def images() -> dict[str, bytes]:
    """Artwork, link-preview images, the picture in an article, favicons."""
    icon = io.BytesIO()
    Image.new("RGB", (32, 32), (60, 110, 40)).save(icon, "ICO")
    return {
        site.DEFAULT_IMAGE: picture((1200, 630), (40, 90, 60)),
        "images/buren.jpg": picture((1200, 630), (90, 140, 60)),
        "images/compost.jpg": picture((800, 800), (100, 70, 40)),  # square: the small card
        "images/oogst.jpg": picture((1200, 630), (200, 120, 40)),
        "images/compostbak.jpg": picture((600, 260), (120, 90, 50)),  # shown in an article
        site.COURSE_ARTWORK: picture((1400, 1400), (30, 80, 50)),
        site.PODCAST_ARTWORK: picture((1400, 1400), (170, 60, 50), "PNG"),
        "extra/favicon.svg": FAVICON_SVG.encode(),
        "extra/favicon.ico": icon.getvalue(),
    }
