"""Unchanged input gives byte-identical output, whatever the machine's locale or time zone."""

from __future__ import annotations

import hashlib

from tests.sitecheck import build


def digest_tree(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_two_builds_are_byte_identical_across_locale_and_time_zone(tmp_path):
    first = build(tmp_path / "a", env={"TZ": "America/Los_Angeles", "LC_ALL": "C", "LANG": "C"})
    second = build(
        tmp_path / "b", env={"TZ": "Asia/Tokyo", "LC_ALL": "C.UTF-8", "LANG": "nl_NL.UTF-8"}
    )
    a, b = digest_tree(first), digest_tree(second)
    assert a.keys() == b.keys()
    different = sorted(name for name in a if a[name] != b[name])
    assert not different, f"files differ between two builds: {different}"
