"""Broken Markdown ends in one clear line per problem, never a traceback (content_checks)."""

from __future__ import annotations

import shutil

import pytest

from tests.sitecheck import ROOT, run_pelican

GOOD = "Title: Goed artikel\nDate: 2026-01-03\nSlug: goed\n\nDit artikel is in orde.\n"
CASES = {
    # file name: (bytes, expected report line (after "content/articles/"), left out)
    "geen-titel.md": (
        b"Date: 2026-01-01\n\nGeen titel.\n",
        "geen-titel.md: Title: is missing, so the file was left out",
    ),
    "slechte-datum.md": (
        b"Title: Slechte datum\nDate: 2026-13-45\n\nTekst.\n",
        "slechte-datum.md: Date: '2026-13-45' is not a date Pelican can read",
    ),
    "tijdzone.md": (
        b"Title: Tijdzone\nDate: 2026-01-01 10:00 Mars/Olympus\n\nTekst.\n",
        "tijdzone.md: Date: '2026-01-01 10:00 Mars/Olympus' is not a date",
    ),
    "leeg.md": (b"", "leeg.md: Title: is missing, so the file was left out"),
    "binair.md": (
        bytes(range(256)) * 4,
        "binair.md: file: is not UTF-8 text (a binary file or another encoding?)",
    ),
    "spaties.md": (
        b"Title:    \nDate: 2026-01-01\n\nTekst.\n",
        "spaties.md: Title: is empty; the file was left out",
    ),
    "tweede.md": (
        b"Title: Tweede\nDate: 2026-01-05\nSlug: goed\n\nZelfde adres.\n",
        "tweede.md: Slug: 'goed' is also the address of content/articles/goed.md; "
        "this file was left out — give one of them another `Slug:`",
    ),
    "buiten.md": (
        b"Title: Buiten\nDate: 2026-01-06\nSave_as: ../../buiten.html\n\nTekst.\n",
        "buiten.md: Save_as: '../../buiten.html' would be written outside the site's folder; "
        "left out — remove the `Save_as:` line",
    ),
}


@pytest.fixture(scope="module")
def broken_content(tmp_path_factory):
    content = tmp_path_factory.mktemp("site") / "content"
    (content / "articles").mkdir(parents=True)
    # The link-preview image and the favicon, so that only the broken articles are reported.
    shutil.copytree(ROOT / "content" / "images", content / "images")
    shutil.copytree(ROOT / "content" / "extra", content / "extra")  # favicons (theme_assets)
    (content / "articles" / "goed.md").write_text(GOOD)
    lang = "Lang " * 400
    (content / "articles" / "lange-titel.md").write_text(
        f"Title: {lang}\nDate: 2026-01-04\nSlug: lange-titel\n\nTekst.\n"
    )
    for name, (data, _) in CASES.items():
        (content / "articles" / name).write_bytes(data)
    return content


def test_development_build_reports_each_problem_and_leaves_the_file_out(broken_content, tmp_path):
    result = run_pelican(tmp_path / "out", content=broken_content)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    for _, expected in CASES.values():
        assert f"content/articles/{expected}" in output
    assert f"The build found {len(CASES)} problem(s)" in output
    # Each problem is said once, in our words: Pelican's own lines about them are left out.
    assert "Could not process" not in output and "Skipping" not in output
    assert not (tmp_path.parent / "buiten.html").exists()  # out/../../buiten.html
    built = sorted(
        p.parent.name
        for p in (tmp_path / "out").glob("*/index.html")
        if "entry h-entry" in p.read_text()
    )
    assert built == ["goed", "lange-titel"]
    # The first of two files with the same address is the one that stays.
    assert "Dit artikel is in orde." in (tmp_path / "out/goed/index.html").read_text()


def test_a_warm_rebuild_reports_the_same_problems(broken_content, tmp_path):
    cache = tmp_path / "cache"
    first = run_pelican(tmp_path / "a", content=broken_content, cache=cache)
    second = run_pelican(tmp_path / "b", content=broken_content, cache=cache)
    summary = [
        line for line in (first.stdout + first.stderr).splitlines() if line.startswith("  - ")
    ]
    assert len(summary) == len(CASES)
    assert summary == [
        line for line in (second.stdout + second.stderr).splitlines() if line.startswith("  - ")
    ]


def test_publish_build_fails_with_the_same_list(broken_content, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        settings="publishconf.py",
        content=broken_content,
        overrides={"RATINGS_ALLOW_MISSING_SNAPSHOT": True},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert f"The build found {len(CASES)} problem(s) and fails" in output
    for _, expected in CASES.values():
        assert f"  - content/articles/{expected}" in output


def test_a_crash_is_never_silent_with_plain_logs(tmp_path):
    # A wrong setting that breaks a template: Pelican's own error must reach the author, also
    # with `--log-handler plain` (which the tests use), where our log handler once hid it.
    result = run_pelican(tmp_path / "out", overrides={"MENUITEMS": 5})
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "'int' object is not iterable" in output
