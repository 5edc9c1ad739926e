"""What a first-time podcaster trips over (issue 13): an MP3 cover that is not square, two
episodes on one audio file, and the episode page (its own cover, previous/next at the end)."""

from __future__ import annotations

import json

from tests import audio_fixtures as af
from tests import fixture_site
from tests.nu_checker import nu_errors
from tests.sitecheck import html_pages, run_pelican

SITE = fixture_site.overrides()  # the generated site's shows, menu and share image
ARTWORK = fixture_site.PODCAST_ARTWORK


def episode(slug: str, date: str, number: int, audio: str = "audio/afl.mp3") -> str:
    return (
        f"Title: Aflevering {number}\nDate: {date} 07:00\nCategory: Podcast\nSlug: {slug}\n"
        f"Podcast: {fixture_site.PODCAST}\nEpisode: {number}\nAudio: {audio}\n\n"
        f"Shownotes {number}.\n"
    )


def make_content(root, cover=None, files=None):
    content = fixture_site.write_site(root / "content", only=("images/", "extra/"))
    (content / "podcast").mkdir(parents=True)
    for name, text in (files or {}).items():
        (content / "podcast" / name).write_text(text, encoding="utf-8")
    audio = af.encode(3) if cover is None else af.tag(af.encode(3), title="x", cover=cover)
    af.write(content / "audio" / "afl.mp3", audio)
    af.write(content / "audio" / "afl-2.mp3", af.encode(4, seed=2))
    return content


def report_lines(result) -> list[str]:
    return [
        line for line in (result.stdout + result.stderr).splitlines() if line.startswith("  - ")
    ]


def test_a_cover_that_is_not_square_is_reported_not_silently_dropped(tmp_path):
    content = make_content(
        tmp_path,
        cover=af.cover_jpeg((1400, 1000)),
        files={"afl.md": episode("afl-1", "2026-01-05", 1)},
    )
    dev = run_pelican(tmp_path / "dev", content=content, overrides=SITE)
    assert dev.returncode == 0, dev.stderr
    assert report_lines(dev) == [
        "  - content/podcast/afl.md: Audio: the cover inside audio/afl.mp3 is 1400×1000 px, not "
        "square, so the episode shows the show's artwork instead (podcast apps need square art "
        "of 1400–3000 px, RGB) — embed a square cover in your tag editor (e.g. 3000×3000 px "
        "JPEG), or remove it"
    ]
    page = (tmp_path / "dev" / "afl-1" / "index.html").read_text()
    assert f'<img class="player__cover" src="/{ARTWORK}"' in page
    strict = run_pelican(
        tmp_path / "publish",
        settings="publishconf.py",
        content=content,
        overrides={**SITE, "RATINGS_ALLOW_MISSING_SNAPSHOT": True},
    )
    assert strict.returncode == 1
    assert any(
        "the cover inside audio/afl.mp3 is 1400×1000 px" in line for line in report_lines(strict)
    )


def test_two_episodes_on_one_file_keep_the_earlier_one_and_say_why(tmp_path):
    content = make_content(
        tmp_path,
        files={
            "nieuw.md": episode("nieuw", "2026-02-10", 2),
            "oud.md": episode("oud", "2026-01-05", 1),
        },
    )
    result = run_pelican(tmp_path / "out", content=content, overrides=SITE)
    assert result.returncode == 0, result.stderr
    assert report_lines(result) == [
        "  - content/podcast/nieuw.md: Audio: audio/afl.mp3 is also the audio of "
        "content/podcast/oud.md, which keeps it (it is dated earlier); this episode was left out "
        "(podcast apps need a file per episode) — point Audio: to this episode's own file"
    ]
    assert (tmp_path / "out" / "oud" / "index.html").is_file()
    assert not (tmp_path / "out" / "nieuw").exists()


def test_the_published_episode_keeps_its_file_over_an_earlier_dated_copy(tmp_path):
    # The author copies a published episode's notes to a new file and back-dates it: the
    # episode podcast apps already have (its GUID is recorded) is the one that stays.
    content = make_content(
        tmp_path,
        files={
            "gepubliceerd.md": episode("gepubliceerd", "2026-02-10", 1),
            "kopie.md": episode("kopie", "2026-01-05", 2),
        },
    )
    registry = {
        "0f8fad5b-d9cb-469f-a165-70867728950e": {
            "audio": "audio/afl.mp3",
            "sha256": "0" * 64,
            "source": "podcast/gepubliceerd.md",
        }
    }
    (content / "podcast-guids.json").write_text(json.dumps(registry), encoding="utf-8")
    result = run_pelican(tmp_path / "out", content=content, overrides=SITE)
    assert result.returncode == 0, result.stderr
    assert report_lines(result) == [
        "  - content/podcast/kopie.md: Audio: audio/afl.mp3 is also the audio of "
        "content/podcast/gepubliceerd.md, which keeps it (it is already published: "
        "podcast-guids.json has its GUID); this episode was left out (podcast apps need a file "
        "per episode) — point Audio: to this episode's own file"
    ]
    assert (tmp_path / "out" / "gepubliceerd" / "index.html").is_file()
    assert not (tmp_path / "out" / "kopie").exists()


def test_the_episode_page_shows_its_cover_and_ends_with_previous_and_next(tmp_path):
    content = make_content(
        tmp_path,
        cover=af.cover_jpeg(1400),
        files={
            "een.md": episode("een", "2026-01-05", 1),
            "twee.md": episode("twee", "2026-01-12", 2, audio="audio/afl-2.mp3"),
        },
    )
    (content / "audio" / "afl.vtt").write_text(
        "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nWelkom.\n", encoding="utf-8"
    )
    result = run_pelican(tmp_path / "out", content=content, overrides=SITE)
    assert result.returncode == 0 and not report_lines(result), result.stderr
    page = (tmp_path / "out" / "een" / "index.html").read_text()
    # Its own cover (the MP3's, published next to the page), in the player.
    assert '<img class="player__cover" src="/een/cover.jpg"' in page
    assert (tmp_path / "out" / "een" / "cover.jpg").is_file()
    # Notes, then the transcript that belongs with them; previous/next comes last.
    notes = page.index("Shownotes 1.")
    transcript = page.index('class="block transcript"')
    pager = page.index('class="pager pager--lessons"')
    share = page.index('class="share"')
    assert notes < transcript < share < pager
    other = (tmp_path / "out" / "twee" / "index.html").read_text()
    assert f'<img class="player__cover" src="/{ARTWORK}"' in other  # the show's
    found = nu_errors(html_pages(tmp_path / "out"), relative_to=tmp_path / "out")
    assert not found, "\n".join(found)
