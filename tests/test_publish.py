"""Atomic publishing and the content check: the real `invoke release` / `publish` / `check` on a
copy of the project whose content/ is the generated test site.

A good build replaces the published folder in one step; a broken build (the strict publish
build fails on it) exits non-zero with the build report and changes nothing: not the published
folder, not var/publish-latest, and it leaves no half-written build behind. `invoke check` runs
the same strict build into a throwaway folder and changes nothing at all.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tasks
from tests import fixture_site
from tests.sitecheck import ROOT

INVOKE = str(Path(sys.executable).parent / "invoke")
PROJECT_PARTS = ["theme", "plugins", "schitter", "pelicanconf.py", "publishconf.py", "tasks.py"]
BROKEN_ARTICLE = "Title: Kapot\nDate: 2026-13-45\n\nEen datum die niet bestaat.\n"


@pytest.fixture
def project(tmp_path) -> Path:
    """The parts of the project a publish build needs, in a folder of its own, with the
    generated test site as its content/ (and its settings at the end of pelicanconf.py)."""
    root = tmp_path / "project"
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            root.mkdir(exist_ok=True)
            shutil.copy2(source, root / part)
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write(fixture_site.settings_source())
    fixture_site.write_site(root / "content")
    return root


def run_task(project: Path, task: str, served: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCHITTER_SSH_", "INVOKE_"))}
    env.pop("SCHITTER_PUBLISH_DIR", None)
    if served is not None:
        env["SCHITTER_PUBLISH_DIR"] = str(served)
    env["COLUMNS"] = "200"  # fewer wrapped log lines
    return subprocess.run(
        [INVOKE, task], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )


def digest_tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def latest(project: Path) -> Path:
    link = project / "var" / "publish-latest"
    assert link.is_symlink()
    return link.parent / os.readlink(link)


def leftovers(*folders: Path) -> list[str]:
    """Half-written or staged folders that must not survive a publish run."""
    return [
        p.name
        for folder in folders
        if folder.exists()
        for p in folder.iterdir()
        if p.name.endswith((".partial", ".new", ".old"))
    ]


def test_publish_puts_the_complete_build_in_the_served_folder(project):
    served = project.parent / "www" / "site"
    first = run_task(project, "publish", served)
    assert first.returncode == 0, first.stdout + first.stderr
    build = latest(project)
    assert build.name.startswith("publish-2") and build.is_dir()
    site = digest_tree(served)
    assert site == digest_tree(build)
    for page in ("index.html", "index.html.gz", "sitemap.xml", "feeds/alles.atom.xml"):
        assert page in site, page
    assert f"podcast/{fixture_site.PODCAST}/feed.xml" in site and "ratings/manifest.json" in site
    assert any(name.startswith("audio/") and name.endswith(".mp3") for name in site)
    assert not leftovers(project / "var", served.parent)

    # The author changes an article and publishes again: the new build replaces the old one.
    article = fixture_site.ARTICLES[-1]
    source = project / "content" / article.source
    source.write_text(source.read_text().replace(f"Title: {article.title}", "Title: Nieuwe titel"))
    second = run_task(project, "publish", served)
    assert second.returncode == 0, second.stdout + second.stderr
    assert latest(project) != build and build.is_dir()  # the previous build stays for rollback
    assert digest_tree(served) == digest_tree(latest(project))
    assert "Nieuwe titel" in (served / article.slug / "index.html").read_text()
    assert not leftovers(project / "var", served.parent)


@pytest.mark.parametrize("task", ["release", "publish"])
def test_a_broken_build_publishes_nothing_and_changes_nothing(project, task):
    served = project.parent / "www" / "site"
    good = run_task(project, "publish", served)
    assert good.returncode == 0, good.stdout + good.stderr
    before = {
        "site": digest_tree(served),
        "var": sorted(p.name for p in (project / "var").iterdir()),
        "latest": latest(project),
    }
    (project / "content" / "articles" / "kapot.md").write_text(BROKEN_ARTICLE)

    result = run_task(project, task, served)

    log = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, log
    assert "Traceback" not in log and "UnexpectedExit" not in log
    assert "The build found 1 problem(s) and fails" in log
    assert "content/articles/kapot.md: Date: '2026-13-45' is not a date" in log
    assert (
        "The publish build failed (pelican exit code 1): nothing was published, "
        f"var/publish-latest still points at the last good build ({before['latest'].name})." in log
    )
    assert digest_tree(served) == before["site"]
    assert sorted(p.name for p in (project / "var").iterdir()) == before["var"]
    assert latest(project) == before["latest"]
    assert not leftovers(project / "var", served.parent)


def test_publish_without_a_destination_says_what_to_set(project):
    result = run_task(project, "publish")
    assert result.returncode == 1
    assert "Set SCHITTER_PUBLISH_DIR to the folder the site is served from" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "var").exists()  # nothing was built


# --- The deploy steps on their own ----------------------------------------------------------


def make_build(folder: Path, text: str) -> Path:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "sub" / "page.html").write_text(text + " sub")
    return folder


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_deploy_to_folder_replaces_the_served_folder(tmp_path, monkeypatch, exchange):
    if not exchange:  # systems without renameat2 (or file systems that refuse it)
        monkeypatch.setattr(tasks, "_exchange", lambda first, second: False)
    served = tmp_path / "www" / "site"
    tasks.deploy_to_folder(make_build(tmp_path / "one", "een"), served)  # first deploy
    assert (served / "index.html").read_text() == "een"
    (served / "stale.html").write_text("from an older site")
    tasks.deploy_to_folder(make_build(tmp_path / "two", "twee"), served)
    assert digest_tree(served) == digest_tree(tmp_path / "two")  # stale.html is gone
    assert sorted(p.name for p in served.parent.iterdir()) == ["site"]
    assert (tmp_path / "two" / "index.html").read_text() == "twee"  # the build is kept


def test_rsync_switches_the_server_over_at_the_end():
    command = tasks.rsync_command(Path("/p/var/publish-1"), "sanne@host:/srv/site/", "2222")
    assert command[0] == "rsync"
    assert {"--delay-updates", "--delete-after", "--checksum", "--archive"} <= set(command)
    assert "--delete" not in command  # deleting during the transfer would break pages early
    assert command[command.index("-e") + 1] == "ssh -p 2222"
    assert command[-2:] == ["/p/var/publish-1/", "sanne@host:/srv/site/"]  # the contents


# --- invoke check: the author's own content, strictly, with nothing changed -----------------


def untouched_state(project: Path) -> tuple:
    """content/ byte for byte, and what lies next to it (no var/, cache/ or output/ appears);
    Python's own __pycache__ folders are not the check's doing."""
    return digest_tree(project / "content"), sorted(
        p.name for p in project.iterdir() if p.name != "__pycache__"
    )


def test_check_lists_the_problems_of_content_and_changes_nothing(project):
    # Episodes not published yet: a publish build would record their GUIDs in content/.
    (project / "content" / fixture_site.GUID_REGISTRY).unlink()
    before = untouched_state(project)
    good = run_task(project, "check")
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.splitlines()[-1] == "No problems found in content/"
    # A publish build records GUIDs in content/; the check writes nothing, anywhere.
    assert untouched_state(project) == before

    (project / "content" / "articles" / "kapot.md").write_text(BROKEN_ARTICLE)
    before = untouched_state(project)
    broken = run_task(project, "check")

    assert broken.returncode == 1, broken.stdout + broken.stderr
    lines = (broken.stdout + broken.stderr).splitlines()
    assert "Traceback" not in broken.stderr
    listed = lines[lines.index("The build found 1 problem(s) and fails:") + 1 :]
    assert listed[0] == (
        "  - content/articles/kapot.md: Date: '2026-13-45' is not a date Pelican can read "
        "('2026-13-45' is not a valid date); left out — write it as YYYY-MM-DD or YYYY-MM-DD "
        "HH:MM, e.g. 2026-11-21 09:30; leave out the time zone (TIMEZONE applies) or use an "
        "offset such as +01:00"
    )
    assert listed[1:] == [
        "Problems found in content/ (listed above): fix them from top to bottom and run "
        "`invoke check` again. Nothing was published and content/ was not changed."
    ]
    assert untouched_state(project) == before
