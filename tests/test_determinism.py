"""Unchanged input gives byte-identical output, whatever the machine's locale, time zone, the
order in which the file system lists a folder, Python's hash seed or the state of the cache.

The input is the generated test site (tests/fixture_site.py) plus traps for order dependence:
articles and podcast episodes published at the same minute, duplicate article and page
addresses, tags and categories that differ only in case, two pages with the same file name,
standalone MP3 episodes of one date.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests import audio_fixtures as af
from tests import fixture_site as site
from tests.sitecheck import ROOT, build

REORDERED_PELICAN = [sys.executable, str(ROOT / "tests" / "reordered_pelican.py")]
TMPFS = Path("/dev/shm")  # tmpfs lists a folder newest entry first

# A category of the site, and the same name in other cases (one category, whichever comes first).
CATEGORY = site.ARTICLES[2].category
FIRST_EPISODE = site.EPISODES[0]
TRAPS = {
    "articles/tweeling-a.md": (
        f"Title: Tweeling A\nDate: 2025-09-01 09:00\nCategory: {CATEGORY}\n"
        "Tags: Water, oogst\nSummary: Eerste van drie op dezelfde minuut.\n\nTekst A.\n"
    ),
    "articles/nieuw/tweeling-b.md": (
        f"Title: Tweeling B\nDate: 2025-09-01 09:00\nCategory: {CATEGORY.lower()}\n"
        "Tags: water, Oogst\nSummary: Tweede van drie op dezelfde minuut.\n\nTekst B.\n"
    ),
    "articles/tweeling-c.md": (
        f"Title: Tweeling C\nDate: 2025-09-01 09:00\nCategory: {CATEGORY.title()}\n"
        "Tags: WATER\n\nTekst C.\n"
    ),
    # The same address as tweeling-a: one of the two is left out (and reported).
    "articles/nieuw/dubbel.md": (
        f"Title: Dubbel\nDate: 2025-09-01 09:00\nSlug: tweeling-a\nCategory: {CATEGORY}\n\nX.\n"
    ),
    "pages/info/contact.md": "Title: Contact\nSlug: contact\n\nMail ons.\n",
    "pages/extra/contact.md": "Title: Contact (oud)\nSlug: contact-oud\n\nVroeger.\n",
    "pages/extra/kopie.md": "Title: Kopie\nSlug: contact\n\nDezelfde plek.\n",  # left out
    "podcast/gelijk-1.md": (
        f"Title: Gelijk een\nDate: {FIRST_EPISODE.date}\nCategory: {site.PODCAST_CATEGORY}\n"
        f"Podcast: {FIRST_EPISODE.show}\n"
        "Audio: audio/gelijk-1.mp3\nSummary: Zelfde moment als aflevering 1.\n\nNotities.\n"
    ),
    "podcast/gelijk-2.md": (
        f"Title: Gelijk twee\nDate: {FIRST_EPISODE.date}\nCategory: {site.PODCAST_CATEGORY}\n"
        f"Podcast: {FIRST_EPISODE.show}\n"
        "Audio: audio/gelijk-2.mp3\nSummary: Ook op dat moment.\n\nNotities.\n"
    ),
}


def trap_files() -> dict[str, bytes]:
    files = {name: text.encode() for name, text in TRAPS.items()}
    for number in (1, 2):
        files[f"audio/gelijk-{number}.mp3"] = af.tag(
            af.encode(2, seed=40 + number), title=f"Gelijk {number}"
        )
        files[f"podcast/los-{number}.mp3"] = af.tag(
            af.encode(2, seed=50 + number),
            title=f"Los {number}",
            album=site.PODCAST_TITLE,
            date="2026-06-11",
        )
    return files


def copy_content(target: Path, files: dict[str, bytes], newest_first: bool) -> Path:
    """The test site plus the traps, every folder entry created in sorted order (or the
    reverse), so a tmpfs lists the two copies in opposite orders. Every file gets the same time
    (Pelican's cache looks at it)."""
    for name, data in sorted({**site.files(), **files}.items(), reverse=newest_first):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (site.FILE_TIME, site.FILE_TIME))
    return target


def digest_tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def differences(first: Path, second: Path) -> list[str]:
    """Every file that is not the same in both outputs, with the first line that differs."""
    a, b = digest_tree(first), digest_tree(second)
    found = [f"only in the first build: {name}" for name in sorted(a.keys() - b.keys())]
    found += [f"only in the second build: {name}" for name in sorted(b.keys() - a.keys())]
    for name in sorted(a.keys() & b.keys()):
        if a[name] == b[name]:
            continue
        lines = zip(
            (first / name).read_bytes().splitlines(),
            (second / name).read_bytes().splitlines(),
            strict=False,
        )
        where = next(((n, x, y) for n, (x, y) in enumerate(lines, 1) if x != y), None)
        found.append(
            f"{name} differs"
            + (f" at line {where[0]}:\n  {where[1][:200]!r}\n  {where[2][:200]!r}" if where else "")
        )
    return found


