"""The README's examples, copied into a site of their own and built (issue 13): what the README
tells an author to write must build without a single problem line, and come out as it says."""

from __future__ import annotations

import re
import shutil

import pytest

from tests import audio_fixtures as af
from tests import fixture_site
from tests.fixture_media import picture
from tests.nu_checker import nu_errors
from tests.sitecheck import ROOT, html_pages, run_pelican

README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(after: str, language: str, index: int = 0) -> str:
    """The ``index``-th fenced block of ``language`` after the heading or text ``after``."""
    rest = README[README.index(after) :]
    return re.findall(rf"```{language}\n(.*?)```", rest, flags=re.S)[index]


def settings_of(code: str) -> dict:
    values: dict = {}
    exec(code, {}, values)  # the README's settings examples are plain assignments
    return values


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("readme")
    # Generated pictures under the names the examples use, and the generated favicons.
    content = fixture_site.write_site(root / "content", only=("extra/",))
    for name, size in {
        "ritme.jpg": (1200, 630),  # the article's Image:
        "cursus-cover.jpg": (1400, 1400),  # the show's artwork
        "sanne.jpg": (400, 400),  # the host's picture
        "standaard-deelafbeelding.jpg": (1200, 630),  # SHARE_DEFAULT_IMAGE
    }.items():
        (content / "images").mkdir(exist_ok=True)
        (content / "images" / name).write_bytes(picture(size, (40, 90, 60)))
    article = block("## Writing an article", "markdown")
    lesson = block("### Een les of aflevering publiceren", "markdown")
    (content / "articles").mkdir()
    (content / "articles" / "ritme.md").write_text(article, encoding="utf-8")
    # What the example links to: another article and a picture.
    (content / "articles" / "ander-artikel.md").write_text(
        "Title: Ander artikel\nDate: 2026-09-01\n\nTekst.\n", encoding="utf-8"
    )
    shutil.copy(content / "images" / "ritme.jpg", content / "images" / "foto.jpg")
    (content / "cursus").mkdir()
    (content / "cursus" / "les-2.md").write_text(lesson, encoding="utf-8")
    af.write(content / "audio" / "les-2-de-eerste-honderd-leden.mp3", af.encode(3))
    shows = settings_of(block("### Configuring a show", "python"))
    # The example is one entry of PODCAST_SHOWS; its podroll names the site's other show.
    other = fixture_site.shows()[fixture_site.PODCAST]
    shows["PODCAST_SHOWS"]["community-kompas"] = {**other, "artwork": "images/cursus-cover.jpg"}
    # The course with a personal schedule: its example edits PODCAST_SHOWS as the README shows.
    exec(block("### A course with a personal schedule (`drip`)", "python"), {}, shows)
    newsletter = settings_of(block("The block's words are settings too", "python"))
    newsletter["NEWSLETTER_ACTION"] = settings_of(block("## Newsletter signup", "python"))[
        "NEWSLETTER_ACTION"
    ]
    share = settings_of(block("Example (`pelicanconf.py`):", "python"))
    share["SHARE_PODCAST_IMAGES"] = {}  # the example's image is the author's own
    result = run_pelican(
        root / "output", content=content, overrides={**shows, **newsletter, **share}
    )
    return root / "output", result.stdout + result.stderr, result.returncode, newsletter


def test_the_examples_build_without_a_problem(built):
    output, log, code, _ = built
    assert code == 0, log
    assert "The build found" not in log, log


def test_the_article_comes_out_as_the_readme_says(built):
    output, _, _, newsletter = built
    page = (output / "waarom-je-community-een-ritme-nodig-heeft" / "index.html").read_text()
    assert '<h1 class="entry__title p-name">Waarom je community een ritme nodig heeft</h1>' in page
    assert 'href="/ander-artikel/"' in page
    # the picture is published (as resized copies of images/foto.jpg: plugins/images)
    assert re.search(r'src="/[^"]*foto[^"]*\.jpg"', page), page
    assert "{filename}" not in page and "{static}" not in page
    assert (output / "categorie" / "community-bouwen" / "index.html").is_file()
    assert (output / "tag" / "ritme" / "index.html").is_file()
    assert newsletter["NEWSLETTER_HEADING"] in page
    # The demo's block signs up for the course (NEWSLETTER_COURSE), on the service the README names.
    signup = "https://communitykompas.nl/api/ratings/course/succesvollere-communities/signup"
    assert f'<form class="newsletter__form" action="{signup}" method="post">' in page
    lesson = (output / "les-2-de-eerste-honderd-leden" / "index.html").read_text()
    assert "<audio" in lesson
    feed = (output / "podcast" / "succesvollere-communities" / "feed.xml").read_text()
    assert "Les 2: De eerste honderd leden" in feed


def test_the_example_pages_are_valid_html(built):
    output = built[0]
    found = nu_errors(html_pages(output), relative_to=output)
    assert not found, "\n".join(found)
