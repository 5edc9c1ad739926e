"""Page weight budget: an article and an episode page load in one round trip (issue 6).

HTML + CSS + JS + icons (everything but audio and photos), gzipped as a web server sends them,
must fit in 14 KB, in at most 4 requests, none of them to another host. Sizes of a build are
deterministic, so this is a test rather than a benchmark.
"""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

import pytest

from tests import fixture_site
from tests.sitecheck import build, parse_page, resolve_local

BUDGET_BYTES = 14 * 1024
BUDGET_REQUESTS = 4
PHOTO_OR_AUDIO = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".mp3", ".m4a", ".vtt", ".srt")
PAGES = {  # the longest article of the generated site, and a lesson with chapters
    "article": f"{fixture_site.LONG_ARTICLE.slug}/index.html",
    "episode": f"{fixture_site.LESSONS[0].slug}/index.html",
}


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The generated site as readers get it: with the ratings widget talking to its service."""
    return build(
        tmp_path_factory.mktemp("weight") / "output",
        env={"SCHITTER_RATINGS_URL": "http://127.0.0.1:8001"},
    )


def loaded_resources(output, page_path):
    """Local files the browser fetches while loading the page (not links, audio or photos)."""
    page = parse_page(page_path)
    fetched = []
    for tag, attr, attrs in page.links:
        url = attrs[attr]
        if url.startswith("data:"):
            continue
        fetch = (
            tag in ("script", "img", "audio", "source", "video", "iframe")
            and attr == "src"
            or tag == "link"
            and attrs.get("rel") in ("stylesheet", "icon", "preload", "modulepreload", "manifest")
        )
        if not fetch:
            continue
        assert urlsplit(url).hostname in (None, "127.0.0.1"), f"third-party request: {url}"
        if urlsplit(url).path.lower().endswith(PHOTO_OR_AUDIO):
            continue
        target = resolve_local(output, page_path, url)
        assert target is not None and target.is_file(), url
        fetched.append(target)
    return fetched


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_page_fits_in_one_round_trip(served_site, kind):
    page_path = served_site / PAGES[kind]
    resources = loaded_resources(served_site, page_path)
    sizes = {
        path.relative_to(served_site).as_posix(): len(gzip.compress(path.read_bytes(), 9))
        for path in [page_path, *resources]
    }
    total = sum(sizes.values())
    assert total <= BUDGET_BYTES, f"{kind}: {total} bytes gzipped > {BUDGET_BYTES}: {sizes}"

    # The rating widget fetches the live score after load: that request counts too.
    live_score = "data-rating-service=" in page_path.read_text()
    requests = 1 + len(resources) + int(live_score)
    assert requests <= BUDGET_REQUESTS, f"{kind}: {requests} requests: {sorted(sizes)}"


def test_every_page_fits_in_one_round_trip(served_site):
    """Lists, the search page, the 404 page…: every page of the site keeps the budget, and no
    page loads the search bundle before the reader searches."""
    over = []
    for page_path in sorted(served_site.rglob("*.html")):
        if page_path.is_relative_to(served_site / "pagefind"):
            continue
        resources = loaded_resources(served_site, page_path)
        assert not [r for r in resources if "pagefind" in r.parts], page_path
        total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in [page_path, *resources])
        live_score = "data-rating-service=" in page_path.read_text()
        requests = 1 + len(resources) + int(live_score)
        if total > BUDGET_BYTES or requests > BUDGET_REQUESTS:
            over.append(f"{page_path.relative_to(served_site)}: {total} B, {requests} requests")
    assert not over, over
    assert (served_site / "zoeken" / "index.html").is_file()


def test_theme_css_and_js_are_minified_in_the_output(served_site):
    from pathlib import Path

    theme = Path(__file__).resolve().parent.parent / "theme" / "static"
    for name in ("css/site.css", "js/site.js", "js/search.js"):
        built = (served_site / "theme" / name).read_text()
        source = (theme / name).read_text()
        assert len(built) < 0.9 * len(source), name
        assert "/*" not in built.replace("/*!", ""), f"{name} still has comments"


def test_publish_build_precompresses_text_files(publish_site):
    page = publish_site / PAGES["article"]
    packed = page.with_name(page.name + ".gz")
    assert gzip.decompress(packed.read_bytes()) == page.read_bytes()
    import brotli

    assert brotli.decompress(page.with_name(page.name + ".br").read_bytes()) == page.read_bytes()
    assert not list(publish_site.rglob("*.mp3.gz")), "audio is not worth compressing"


def test_inline_favicon_is_a_complete_svg(served_site):
    import re
    from urllib.parse import unquote

    html = (served_site / "index.html").read_text()
    uri = re.search(r'<link rel="icon" href="(data:image/svg\+xml,[^"]+)"', html).group(1)
    assert "#" not in uri, "an unencoded # would end the data: URI early"
    assert " " not in uri, "a URL may not contain a space (the Nu HTML Checker refuses it)"
    svg = unquote(uri.split(",", 1)[1])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