def assert_identical(first: Path, second: Path) -> None:
    assert (first / "index.html").is_file() and (second / "index.html").is_file()
    found = differences(first, second)
    assert not found, "the two builds differ:\n" + "\n".join(found)


def test_two_builds_are_byte_identical_across_locale_and_time_zone(tmp_path):
    first = build(tmp_path / "a", env={"TZ": "America/Los_Angeles", "LC_ALL": "C", "LANG": "C"})
    second = build(
        tmp_path / "b", env={"TZ": "Asia/Tokyo", "LC_ALL": "C.UTF-8", "LANG": "nl_NL.UTF-8"}
    )
    assert_identical(first, second)


# --- File-system order, hash seed, cache ---------------------------------------------------


@pytest.fixture(scope="module")
def order_builds():
    """The trap content twice on tmpfs (created in opposite orders) and a reference build."""
    assert TMPFS.is_dir(), "these tests need a tmpfs at /dev/shm (standard on Linux)"
    root = Path(tempfile.mkdtemp(prefix="schitter-order-", dir=TMPFS))
    files = trap_files()
    forward = copy_content(root / "forward" / "content", files, newest_first=False)
    backward = copy_content(root / "backward" / "content", files, newest_first=True)
    reference = build_with(root / "reference", forward, hash_seed=0)
    yield root, forward, backward, reference
    shutil.rmtree(root, ignore_errors=True)


def build_with(
    output: Path, content: Path, hash_seed: int, order: str = "", cache: Path | None = None
) -> Path:
    return build(
        output,
        content=content,
        overrides=site.overrides(),
        cache=cache,
        command=REORDERED_PELICAN,
        env={"PYTHONHASHSEED": str(hash_seed), "SCHITTER_DIR_ORDER": order},
    )


def test_the_traps_are_on_the_site(order_builds):
    _root, _forward, _backward, reference = order_builds
    for page in ("tweeling-a", "tweeling-b", "tweeling-c", "contact", "contact-oud"):
        assert (reference / page / "index.html").is_file(), page
    feed = (reference / "podcast" / FIRST_EPISODE.show / "feed.xml").read_text()
    for title in ("Gelijk een", "Gelijk twee", "Los 1", "Los 2"):
        assert f"<title>{title}</title>" in feed


def test_tmpfs_copies_list_in_opposite_orders(order_builds):
    _root, forward, backward, _reference = order_builds
    for folder in ("", "articles", "audio", "podcast"):
        listed = os.listdir(forward / folder)
        assert listed == list(reversed(os.listdir(backward / folder)))
        assert listed != sorted(listed)  # created in sorted order, listed newest first


def test_content_listed_in_the_opposite_order_builds_the_same_site(order_builds):
    root, _forward, backward, reference = order_builds
    assert_identical(reference, build_with(root / "backward-out", backward, hash_seed=1))


@pytest.mark.parametrize("order", ["reversed", "shuffled:7", "shuffled:2024"])
def test_reordered_directory_listings_build_the_same_site(order_builds, order):
    root, forward, _backward, reference = order_builds
    seed = sum(map(ord, order))
    output = build_with(root / f"out-{order}", forward, hash_seed=seed, order=order)
    assert_identical(reference, output)


def test_a_warm_cache_builds_the_same_site_as_a_cold_one(order_builds):
    root, forward, _backward, reference = order_builds
    cache = root / "cache"
    build_with(root / "cold", forward, hash_seed=3, cache=cache)
    cached = {path.name for path in cache.rglob("*") if path.is_file()}
    assert {"ArticlesGenerator-Readers", "PagesGenerator-Readers"} <= cached, cached
    warm = build_with(root / "warm", forward, hash_seed=4, order="reversed", cache=cache)
    assert_identical(reference, warm)


def test_publish_builds_are_the_same_whatever_the_directory_order(order_builds):
    """Strict builds: precompressed copies, real file copies and the GUID registry the build
    writes into the content folder (the duplicate addresses would fail them: left out)."""
    root = order_builds[0]
    reported = {"articles/nieuw/dubbel.md", "pages/extra/kopie.md"}
    files = {k: v for k, v in trap_files().items() if k not in reported}
    outputs, registries = [], []
    for number, (newest_first, order) in enumerate([(False, ""), (True, "shuffled:11")]):
        content = copy_content(root / f"publish-{number}" / "content", files, newest_first)
        outputs.append(
            build(
                root / f"publish-{number}" / "output",
                settings="publishconf.py",
                content=content,
                overrides=site.overrides(),
                command=REORDERED_PELICAN,
                env={"PYTHONHASHSEED": str(10 + number), "SCHITTER_DIR_ORDER": order},
            )
        )
        registries.append((content / "podcast-guids.json").read_bytes())
    assert (outputs[0] / "index.html.gz").is_file() and (outputs[0] / "index.html.br").is_file()
    assert b"audio/gelijk-2.mp3" in registries[0]  # the new episodes were recorded
    assert registries[0] == registries[1]
    assert_identical(*outputs)
