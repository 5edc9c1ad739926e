"""The tasks do what the README says, for an author who follows it (issue 13).

Every test runs the real `invoke` task on a project of its own: the code, the theme and the
settings copied next to a small content folder the test writes (an article, an episode with an
MP3 made on the spot), served over loopback where the task serves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests import audio_fixtures as af
from tests import fixture_site
from tests.sitecheck import ROOT, build

INVOKE = str(Path(sys.executable).parent / "invoke")
CODE = ["theme", "plugins", "schitter", "reader_service", "pelicanconf.py", "publishconf.py"]
CODE.append("tasks.py")
ARTICLE = (
    "Title: Een eerste artikel\nDate: 2026-01-05 09:30\nCategory: Community bouwen\n"
    "Slug: eerste\nSummary: Een korte samenvatting.\n\nDe tekst, met een link naar "
    "[de aflevering]({filename}/podcast/afl.md).\n"
)
EPISODE = (
    "Title: Aflevering 1: Het begin\nDate: 2026-01-06 07:00\nCategory: Podcast\n"
    f"Slug: afl-1\nPodcast: {fixture_site.PODCAST}\nEpisode: 1\nAudio: audio/afl.mp3\n\n"
    "Shownotes.\n"
)
FEED = f"podcast/{fixture_site.PODCAST}/feed.xml"
BROKEN_IMAGE = (
    "Title: Met foto\nDate: 2026-01-07\nSlug: met-foto\n\n"
    "![foto]({static}/images/bestaat-niet.jpg)\n"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for part in CODE:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / part)
    # The generated site's settings (its shows, menu, share image) at the end of pelicanconf.py,
    # its pictures and favicons in content/, and articles and an episode of this test's own.
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(fixture_site.settings_source())
    content = fixture_site.write_site(root / "content", only=("images/", "extra/"))
    (content / "articles").mkdir()
    (content / "articles" / "eerste.md").write_text(ARTICLE, encoding="utf-8")
    (content / "podcast").mkdir()
    (content / "podcast" / "afl.md").write_text(EPISODE, encoding="utf-8")
    af.write(content / "audio" / "afl.mp3", af.encode(3))
    (content / "podcast-guids.json").write_text("{}\n", encoding="utf-8")
    return root


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCHITTER_", "INVOKE_"))}
    env.update(COLUMNS="200", **extra)
    return env


def run_task(project: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [INVOKE, *args],
        cwd=project,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def digest_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class Running:
    """A task that serves (`invoke serve`, `invoke preview`), stopped with its process group."""

    def __init__(self, project: Path, *args: str, **env):
        self.log = project / f"{args[0]}.log"
        self.process = subprocess.Popen(
            [INVOKE, *args],
            cwd=project,
            env=environment(**env),
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_for(self, url: str, seconds: float = 120) -> bytes:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.text()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    return response.read()
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"{url} did not answer:\n{self.text()}")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


# --- invoke build ------------------------------------------------------------------------------
def test_invoke_build_honours_default_lang_of_the_settings(project):
    settings = project / "pelicanconf.py"
    settings.write_text(
        settings.read_text().replace('DEFAULT_LANG = "nl"', 'DEFAULT_LANG = "en"'),
        encoding="utf-8",
    )
    english = run_task(project, "build")
    assert english.returncode == 0, english.stdout + english.stderr
    page = (project / "output" / "eerste" / "index.html").read_text()
    assert "Skip to content" in page and "Naar de inhoud" not in page
    dutch = run_task(project, "build", "--lang", "nl")  # --lang still overrides
    assert dutch.returncode == 0, dutch.stdout + dutch.stderr
    assert "Naar de inhoud" in (project / "output" / "eerste" / "index.html").read_text()


# --- invoke preview ----------------------------------------------------------------------------
def test_preview_builds_the_production_site_for_a_local_address_and_serves_it(project):
    port = free_port()
    before = digest_tree(project / "content")
    # The production snapshot would be fetched from the real domain: a preview never does.
    running = Running(project, "preview", "--port", str(port))
    try:
        home = running.wait_for(f"http://127.0.0.1:{port}/").decode()
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', home).group(1)
        assert stylesheet.startswith(f"http://127.0.0.1:{port}/"), stylesheet
        assert fetch(stylesheet)[0] == 200  # the page can be looked at, with its CSS
        status, article = fetch(f"http://127.0.0.1:{port}/eerste/")
        article = article.decode()
        assert status == 200 and f'href="http://127.0.0.1:{port}/afl-1/"' in article
        assert "communitykompas.nl" not in article
        assert "rating__form" not in article  # no service: no form that would post nowhere
        assert (project / "var" / "preview" / "index.html.gz").is_file()  # production output
    finally:
        running.stop()
    log = running.text()
    assert "Scores and comments are left out: the preview does not fetch the ratings and " in log
    assert "Traceback" not in log
    assert digest_tree(project / "content") == before  # no GUID recorded, nothing changed
    assert not (project / "var" / "publish-latest").exists()


def test_preview_fails_on_a_broken_image_with_the_line(project):
    (project / "content" / "articles" / "met-foto.md").write_text(BROKEN_IMAGE, encoding="utf-8")
    result = run_task(project, "preview", "--no-serve")
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    assert (
        "  - content/articles/met-foto.md: link: {static}/images/bestaat-niet.jpg points to a "
        "file that is not in the content folder" in log
    )
    assert "The preview build failed" in log and "Traceback" not in log
    assert not (project / "var" / "preview").exists()


# --- invoke release: a failed build changes nothing -------------------------------------------
def test_a_failed_release_changes_nothing_in_content_and_says_what_is_kept(project):
    content = project / "content"
    (content / "articles" / "kapot.md").write_text(
        "Title: Kapot\nDate: 2026-13-45\n\nTekst.\n", encoding="utf-8"
    )
    before = digest_tree(content)
    # No production service to fetch scores and comments from.
    offline = {"SCHITTER_RATINGS_ALLOW_MISSING": "1", "SCHITTER_COMMENTS_ALLOW_MISSING": "1"}
    failed = run_task(project, "release", **offline)
    log = " ".join((failed.stdout + failed.stderr).split())
    assert failed.returncode == 1, log
    assert "content/articles/kapot.md: Date: '2026-13-45' is not a date" in log
    assert "there is no earlier good build in var/" in log
    assert "still points at the last good build" not in log
    assert digest_tree(content) == before  # the new episode's GUID was not recorded

    (content / "articles" / "kapot.md").unlink()
    good = run_task(project, "release", **offline)
    assert good.returncode == 0, good.stdout + good.stderr
    guids = json.loads((content / "podcast-guids.json").read_text())
    assert [entry["source"] for entry in guids.values()] == ["podcast/afl.md"]
    first = os.readlink(project / "var" / "publish-latest")

    (content / "articles" / "kapot.md").write_text("Title: K\nDate: 03-04-2026\n\nT.\n")
    again = run_task(project, "release", **offline)
    log = " ".join((again.stdout + again.stderr).split())
    assert again.returncode == 1
    assert f"var/publish-latest still points at the last good build ({first})" in log


def test_the_guid_registry_is_committed_not_ignored():
    """The README says "commit content/podcast-guids.json": git must not ignore it."""
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "content/podcast-guids.json"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 1, ".gitignore ignores content/podcast-guids.json"
    assert "**commit\n  that file**" in (ROOT / "README.md").read_text()


# --- invoke serve --port -----------------------------------------------------------------------
def test_serve_on_another_port_puts_that_port_in_every_absolute_url(project):
    port = free_port()
    running = Running(project, "serve", "--port", str(port))
    try:
        running.wait_for(f"http://127.0.0.1:{port}/afl-1/")
        deadline = time.monotonic() + 60
        while "Reader service on" not in running.text() and time.monotonic() < deadline:
            time.sleep(0.2)
        ratings_port = int(
            re.search(r"Reader service on http://127.0.0.1:(\d+)", running.text()).group(1)
        )
        assert ratings_port > port  # the next free port after the site's
        status = 0
        episode = running.wait_for(f"http://127.0.0.1:{port}/afl-1/").decode()
        while "data-share-url" not in episode and time.monotonic() < deadline:
            time.sleep(0.5)  # the first build may still be writing
            episode = running.wait_for(f"http://127.0.0.1:{port}/afl-1/").decode()
        share = re.search(r'data-share-url="([^"]+)"', episode).group(1)
        assert share == f"http://127.0.0.1:{port}/afl-1/"
        assert ":8000" not in episode
        feed = f"http://127.0.0.1:{port}/{FEED}"
        assert feed in episode  # the subscribe block
        assert f'action="http://127.0.0.1:{ratings_port}/votes"' in episode
        # The service answers once it has read the manifest the first build wrote.
        health = f"http://127.0.0.1:{ratings_port}/health"
        while time.monotonic() < deadline:
            try:
                status, body = fetch(health)
                break
            except OSError as error:  # 503 until the manifest is there
                body = getattr(error, "read", lambda: b"")()
                time.sleep(0.5)
        assert status == 200, body
        feed_xml = running.wait_for(feed).decode()
        assert f"http://127.0.0.1:{port}/audio/afl.mp3" in feed_xml
    finally:
        running.stop()


# --- article feeds while developing -----------------------------------------------------------
def test_development_article_feeds_have_absolute_links_and_tag_ids(project, tmp_path):
    output = build(
        tmp_path / "output", content=project / "content", overrides=fixture_site.overrides()
    )
    atom = (output / "feeds" / "alles.atom.xml").read_text()
    assert '<link href="http://127.0.0.1:8000/eerste/" rel="alternate"/>' in atom
    assert "<id>tag:127.0.0.1,2026-01-05:/eerste/</id>" in atom
    assert "tag:None" not in atom
    assert '&lt;a href="http://127.0.0.1:8000/afl-1/"&gt;' in atom  # links in the text too
    rss = (output / "feeds" / "alles.rss.xml").read_text()
    assert "<link>http://127.0.0.1:8000/eerste/</link>" in rss
    # The pages themselves still link root-relative (they work on whatever port serves them).
    assert 'href="/afl-1/"' in (output / "eerste" / "index.html").read_text()


def test_a_missing_snapshot_names_both_ways_to_allow_it(project, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schitter.build",
            str(project / "content"),
            "-s",
            str(project / "publishconf.py"),
            "-o",
            str(tmp_path / "out"),
        ],
        cwd=project,
        env=environment(SCHITTER_RATINGS_SNAPSHOT_URL=f"http://127.0.0.1:{free_port()}/scores"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 1
    line = next(line for line in log.splitlines() if "RATINGS_SNAPSHOT_URL:" in line)
    assert "RATINGS_ALLOW_MISSING_SNAPSHOT = True" in line
    assert "SCHITTER_RATINGS_ALLOW_MISSING=1" in line
    assert "invoke preview" in line  # a local look needs no snapshot at all
