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


def comments_store(folder, comments: int) -> dict:
    """A reader service store (and its secret) with ``comments`` approved comments on the
    article: the comments section and its form, as readers get them."""
    from reader_service import comments_store as store_sql
    from reader_service.backends import open_store
    from reader_service.comments import Submission, render

    database, secret = folder / "store.sqlite3", folder / "secret"
    secret.write_text("page-weight-secret-0123456789")
    store = open_store(str(database))
    item = PAGES["article"].split("/")[0]
    for number in range(comments):
        body = f"Een reactie van gemiddelde lengte, nummer {number}, met een *nadruk* erin."
        submission = Submission(item, f"Lezer {number}", "", "", body, None, False)
        comment = store_sql.add_comment(
            store, submission, render(body), "net", 1_767_000_000 + number, False
        )
        store_sql.set_status(store, comment.id, "approved", 1_767_000_100)
    store.close()
    return {"COMMENTS_STORE": str(database), "COMMENTS_SECRET_FILE": str(secret)}


def served(folder, comments: int = 0):
    return build(
        folder / "output",
        env={
            "SCHITTER_RATINGS_URL": "http://127.0.0.1:8001",
            "SCHITTER_COMMENTS_URL": "http://127.0.0.1:8001",
        },
        overrides=comments_store(folder, comments),
    )


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """The generated site as readers get it: the ratings widget and the comments section with its
    form talking to the service. Readers' comments are content, like the article's own text:
    the budget is for the page without them (each one adds about 90 bytes gzipped, measured in
    test_each_comment_adds_little)."""
    return served(tmp_path_factory.mktemp("weight"))


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

    # The rating widget fetches the live score after load: that request counts too. The live
    # comments come when the reader reaches them (site.js waits until they come into view).
    html = page_path.read_text()
    live_score = "data-rating-service=" in html
    requests = 1 + len(resources) + int(live_score)
    assert requests <= BUDGET_REQUESTS, f"{kind}: {requests} requests: {sorted(sizes)}"
    if kind == "article":
        assert 'id="reageren"' in html  # weighed with the comment form


def test_an_article_loads_only_the_parts_it_uses(served_site):
    """An article's stylesheet and script have no episode list or audio player in them; an
    episode's have the player's part; a list page's have the lists' part."""
    article = (served_site / PAGES["article"]).read_text()
    episode = (served_site / PAGES["episode"]).read_text()
    assert 'href="/theme/css/site.css"' in article and 'src="/theme/js/site.js"' in article
    assert 'href="/theme/css/podcast.css"' in episode and 'src="/theme/js/podcast.js"' in episode
    assert 'href="/theme/css/lists.css"' in (served_site / "index.html").read_text()
    theme = served_site / "theme"
    site_css, podcast_css = (
        (theme / "css/site.css").read_text(),
        (theme / "css/podcast.css").read_text(),
    )
    lists_css = (theme / "css/lists.css").read_text()
    assert ".player" not in site_css and ".episode-list" not in site_css
    assert ".player" in podcast_css and ".episode-list" not in podcast_css
    assert ".player" in lists_css and ".episode-list" in lists_css and ".rating" in lists_css
    assert "data-seek" not in (theme / "js/site.js").read_text()
    assert "data-seek" in (theme / "js/podcast.js").read_text()
    assert "data-rating-service" in (theme / "js/podcast.js").read_text()


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


def test_each_comment_adds_little(served_site, tmp_path):
    """Five comments on the article: what each costs the page, gzipped."""
    with_comments = served(tmp_path, comments=5)
    page = PAGES["article"]
    empty = len(gzip.compress((served_site / page).read_bytes(), 9))
    five = len(gzip.compress((with_comments / page).read_bytes(), 9))
    assert "Lezer 4" in (with_comments / page).read_text()
    assert (five - empty) / 5 < 150, f"{(five - empty) / 5:.0f} bytes per comment"
