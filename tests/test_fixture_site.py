"""The suite builds the site it generates (tests/fixture_site.py), never the author's content/.

Proof that an author's edits cannot break `make test`: every build without a content folder of
its own builds a fresh copy of the generated site next to its output, a build of content/ is
refused, and nothing of content/ ends up in the shared builds. The generated site itself is
deterministic and has what the demo exercises.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from mutagen.id3 import ID3
from PIL import Image

from tests import fixture_site
from tests.sitecheck import AUTHOR_CONTENT, PELICAN, ROOT, fixture_content, run_pelican


def digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_build_without_content_builds_a_fresh_generated_site(tmp_path):
    result = run_pelican(tmp_path / "out")
    assert result.returncode == 0, result.stdout + result.stderr
    built = Path(result.args[len(PELICAN)])  # the content folder Pelican was given
    assert built == fixture_content(tmp_path / "out")
    assert not built.resolve().is_relative_to(AUTHOR_CONTENT.resolve())
    assert digests(built) == {
        name: hashlib.sha256(data).hexdigest() for name, data in fixture_site.files().items()
    }


def test_building_the_authors_content_is_refused(tmp_path):
    for content in (AUTHOR_CONTENT, AUTHOR_CONTENT / "articles"):
        with pytest.raises(AssertionError, match="must not build the author's content/"):
            run_pelican(tmp_path / "out", content=content)
    assert not (tmp_path / "out").exists()


def test_the_shared_builds_hold_nothing_from_content(dev_site, en_site, publish_site):
    """Not one file of content/ (an MP3, an image, an article's page) is in a shared build, and
    every shared build's content folder is a generated one next to it."""
    authors = set(digests(AUTHOR_CONTENT).values()) if AUTHOR_CONTENT.is_dir() else set()
    for site in (dev_site, en_site, publish_site):
        assert fixture_content(site).is_dir()
        assert not fixture_content(site).resolve().is_relative_to(AUTHOR_CONTENT.resolve())
        built = set(digests(site).values())
        assert not built & authors, f"{site} holds files of content/"
        for item in fixture_site.PUBLISHED:
            assert (site / item.slug / "index.html").is_file(), item.slug


def test_the_generated_site_is_the_same_in_every_process(tmp_path):
    script = (
        "import hashlib, json, sys; sys.path.insert(0, sys.argv[1]);"
        "from tests import fixture_site;"
        "print(json.dumps({n: hashlib.sha256(d).hexdigest()"
        " for n, d in fixture_site.files().items()}))"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    here = digests(fixture_site.write_site(tmp_path / "content"))
    assert json.loads(other.stdout) == here
    times = {p.stat().st_mtime for p in (tmp_path / "content").rglob("*") if p.is_file()}
    assert times == {fixture_site.FILE_TIME}


def test_the_generated_site_has_what_the_demo_exercises():
    files = fixture_site.files()
    texts = {name: data.decode() for name, data in files.items() if name.endswith(".md")}
    articles = [texts[a.source] for a in fixture_site.ARTICLES]
    for field in ("Modified:", "Image:", "ImageAlt:", "Summary:", "Tags:"):
        assert any(f"\n{field} " in text for text in articles), field
    assert {a.category for a in fixture_site.ARTICLES} >= {"Samen tuinieren", "Seizoenen & oogst"}
    everything = "\n".join(texts.values())
    assert "]({filename}/" in everything and "]({static}/" in everything
    assert len(fixture_site.PAGES) == 2
    # Show artwork: square, 1400 px at least; every other picture small.
    for artwork in (fixture_site.COURSE_ARTWORK, fixture_site.PODCAST_ARTWORK):
        with Image.open(io.BytesIO(files[artwork])) as picture:
            assert picture.size[0] == picture.size[1] >= 1400
    # The course: chapters, cover art and a transcript for lesson 1, a VBR file with a Xing
    # header, a lesson dated in the future.
    first = ID3(io.BytesIO(files[fixture_site.LESSONS[0].audio]))
    assert len(first.getall("CHAP")) == len(fixture_site.CHAPTERS) and first.getall("APIC")
    assert files[fixture_site.TRANSCRIPT].startswith(b"WEBVTT")
    assert any(b"Xing" in files[lesson.audio][:4096] for lesson in fixture_site.LESSONS)
    future = datetime.fromisoformat(fixture_site.FUTURE_LESSON.date)
    assert future.replace(tzinfo=ZoneInfo("Europe/Amsterdam")) > datetime.now(ZoneInfo("UTC"))
    # The podcast: an episode with show notes, and an MP3 without any.
    markdown_episode, mp3_only = fixture_site.EPISODES
    assert markdown_episode.source in texts
    assert mp3_only.source == mp3_only.audio and mp3_only.source.startswith("podcast/")
    assert {"extra/favicon.svg", "extra/favicon.ico", fixture_site.GUID_REGISTRY} <= set(files)
