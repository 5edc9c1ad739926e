"""A small generated site for the podcast build tests: a 3-lesson course, an episodic show.

Everything is made on the spot (lameenc + mutagen + Pillow). ``make_site`` returns the content
folder and the settings overrides that configure its two shows.
"""

from __future__ import annotations

from pathlib import Path

from tests import audio_fixtures as af

COURSE = "cursus-test"
SHOW = "praatjes"
DOMAIN = "http://127.0.0.1:8000"

LESSON = """Title: {title}
Date: {date}
Category: Cursus
Podcast: {show}
Episode: {number}
Audio: {audio}
Summary: Samenvatting van {title}.
{extra}
Dit zijn de shownotes van **{title}**. Lees ook [de vorige les](/les-1/) en
[het archief](/archief/).
"""


LESSON_1_TAGS = """Image: images/les-1-vierkant.jpg
Person: Jan Gast | guest | https://jan.example/
Funding: https://steun.example/les-1 | Steun deze les
Soundbite: 2 | 2.5 | Het doel
License: CC-BY-4.0
"""


def shows(content: Path) -> dict:
    base = {
        "author": "Sanne de Wit",
        "owner_name": "Sanne de Wit",
        "owner_email": "sanne@example.org",
        "explicit": False,
        "locked": True,
    }
    return {
        COURSE: {
            **base,
            "title": "Testcursus & meer",
            "description": "Een cursus in drie lessen.",
            "type": "serial",
            "artwork": "images/cursus.jpg",
            "category": "Education",
            "subcategory": "Courses",
            "categories": ["Cursus"],
            # every Podcast Index tag a show can carry (issue 16)
            "persons": [
                {"name": "Sanne de Wit", "role": "host", "img": "images/sanne.jpg"},
                {
                    "name": "Kees Kunst",
                    "role": "cover art designer",
                    "href": "https://kees.example",
                },
            ],
            "funding": [{"url": "https://steun.example/cursus", "text": "Steun de cursus"}],
            "license": "CC-BY-NC-ND-4.0",
            "medium": "course",
            "txt": [{"purpose": "verify", "text": "S6lpp-7ZCn8-dZfGc"}],
            "update_frequency": {"text": "Elke maandag", "rrule": "FREQ=WEEKLY;BYDAY=MO"},
            "podroll": [SHOW],
        },
        SHOW: {
            **base,
            "title": "Praatjes",
            "description": "Losse afleveringen.",
            "type": "episodic",
            "artwork": "images/praatjes.png",
            "category": "Society & Culture",
            "categories": ["Podcast"],
            "seasons": {1: "Het eerste seizoen"},
            "new_feed_url": "https://nieuw.example/praatjes/feed.xml",
            "block": True,
        },
    }


def lesson(
    content: Path,
    number: int,
    audio: str,
    date: str,
    title: str | None = None,
    extra: str = "",
    name: str | None = None,
) -> Path:
    path = content / "cursus" / (name or f"les-{number}.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        LESSON.format(
            title=title or f"Les {number}",
            date=date,
            show=COURSE,
            number=number,
            audio=audio,
            extra=extra,
        ),
        encoding="utf-8",
    )
    return path


