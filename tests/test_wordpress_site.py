"""Moving a WordPress site end to end: import the Dutch fixture export and Pelican's own sample
with the real command, build strictly, follow every old address on the development server,
nginx and Caddy, read the feeds with real parsers, and import again."""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest

from reader_service.backends import open_store
from schitter import redirect_check
from tests import audio_fixtures as af
from tests import wordpress_fixtures as fx
from tests.nu_checker import nu_errors
from tests.sitecheck import ROOT, parse_page, run_pelican
from tests.test_wordpress_import import PELICAN_SAMPLE
from tests.web_servers import serving

PUBLISH_URL = "https://communitykompas.nl"


def new_site(folder: Path) -> Path:
    """A fresh Schitter content folder: what the author has before importing."""
    content = folder / "content"
    af.write(content / "images" / "podcast-cover.jpg", af.cover_jpeg(1400))
    af.write(content / "images" / "cursus-cover.jpg", af.cover_jpeg(1400, color=(0, 90, 60)))
    af.write(content / "images" / "standaard-deelafbeelding.jpg", af.cover_jpeg((1200, 630)))
    af.write(content / "extra" / "favicon.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    return content


def run_import(export: Path, content: Path, *extra: str) -> subprocess.CompletedProcess:
    var = content.parent / "var"
    command = [sys.executable, "-m", "schitter.wordpress", str(export), "--content", str(content)]
    command += ["--var", str(var), "--ratings-database", str(var / "ratings.sqlite3"), *extra]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def snapshot(content: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(content)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }


def strict_build(content: Path, output: Path) -> subprocess.CompletedProcess:
    """The publish build, with the comments read from the store the import wrote them into."""
    var = content.parent / "var"
    var.mkdir(exist_ok=True)
    secret = var / "secret"
    if not secret.exists():
        secret.write_text("a-test-secret-of-enough-length\n")
    store = {"COMMENTS_SNAPSHOT_URL": "", "COMMENTS_SECRET_FILE": str(secret)}
    if (var / "ratings.sqlite3").exists():
        store["COMMENTS_STORE"] = str(var / "ratings.sqlite3")
    return run_pelican(output, settings="publishconf.py", content=content, overrides=store)


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """The fixture export imported into a new site and built with the publish settings."""
    folder = tmp_path_factory.mktemp("moved")
    export, uploads = fx.write_export(folder / "wordpress")
    content = new_site(folder)
    first = run_import(export, content, "--uploads", str(uploads))
    assert first.returncode == 0, first.stderr
    built = strict_build(content, folder / "output")
    return {
        "folder": folder,
        "export": export,
        "uploads": uploads,
        "content": content,
        "output": folder / "output",
        "import": first,
        "build": built,
    }


def test_the_import_reports_what_it_did_and_what_not(moved):
    out = moved["import"].stdout
    assert out.startswith(f"Imported {moved['export']} into {moved['content']}/:\n")
    assert "13 articles, 1 podcast episodes, 2 pages, 4 of them drafts, 1 of them scheduled" in out
    assert "5 approved comments, 1 pending comments, 2 spam/trash comments dropped" in out
    assert "4 votes (WP-PostRatings)" in out and "Votes: imported 4 vote(s) for 1 item(s)" in out
    assert "Comments: 5 approved and 1 pending comment(s) imported (2 of them replies)" in out
    assert "[mc4wp_form] removed: the newsletter form" in out
    assert "wp-content/uploads/2024/03/weg.jpg is not in the uploads copy" in out
    assert '"new_feed_url": "https://www.communitykompas.nl/feed/podcast/",' in out
    assert moved["import"].stderr == ""


def test_the_site_builds_strictly_with_no_problems(moved):
    build = moved["build"]
    assert build.returncode == 0, build.stdout + build.stderr
    assert "problem" not in build.stdout + build.stderr
    output = moved["output"]
    for name in (
        "ritme-in-je-community",
        "klassieke-editor",
        "aflevering-1",
        "over-mij",
        "contact",
    ):
        assert (output / name / "index.html").is_file(), name
    assert not (output / "gepland").exists() and not (output / "een-concept").exists()
    page = (output / "ritme-in-je-community" / "index.html").read_text()
    # Shown as a <picture> of resized copies of the imported file (plugins/images).
    assert f'src="{PUBLISH_URL}/sizes/images/2024/03/kalender-' in page
    assert (output / "images" / "2024" / "03" / "kalender.jpg").read_bytes() == (
        moved["uploads"] / "2024" / "03" / "kalender.jpg"
    ).read_bytes()


def test_hostile_title_and_comment_are_inert(moved):
    page = (moved["output"] / "vijandige-titel" / "index.html").read_text()
    assert '<script>alert("titel")' not in page and "&lt;script&gt;alert(" in page
    everything = b"".join(p.read_bytes() for p in moved["output"].rglob("*") if p.is_file())
    for private in (fx.PRIVATE_EMAIL, "alert(&quot;reactie", 'alert("reactie', "192.0.2."):
        assert private.encode() not in everything
    comments = moved["folder"] / "var" / "wordpress-import" / "comments.json"
    assert stat.S_IMODE(comments.stat().st_mode) == 0o600  # holds e-mail addresses
    assert (
        json.loads(comments.read_text())["items"]["ritme-in-je-community"][0]["author"] == "Joris"
    )


def test_imported_comments_are_on_the_page_threaded(moved):
    page = (moved["output"] / "ritme-in-je-community" / "index.html").read_text()
    section = page[page.index('class="comments"') :]
    section = section[: section.index("</section>")]
    replies = section[section.index('class="comments__replies"') :]
    replies = replies[: replies.index("</ol>")]
    assert section.count('<article class="comment"') == 5  # the approved ones, not the pending
    assert replies.count('<article class="comment"') == 2  # 2 and 3, both under comment 1
    assert "Leuk!" in section and "<img" not in section and "alert(" not in section
    assert fx.PRIVATE_EMAIL not in page


def test_feeds_keep_the_old_ids(moved):
    atom = feedparser.parse(str(moved["output"] / "feeds" / "alles.atom.xml"))
    ids = {entry.link: entry.id for entry in atom.entries}
    assert ids[f"{PUBLISH_URL}/ritme-in-je-community/"] == f"{fx.SITE}/?p=102"
    assert ids[f"{PUBLISH_URL}/%C3%A9%C3%A9n-twee/"] == f"{fx.SITE}/?p=113"
    rss = feedparser.parse(str(moved["output"] / "feeds" / "alles.rss.xml"))
    assert {e.id for e in rss.entries} == set(ids.values())
    show = podcastparser.parse(
        f"{PUBLISH_URL}/podcast/community-kompas/feed.xml",
        io.BytesIO((moved["output"] / "podcast" / "community-kompas" / "feed.xml").read_bytes()),
    )
    assert [episode["guid"] for episode in show["episodes"]] == [f"{fx.SITE}/?p=120"]
    assert show["episodes"][0]["enclosures"][0]["url"].endswith("/audio/2024/07/aflevering-1.mp3")


def test_votes_are_in_the_ratings_store_under_the_stable_id(moved):
    store = open_store(str(moved["folder"] / "var" / "ratings.sqlite3"))
    try:
        score = store.scores()["welkom"]
    finally:
        store.close()
    assert (score.count, score.total) == (4, 18)


def redirect_map(output: Path) -> dict:
    return json.loads((output / "redirects" / "map.json").read_text())


def test_redirect_pages_are_valid_translated_and_point_at_pages_that_exist(moved):
    output = moved["output"]
    paths = redirect_map(output)["paths"]
    assert paths["/2024/03/15/weekritme/"] == "/ritme-in-je-community/"
    assert paths["/2024/05/11/één-twee/"] == "/%C3%A9%C3%A9n-twee/"
    assert "/over-mij/" not in paths  # WordPress's address is also the new one
    for old, new in paths.items():
        page = output / old.lstrip("/") / "index.html"
        parsed = parse_page(page)
        assert not parsed.errors, (old, parsed.errors)
        html = page.read_text()
        assert f'<meta http-equiv="refresh" content="0; url={PUBLISH_URL}{new}">' in html
        assert f'<link rel="canonical" href="{PUBLISH_URL}{new}">' in html
        assert "Deze pagina is verhuisd" in html and "Naar het nieuwe adres" in html
        target = output / new.lstrip("/").replace("%C3%A9", "é")
        assert (target / "index.html").is_file() or target.is_file(), (old, new)


def test_every_old_address_arrives_on_the_development_server(moved):
    out = io.StringIO()
    assert redirect_check.main([str(moved["output"])], out=out) == 0, out.getvalue()
    count = len(redirect_check.old_addresses(redirect_map(moved["output"])))
    assert count > 100 and out.getvalue().startswith(f"{count} old address(es) checked")
    assert out.getvalue().endswith(": all arrive\n")


@pytest.mark.parametrize("server", ["nginx", "caddy"])
def test_every_old_address_arrives_through_the_server_snippets(moved, server, tmp_path):
    with serving(server, moved["output"], tmp_path) as base:
        results = redirect_check.check_all(base, redirect_map(moved["output"]))
        assert [r for r in results if r.problem] == [] and len(results) > 100
        # A newsletter's tracking parameter does not stop the old address from working.
        status, headers, _ = redirect_check._get(base, "/?utm_source=nieuwsbrief&p=102")
        assert status == 301 and headers["location"].endswith("/ritme-in-je-community/")
        status, headers, _ = redirect_check._get(base, "/2024/03/15/weekritme")  # no slash
        assert status == 301 and headers["location"].endswith("/ritme-in-je-community/")


def test_the_check_reports_an_address_that_does_not_arrive(moved, tmp_path):
    output = tmp_path / "output"
    shutil.copytree(moved["output"], output)
    shutil.rmtree(output / "ritme-in-je-community")
    out = io.StringIO()
    assert redirect_check.main([str(output)], out=out) == 1
    assert "  - /2024/03/15/weekritme/: the new address answers 404 (expected /ritme-in" in (
        out.getvalue()
    )


def test_a_second_import_changes_nothing(moved):
    before = snapshot(moved["content"])
    again = run_import(moved["export"], moved["content"], "--uploads", str(moved["uploads"]))
    assert again.returncode == 0, again.stderr
    assert "Files: 0 new, 0 updated, 21 unchanged (nothing changed)" in again.stdout
    assert snapshot(moved["content"]) == before
    assert "Votes: imported 4 vote(s) for 1 item(s)" in again.stdout  # replaced, not added
    test_votes_are_in_the_ratings_store_under_the_stable_id(moved)


def test_edits_since_the_import_are_kept_and_listed(moved, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(moved["content"], content)
    edited = content / "articles" / "welkom.md"
    edited.write_text(edited.read_text().replace("Het eerste bericht.", "Herschreven."))
    (content / "articles" / "half-drie-een.md").unlink()
    result = run_import(moved["export"], content, "--uploads", str(moved["uploads"]))
    assert result.returncode == 0, result.stderr
    assert f"{content}/articles/welkom.md: you edited it since the last import; kept" in (
        result.stdout
    )
    assert "half-drie-een.md: you deleted it since the last import; not written again" in (
        result.stdout
    )
    assert "Herschreven." in edited.read_text()
    assert not (content / "articles" / "half-drie-een.md").exists()


def test_a_dry_run_writes_nothing(moved, tmp_path):
    content = new_site(tmp_path)
    before = snapshot(content)
    result = run_import(moved["export"], content, "--uploads", str(moved["uploads"]), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Would import (dry run, nothing written)")
    assert "Files: 21 new, 0 updated, 0 unchanged" in result.stdout
    assert snapshot(content) == before and not (tmp_path / "var").exists()


@pytest.mark.parametrize("document", [fx.ENTITY_BOMB, fx.EXTERNAL_ENTITY])
def test_a_hostile_export_is_refused_and_changes_nothing(tmp_path, document):
    content = new_site(tmp_path)
    before = snapshot(content)
    export = tmp_path / "export.xml"
    export.write_text(document)
    result = run_import(export, content)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"WordPress import: {export}: the export declares XML entities or external "
        "references (" + result.stderr.split("references (", 1)[1].split("\n")[0],
        "Nothing was changed.",
    ]
    assert "lollollol" not in result.stderr and snapshot(content) == before


def test_pelicans_sample_export_moves_too(tmp_path):
    content = new_site(tmp_path)
    first = run_import(PELICAN_SAMPLE, content)
    assert first.returncode == 0, first.stderr
    assert "11 articles, 2 pages, 4 of them drafts, 3 items skipped" in first.stdout
    built = strict_build(content, tmp_path / "output")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "problem" not in built.stdout + built.stderr
    out = io.StringIO()
    assert redirect_check.main([str(tmp_path / "output")], out=out) == 0, out.getvalue()
    before = snapshot(content)
    again = run_import(PELICAN_SAMPLE, content)
    assert "(nothing changed)" in again.stdout and snapshot(content) == before


def test_every_page_of_the_moved_site_passes_the_nu_html_checker(moved):
    pages = sorted(moved["output"].rglob("*.html"))
    assert len(pages) > 100  # articles, pages, archives and every redirect page
    assert nu_errors(pages) == []


def test_votes_that_cannot_be_stored_are_a_line_and_exit_status_1(moved, tmp_path):
    content = new_site(tmp_path)
    (tmp_path / "a-folder.sqlite3").mkdir()  # not a database
    result = run_import(
        moved["export"], content, "--ratings-database", str(tmp_path / "a-folder.sqlite3")
    )
    assert result.returncode == 1 and result.stderr == ""
    assert (
        f"  - Votes: not imported (ratings admin: {tmp_path}/a-folder.sqlite3: unable to open "
        "database file) — fix that and run the import again" in result.stdout
    )
    assert (content / "articles" / "welkom.md").is_file()
