"""podcast's glue, in-process: a build's episodes collected from hand-made articles (no Pelican
run), so the rules every build applies are checked in milliseconds: the episode is made once with
its GUID and place, broken ones are reported through the core's report and left out, and the
podcast's state lives on the build, not in a module."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

from plugins.core.build import Build
from plugins.core.problems import Report
from plugins.podcast import glue
from plugins.podcast.podcast_build import collect, start_podcast
from tests import audio_fixtures as af

TZ = timezone(timedelta(hours=1))


def make_build(tmp_path: Path) -> Build:
    content = tmp_path / "content"
    af.write(content / "images" / "cursus.jpg", af.cover_jpeg(1400))
    mp3 = af.encode(3, seed=51)
    for number in (1, 2, 3):
        af.write(content / "audio" / f"les-{number}.mp3", af.tag(mp3 + bytes(number)))
    settings = {
        "PATH": str(content),
        "SITEURL": "",
        "FEED_DOMAIN": "http://127.0.0.1:8000",
        "CACHE_PATH": str(tmp_path / "cache"),
        "DEFAULT_LANG": "nl",
        "STATIC_PATHS": ["images", "audio"],
        "PODCAST_SHOWS": {
            "cursus": {
                "title": "Cursus",
                "description": "Een cursus.",
                "author": "Sanne",
                "owner_name": "Sanne",
                "owner_email": "sanne@example.org",
                "artwork": "images/cursus.jpg",
                "category": "Education",
                "type": "serial",
                "categories": ["Cursus"],
            }
        },
    }
    return Build(
        settings=settings,
        context={},
        report=Report(),
        content=content.resolve(),
        base_url="http://127.0.0.1:8000",
        settings_file="pelicanconf.py",
    )


def article(content: Path, name: str, number, day: int, audio: str | None = None):
    metadata = {"episode": str(number), "audio": audio or f"audio/{name}.mp3"}
    return SimpleNamespace(
        source_path=str(content / "cursus" / f"{name}.md"),
        metadata=metadata,
        audio=metadata["audio"],
        podcast="cursus",
        category=SimpleNamespace(name="Cursus", slug="cursus"),
        date=datetime(2026, 1, day, 9, tzinfo=TZ),
        save_as=f"{name}/index.html",
        url=f"{name}/",
        title=name,
    )


@pytest.fixture
def collected(tmp_path):
    build = make_build(tmp_path)
    podcast = build.state("podcast", lambda: start_podcast(build))
    articles = [
        article(build.content, "les-2", 2, 12),
        article(build.content, "les-1", 1, 5),
        article(build.content, "les-3", 3, 19),
        article(build.content, "dubbel", 2, 20, audio="audio/les-3.mp3"),
        article(build.content, "weg", 9, 21, audio="audio/weg.mp3"),
    ]
    drafts = [article(build.content, "les-4", 4, 26)]
    collect(podcast, articles, drafts)
    return build, podcast, articles


def test_episodes_are_made_once_with_guid_and_place(collected):
    _, podcast, articles = collected
    episodes = {article.title: episode for article, episode in podcast.episodes}
    assert sorted(episodes) == ["les-1", "les-2", "les-3"]
    les2 = episodes["les-2"]
    assert (les2.position, les2.total) == (2, 4)  # lesson 4 is still to come
    assert les2.previous.title == "les-1" and les2.next.title == "les-3"
    assert les2.guid and len({e.guid for e in episodes.values()}) == 3
    assert les2.links.audio_url == "/audio/les-2.mp3"
    assert les2.links.page_url == "http://127.0.0.1:8000/les-2/"
    with pytest.raises(AttributeError):
        les2.guid = "anders"  # made once: frozen
    (show,) = podcast.shows
    assert [a.title for a, _ in show["episodes"]] == ["les-1", "les-2", "les-3"]  # course order
    assert show["feed_url"] == "http://127.0.0.1:8000/podcast/cursus/feed.xml"


def test_broken_episodes_are_reported_and_left_out(collected):
    build, _, articles = collected
    assert [a.title for a in articles] == ["les-2", "les-1", "les-3"]
    lines = [str(problem) for problem in build.report.problems]
    assert any("dubbel.md: Audio: audio/les-3.mp3 is also the audio of" in line for line in lines)
    assert any("weg.md: Audio: audio/weg.mp3 does not exist" in line for line in lines)


def test_the_state_lives_on_the_build_not_in_the_module(collected):
    build, podcast, _ = collected
    assert build.existing_state("podcast") is podcast
    assert not [name for name, value in vars(glue).items() if isinstance(value, glue.Podcast)]
    other = make_build(build.content.parent / "ander")
    assert other.existing_state("podcast") is None  # a new build starts empty
