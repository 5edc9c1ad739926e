"""Every page of every test build is valid HTML by the Nu HTML Checker (vnu.jar, issue 13).

One checker run (one JVM) per build, over all its pages; an error fails the test with every
error listed by file and line. The hostile-input builds are checked in their own test files
(test_hardening_injection.py, test_content_checks.py) with the same helper.
"""

from __future__ import annotations

import pytest

from tests.nu_checker import nu_errors
from tests.sitecheck import html_pages


@pytest.mark.parametrize("which", ["dev_site", "en_site", "publish_site"])
def test_every_page_is_valid_html(request, which):
    output = request.getfixturevalue(which)
    pages = html_pages(output)
    found = nu_errors(pages, relative_to=output)
    assert not found, f"{len(found)} Nu HTML Checker error(s) in {which}:\n" + "\n".join(found)


def test_the_checker_finds_errors(tmp_path):
    """The checker really runs: an invalid page is reported with its file and line."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>x</title></head>'
        "<body>\n<p><time>0:14</time></p></body></html>\n",
        encoding="utf-8",
    )
    found = nu_errors([page], relative_to=tmp_path)
    assert len(found) == 1 and found[0].startswith("bad.html:2."), found
    assert "time-datetime" in found[0]