def make_site(root: Path, seconds: float = 6.0) -> tuple[Path, dict]:
    """Content: lessons 1–3 (CBR with chapters+cover, headerless VBR, VBR with Xing; lesson 3's
    file name has a space and a diacritic), a transcript for lesson 1, a future lesson 4, and a
    standalone MP3 episode of the episodic show."""
    content = root / "content"
    # The site's default link-preview image (share_buttons checks that it exists).
    af.write(content / "images" / "standaard-deelafbeelding.jpg", af.cover_jpeg(630))
    af.write(content / "images" / "cursus.jpg", af.cover_jpeg(1400))
    af.write(content / "images" / "praatjes.png", af.cover_jpeg(1500, fmt="PNG"))
    cbr = af.encode(seconds, bitrate=64, seed=1)
    vbr = af.encode(seconds * 2, vbr=True, seed=2)
    vbr_xing = af.with_xing(af.encode(seconds, vbr=True, seed=3))
    af.write(
        content / "audio" / "les-1.mp3",
        af.tag(
            cbr,
            title="Les 1 uit de tags",
            album="Testcursus",
            track="1/3",
            chapters=[
                (0, 2, "Welkom"),
                (2, 4.5, "Het doel & <jij>", {"image": af.cover_jpeg(300, color=(200, 0, 0))}),
                (4.5, seconds, "Huiswerk"),
                (5.5, seconds, "Stil", {"image": af.cover_jpeg(300, color=(0, 0, 200))}),
            ],
            hidden=(3,),  # not in the table of contents: "toc": false
            cover=af.cover_jpeg(1400, color=(10, 120, 90)),
        ),
    )
    af.write(
        content / "audio" / "les-1.vtt",
        (
            b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWelkom bij de cursus.\n\n"
            b"00:00:02.000 --> 00:00:04.500\nWat is <b>jouw</b> doel &amp; <i>plan</i>?\n"
        ),
    )
    # the same transcript as SubRip, and an English one: every one is linked (issue 16)
    af.write(
        content / "audio" / "les-1.srt",
        b"1\n00:00:00,000 --> 00:00:02,000\nWelkom bij de cursus.\n",
    )
    af.write(
        content / "audio" / "les-1.en.vtt",
        b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWelcome to the course.\n",
    )
    af.write(content / "audio" / "les-2.mp3", af.tag(vbr, title="Les 2", track="2/3"))
    af.write(content / "audio" / "les 3 één.mp3", af.tag(vbr_xing, title="Les 3"))
    af.write(content / "audio" / "les-4.mp3", af.tag(cbr, title="Les 4"))
    af.write(content / "images" / "sanne.jpg", af.cover_jpeg(400))
    af.write(content / "images" / "les-1-vierkant.jpg", af.cover_jpeg(1400, color=(9, 9, 160)))
    lesson(content, 1, "audio/les-1.mp3", "2026-01-05 09:00", extra=LESSON_1_TAGS)
    lesson(content, 2, "audio/les-2.mp3", "2026-01-12 09:00")
    lesson(content, 3, "audio/les 3 één.mp3", "2026-01-19 09:00")
    lesson(content, 4, "audio/les-4.mp3", "2999-01-26 09:00")  # future: not yet published
    af.write(
        content / "podcast" / "aflevering-een.mp3",
        af.tag(
            af.encode(seconds, bitrate=96, seed=4),
            title="Aflevering één",
            album="Praatjes",
            comment="Een losse aflevering.\n\nMet twee alinea's & een teken.",
            date="2026-02-01",
        ),
    )
    af.write(content / "audio" / "afl-2.m4a", af.m4a(seconds, title="Aflevering twee"))
    (content / "podcast" / "afl-2.md").write_text(
        "Title: Aflevering twee\nDate: 2026-02-08 10:00\nCategory: Podcast\n"
        "Season: 1\nAudio: audio/afl-2.m4a\nSummary: De tweede, als M4A.\n\nNotities.\n",
        encoding="utf-8",
    )
    af.write(content / "audio" / "trailer.mp3", af.tag(af.encode(seconds, seed=6), title="Trailer"))
    (content / "podcast" / "trailer.md").write_text(
        "Title: Trailer\nDate: 2026-01-20 10:00\nCategory: Podcast\nEpisodeType: trailer\n"
        "Audio: audio/trailer.mp3\nSummary: Wat je kunt verwachten.\n\nDe trailer.\n",
        encoding="utf-8",
    )
    af.write(content / "extra" / "favicon.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    af.write(content / "extra" / "favicon.ico", af.cover_jpeg(32, fmt="ICO"))
    (content / "articles").mkdir(parents=True, exist_ok=True)
    (content / "articles" / "gewoon.md").write_text(
        "Title: Gewoon een artikel\nDate: 2026-01-01\nCategory: Artikelen\n\nTekst.\n",
        encoding="utf-8",
    )
    menu = [["Course", f"/podcast/{COURSE}/"], ["Podcast", f"/podcast/{SHOW}/"]]
    return content, {"PODCAST_SHOWS": shows(content), "MENUITEMS": menu}
