"""sharing's glue, in-process: which image a link preview shows, and the share block per kind.

A small site model is made by hand (no Pelican run): the glue only reads the model and the
settings, so this is what every build does, in milliseconds.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from PIL import Image

from plugins.core.build import Build
from plugins.core.problems import Report
from plugins.core.site import Item, Show
from plugins.sharing.glue import Sharing

DUTCH = {
    "Cover art of the podcast %(show)s": "Omslagafbeelding van de podcast %(show)s",
    "Will you help me share this episode?": "Help je mij deze aflevering te delen?",
    "Will you help me share this lesson?": "Help je mij deze les te delen?",
}


def make_build(tmp_path: Path, **settings) -> Build:
    content = tmp_path / "content"
    for name, size in (
        ("cursus.jpg", (1400, 1400)),
        ("eigen.jpg", (1200, 630)),
        ("standaard.jpg", (1200, 630)),
        ("foto.jpg", (800, 600)),
    ):
        (content / "images").mkdir(parents=True, exist_ok=True)
        Image.new("RGB", size).save(content / "images" / name)
    base = {
        "PATH": str(content),
        "STATIC_PATHS": ["images"],
        "SITENAME": "Kompas",
        "SHARE_DEFAULT_IMAGE": "images/standaard.jpg",
    }
    build = Build(
        settings={**base, **settings},
        context={},
        report=Report(),
        content=content,
        base_url="https://example.nl",
        settings_file="pelicanconf.py",
    )
    build.gettext = lambda message: DUTCH.get(message, message)
    return build


def item(kind="article", image="", show=None) -> Item:
    content = SimpleNamespace(
        source_path="content/articles/a.md",
        metadata={},
        authors=[],
        tags=[],
        category="Cursus",
        summary="Over <em>ritme</em>.",
    )
    return Item(
        kind=kind,
        id="a",
        title="Een titel",
        url="https://example.nl/a/",
        path="a/",
        source="articles/a.md",
        content=content,
        image=image,
        image_alt="Alt",
        show=show,
    )


COURSE = Show(
    "cursus",
    "Succesvolle communities & meer",
    "images/cursus.jpg",
    "https://example.nl/podcast/cursus/",
    "https://example.nl/podcast/cursus/feed.xml",
    serial=True,
)


def test_the_items_own_image_comes_first(tmp_path):
    sharing = Sharing(make_build(tmp_path))
    preview = sharing.preview(item(image="images/foto.jpg", show=COURSE))
    assert preview.image.url == "https://example.nl/images/foto.jpg"
    assert (preview.image.width, preview.image.height, preview.image.alt) == (800, 600, "Alt")


def test_an_episode_without_image_shows_its_shows_cover_named_in_the_site_language(tmp_path):
    sharing = Sharing(make_build(tmp_path))
    preview = sharing.preview(item(kind="lesson", show=COURSE))
    assert preview.image.url == "https://example.nl/images/cursus.jpg"
    assert preview.image.alt == "Omslagafbeelding van de podcast Succesvolle communities & meer"
    assert preview.twitter_card == "summary"  # square cover: the small card


def test_share_podcast_images_overrides_the_show_cover(tmp_path):
    build = make_build(tmp_path, SHARE_PODCAST_IMAGES={"cursus": "images/eigen.jpg"})
    preview = Sharing(build).preview(item(kind="lesson", show=COURSE))
    assert preview.image.url == "https://example.nl/images/eigen.jpg"


def test_otherwise_the_site_default_and_a_missing_own_image_is_reported(tmp_path):
    build = make_build(tmp_path)
    preview = Sharing(build).preview(item(image="images/weg.jpg"))
    assert preview.image.url == "https://example.nl/images/standaard.jpg"
    (problem,) = build.report.problems
    assert problem.field == "Image" and "weg.jpg" in problem.message


def test_episodes_and_lessons_get_their_own_call_to_action(tmp_path):
    sharing = Sharing(make_build(tmp_path))
    episode = item(kind="episode", show=COURSE)
    block = sharing.share_block(episode, sharing.preview(episode))
    assert block.call_to_action == "Help je mij deze aflevering te delen?"
    lesson = item(kind="lesson", show=COURSE)  # a course's, as its rating says "deze les"
    block = sharing.share_block(lesson, sharing.preview(lesson))
    assert block.call_to_action == "Help je mij deze les te delen?"
    assert [link.name for link in block.links][:2] == ["whatsapp", "linkedin"]
