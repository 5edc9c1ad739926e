"""A rebuild writes only what changed and removes what the site no longer has (issue 18, speed).

Development builds keep their output folder (``DELETE_OUTPUT_DIRECTORY = False``): Pelican's
writer leaves pages with unchanged bytes alone, and what an earlier build made that this one did
not (a renamed article's page, a removed picture) is removed, nothing else.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pelican.writers import FileOverwriteFailedError

from plugins.output.files import UnchangedKept, remove, stale
from tests import fixture_site
from tests.sitecheck import PELICAN, ROOT, run_pelican

ARTICLE = "Title: {title}\nDate: 2026-0{n}-01 10:00\nSlug: {slug}\n{extra}\nTekst {n}.\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def times(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml")
    }


@pytest.fixture
def content(tmp_path) -> Path:
    content = tmp_path / "content"
    # The generated site's favicons and pictures (never the author's content/).
    pictures = (fixture_site.DEFAULT_IMAGE, "images/buren.jpg", "images/oogst.jpg")
    fixture_site.write_site(content, only=("extra/", *pictures))
    (content / "articles").mkdir(parents=True)
    for n, slug in ((1, "eerste"), (2, "tweede")):
        extra = "Image: images/buren.jpg\n" if n == 1 else "Image: images/oogst.jpg\n"
        (content / "articles" / f"{slug}.md").write_text(
            ARTICLE.format(title=slug.title(), n=n, slug=slug, extra=extra)
        )
    return content


def build(content: Path, out: Path, cache: Path, **kwargs) -> Path:
    overrides = {"SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE, "RATINGS_STORE": ""}
    result = run_pelican(out, content=content, cache=cache, overrides=overrides, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_a_rebuild_rewrites_nothing_that_did_not_change(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    before, files = times(out), tree(out)
    assert len(before) > 10
    build(content, out, cache)
    assert times(out) == before  # not one page or feed written again
    assert tree(out) == files
    # A changed article: its page is written again (and the lists that show it), not the rest.
    article = content / "articles" / "tweede.md"
    article.write_text(article.read_text().replace("Tekst 2.", "Andere tekst."))
    build(content, out, cache)
    after = times(out)
    assert after["tweede/index.html"] != before["tweede/index.html"]
    assert after["eerste/index.html"] == before["eerste/index.html"]
    assert "Andere tekst." in (out / "tweede" / "index.html").read_text()


def test_a_kept_folder_ends_up_as_a_fresh_build_would_be(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(content, out, cache)
    (out / ".git").mkdir()  # OUTPUT_RETENTION
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    # Renamed, and its picture taken out of the site.
    (content / "articles" / "tweede.md").unlink()
    (content / "images" / "oogst.jpg").unlink()
    (content / "articles" / "nieuw.md").write_text(
        ARTICLE.format(title="Nieuw", n=3, slug="nieuw", extra="")
    )
    build(content, out, cache)
    assert not (out / "tweede").exists()
    assert not (out / "images" / "oogst.jpg").exists()
    assert not list((out / "sizes" / "images").glob("oogst-*"))
    assert (out / "nieuw" / "index.html").is_file()
    assert (out / ".git" / "HEAD").is_file()
    fresh = build(content, tmp_path / "fresh", tmp_path / "fresh-cache")
    kept = {name: data for name, data in tree(out).items() if not name.startswith(".git/")}
    assert kept.keys() == tree(fresh).keys()
    pages = [n for n in kept if n.endswith((".html", ".xml", ".json", ".txt"))]
    assert {n: kept[n] for n in pages} == {n: tree(fresh)[n] for n in pages}


def test_without_a_ledger_nothing_is_removed(content, tmp_path):
    out = tmp_path / "out"
    (out / "van-iemand-anders").mkdir(parents=True)
    (out / "van-iemand-anders" / "index.html").write_text("<!doctype html><p>blijft</p>")
    build(content, out, tmp_path / "cache")
    build(content, out, tmp_path / "cache")
    assert (out / "van-iemand-anders" / "index.html").read_text() == "<!doctype html><p>blijft</p>"


def test_writer_keeps_pelicans_checks_and_replaces_a_changed_file(tmp_path):
    writer = UnchangedKept(str(tmp_path), settings={})
    path = str(tmp_path / "a.html")
    with writer._open_w(path, "utf-8") as fp:
        fp.write("één")
    assert Path(path).read_text(encoding="utf-8") == "één"
    with pytest.raises(FileOverwriteFailedError):
        writer._open_w(path, "utf-8")
    inode = os.stat(path).st_ino
    with writer._open_w(path, "utf-8", override=True) as fp:
        fp.write("twee")
    assert Path(path).read_text() == "twee" and os.stat(path).st_ino != inode
    with writer._open_w(path, "utf-8") as fp:  # after an override: later writes are skipped
        fp.write("drie")
    assert Path(path).read_text() == "twee"
    stamp = os.stat(path).st_mtime_ns
    again = UnchangedKept(str(tmp_path), settings={})
    with again._open_w(path, "utf-8") as fp:
        fp.write("twee")
    assert os.stat(path).st_mtime_ns == stamp


def test_stale_and_remove_stay_inside_the_output(tmp_path):
    assert stale(None, {"a"}) == []
    assert stale({"a", "b/c.html", ".git/x"}, {"a"}, kept_folders=[".git"]) == ["b/c.html"]
    (tmp_path / "out" / "b").mkdir(parents=True)
    (tmp_path / "out" / "b" / "c.html").write_text("x")
    (tmp_path / "out" / "b" / "c.html.gz").write_bytes(b"x")
    (tmp_path / "buiten.html").write_text("x")
    removed = remove(tmp_path / "out", ["b/c.html", "../buiten.html"])
    assert removed == ["b/c.html", "b/c.html.gz"]
    assert not (tmp_path / "out" / "b").exists()
    assert (tmp_path / "buiten.html").exists()


# -- a site that did not change renders no page (plugins/output/reuse.py) ----------------------

TAKEN = "pages of an unchanged site were taken from disk"


def rebuild(content: Path, out: Path, cache: Path, **overrides):
    """A build with Pelican's debug lines (rich handler: the plain one prints warnings only)."""
    result = run_pelican(
        out,
        content=content,
        cache=cache,
        overrides={
            "SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE,
            "RATINGS_STORE": "",
            **overrides,
        },
        command=[*PELICAN, "--debug"],
        log_handler="rich",
        env={"COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if TAKEN in line]
    return int(lines[0].split(TAKEN)[0].split()[-1]) if lines else 0


def test_an_unchanged_site_is_taken_from_disk_and_any_change_renders_again(content, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert rebuild(content, out, cache) == 0  # nothing on disk yet
    files = tree(out)
    pages = [n for n in files if n.endswith(".html")]
    # Nothing changed (also not with the content cache off): every page comes from disk, and
    # the folder is exactly what a fresh build makes.
    everything = rebuild(content, out, cache, LOAD_CONTENT_CACHE=False)
    assert everything >= len(pages)
    assert tree(out) == files
    fresh = build(content, tmp_path / "fresh", tmp_path / "fresh-cache")
    assert tree(out) == tree(fresh)
    # A setting a page shows: every page is rendered again.
    assert rebuild(content, out, cache, SITENAME="Andere naam") == 0
    assert "Andere naam" in (out / "eerste" / "index.html").read_text()
    assert rebuild(content, out, cache, SITENAME="Andere naam") > 0
    # A template of the theme: rendered again with it.
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    assert rebuild(content, out, cache, SITENAME="Andere naam", THEME=str(theme)) == 0
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("</body>", "<!-- nieuw sjabloon --></body>"))
    assert rebuild(content, out, cache, SITENAME="Andere naam", THEME=str(theme)) == 0
    assert "nieuw sjabloon" in (out / "eerste" / "index.html").read_text()
    # A page missing from disk is rendered, the rest taken.
    (out / "eerste" / "index.html").unlink()
    taken = rebuild(content, out, cache, SITENAME="Andere naam", THEME=str(theme))
    assert taken == everything - 1
    assert "nieuw sjabloon" in (out / "eerste" / "index.html").read_text()
    # A picture the page shows (a content file) changes: rendered again.
    picture = content / "images" / "buren.jpg"
    picture.write_bytes(picture.read_bytes())  # a new time stamp is enough to look again
    assert rebuild(content, out, cache, SITENAME="Andere naam", THEME=str(theme)) == 0


def test_data_from_outside_settings_and_content_are_part_of_the_digest(tmp_path):
    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from plugins.core.digest import stable
    from plugins.core.site import Item, SiteModel
    from plugins.output.reuse import site_digest

    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "THEME": str(tmp_path)}
    article = Article("<p>Tekst</p>", {"title": "Een", "slug": "een"}, settings=settings)
    item = Item("article", "een", "Een", "https://x/een/", "een/", "een.md", article)

    class Build:
        base_url = "https://x"
        content = tmp_path
        site = SiteModel([item])

    Build.outside = {}
    digest = site_digest(Build, settings, [])
    assert digest == site_digest(Build, settings, [])
    Build.outside = {"ratings": "a new vote in the snapshot"}
    assert site_digest(Build, settings, []) != digest
    changed = site_digest(Build, settings, [])
    assert site_digest(Build, {**settings, "SITENAME": "Anders"}, []) != changed
    assert site_digest(Build, {**settings, "LOAD_CONTENT_CACHE": False}, []) == changed
    (tmp_path / "nieuw.md").write_text("Title: Nieuw\n")
    assert site_digest(Build, settings, []) != changed
    # No memory addresses and no set order in the digest's text.
    assert stable({"b": {3, 1, 2}, "a": object}) == stable({"a": object, "b": {2, 3, 1}})
    assert " at 0x" not in stable(object())
