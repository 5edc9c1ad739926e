"""Pictures that fit the phone (issue 18): resized copies, <picture>/srcset, cached, deterministic.

Unit tests of the pure parts (widths, encoding, markup), then real builds of a fixture site with
an article picture (`Image:`), pictures in the body, a transparent PNG, a photo turned by its
EXIF orientation and a broken file.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from plugins.images.markup import Picture, rewrite_images, tag_attributes
from plugins.images.variants import (
    ImageProblem,
    encode,
    plan,
    read_facts,
    widths_for,
)
from tests import fixture_site
from tests.sitecheck import parse_page, resolve_local, run_pelican

WIDTHS = (480, 800, 1200)


def jpeg(width: int, height: int, orientation: int | None = None, color=(200, 90, 40)) -> bytes:
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, 40):  # some detail, so the encoders have work to do
        image.paste((20, 40, 160), (x, 0, x + 10, height))
    buffer = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x0132] = "2026:01:01 10:00:00"  # DateTime: must not reach the copies
    image.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def transparent_png(width: int, height: int) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 128, 0, 0))
    image.paste((255, 0, 0, 255), (10, 10, width // 2, height // 2))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- pure parts -------------------------------------------------------------------------------


def test_widths_never_enlarge_a_picture():
    assert widths_for(1200, WIDTHS) == (480, 800, 1200)
    assert widths_for(3000, WIDTHS) == (480, 800, 1200)
    assert widths_for(600, WIDTHS) == (480, 600)
    assert widths_for(300, WIDTHS) == (300,)


def test_copies_are_deterministic_resized_and_without_exif():
    data = jpeg(1600, 900)
    facts = read_facts(data)
    copies = plan("images/foto.jpg", facts, WIDTHS, "webp", "sizes")
    # Every width in WebP, and one JPEG for browsers and feed readers without WebP.
    assert [(c.width, c.height, c.ext) for c in copies] == [
        (480, 270, "webp"),
        (800, 450, "webp"),
        (1200, 675, "webp"),
        (800, 450, "jpg"),
    ]
    assert copies[0].path == "sizes/images/foto-480w.webp"
    first, second = encode(data, copies, 80), encode(data, copies, 80)
    assert first == second
    for copy in copies:
        with Image.open(io.BytesIO(first[copy.path])) as image:
            assert image.size == (copy.width, copy.height)
            assert image.format == {"webp": "WEBP", "jpg": "JPEG"}[copy.ext]
            assert not image.getexif(), "EXIF (dates, GPS, camera) must not be published"
    # The modern copy is the smaller one: that is the point of it.
    assert len(first["sizes/images/foto-800w.webp"]) < len(first["sizes/images/foto-800w.jpg"])


def test_exif_orientation_is_applied_before_resizing():
    facts = read_facts(jpeg(1000, 500, orientation=6))  # 6: shown turned 90° clockwise
    assert (facts.width, facts.height) == (500, 1000)


def test_a_transparent_png_keeps_its_transparency_in_a_png_fallback():
    data = transparent_png(900, 300)
    facts = read_facts(data)
    assert facts.transparent
    copies = plan("images/logo.png", facts, WIDTHS, "webp", "sizes")
    assert {c.ext for c in copies} == {"webp", "png"}
    made = encode(data, copies, 80)
    with Image.open(io.BytesIO(made["sizes/images/logo-800w.png"])) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def test_avif_can_be_chosen():
    data = jpeg(700, 400)
    copies = plan("images/a.jpg", read_facts(data), WIDTHS, "avif", "sizes")
    made = encode(data, copies, 60)
    with Image.open(io.BytesIO(made["sizes/images/a-480w.avif"])) as image:
        assert image.format == "AVIF" and image.size == (480, 274)


def test_an_unreadable_file_is_a_problem_not_a_traceback():
    with pytest.raises(ImageProblem, match="not an image Pillow can read"):
        read_facts(b"GIF89a but not really")


PICTURE = Picture(
    src="{static}/s/a-800w.jpg",
    width=1200,
    height=600,
    modern_type="image/webp",
    modern=(("/s/a-480w.webp", 480), ("/s/a-1200w.webp", 1200)),
    fallback="/s/a-800w.jpg",
    alt='Een "kalender" <met> afspraken',
)


def test_picture_markup():
    html = str(PICTURE.html("100vw", first=True, css_class="entry__picture"))
    assert html.startswith('<picture class="entry__picture"><source type="image/webp" ')
    assert 'srcset="/s/a-480w.webp 480w, /s/a-1200w.webp 1200w" sizes="100vw"' in html
    assert '<img src="{static}/s/a-800w.jpg"' in html and html.count("srcset") == 1
    assert 'width="1200" height="600"' in html
    assert 'alt="Een &#34;kalender&#34; &lt;met&gt; afspraken"' in html
    assert 'fetchpriority="high"' in html and "loading=" not in html
    later = str(PICTURE.html("100vw"))
    assert 'loading="lazy"' in later and "fetchpriority" not in later


def test_body_images_become_pictures_the_first_one_loads_first():
    body = (
        '<p><img alt="een" src="{static}/images/a.jpg"></p>'
        '<p><img src="{static}/images/a.jpg" alt="twee" title="T"></p>'
        '<p><img src="https://elders.example/b.jpg" alt="elders"></p>'
        '<p><img src="{static}/images/a.jpg" srcset="/eigen.jpg 2x" alt="eigen"></p>'
    )

    def picture_for(src):
        return PICTURE if src == "{static}/images/a.jpg" else None

    rewritten, made = rewrite_images(body, picture_for, "50vw", first_is_taken=False)
    assert made == 2
    pictures = re.findall(r"<picture>.*?</picture>", rewritten)
    first, second = (tag_attributes(re.search(r"<img[^>]*>", p).group(0)) for p in pictures)
    assert first["alt"] == "een" and first["fetchpriority"] == "high"
    assert 'sizes="50vw"' in pictures[0]
    assert first["src"] == "{static}/s/a-800w.jpg"  # Pelican resolves it (in feeds too)
    assert second["alt"] == "twee" and second["title"] == "T" and second["loading"] == "lazy"
    assert '<img src="https://elders.example/b.jpg" alt="elders">' in rewritten
    assert 'srcset="/eigen.jpg 2x"' in rewritten  # the author chose: left as written
    _, _ = rewrite_images(body, picture_for, "50vw", first_is_taken=True)
    after_hero, _ = rewrite_images(body, picture_for, "50vw", first_is_taken=True)
    assert "fetchpriority" not in after_hero


# --- real builds ------------------------------------------------------------------------------

ARTICLE = """Title: Een artikel met foto's
Date: 2026-02-01 10:00
Slug: met-fotos
Image: images/foto.jpg
ImageAlt: Een oranje muur met blauwe strepen

Eerste alinea.

![Een staand portret]({static}/images/staand.jpg)

![Een logo met een doorzichtige achtergrond]({static}/images/logo.png)

![Een vector]({static}/images/teken.svg)
"""
SECOND = """Title: Tweede artikel
Date: 2026-01-01 10:00
Slug: tweede
Image: images/klein.jpg
ImageAlt: Klein plaatje

Tekst.
"""
BROKEN = """Title: Kapotte foto
Date: 2025-12-01 10:00
Slug: kapot
Image: images/kapot.jpg

Tekst.
"""


@pytest.fixture(scope="module")
def picture_site(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("pictures") / "content"
    # The generated site's favicons and link-preview image (never the author's content/).
    fixture_site.write_site(content, only=("extra/", fixture_site.DEFAULT_IMAGE))
    (content / "articles").mkdir(parents=True)
    images = content / "images"
    (images / "foto.jpg").write_bytes(jpeg(1600, 900))
    (images / "staand.jpg").write_bytes(jpeg(1000, 600, orientation=6))
    (images / "logo.png").write_bytes(transparent_png(900, 300))
    (images / "klein.jpg").write_bytes(jpeg(400, 300))
    (images / "teken.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (content / "articles" / "met-fotos.md").write_text(ARTICLE)
    (content / "articles" / "tweede.md").write_text(SECOND)
    return content


SETTINGS = {"SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE, "RATINGS_STORE": ""}


def run(out: Path, content: Path, overrides: dict | None = None, **kwargs):
    return run_pelican(out, content=content, overrides={**SETTINGS, **(overrides or {})}, **kwargs)


def build_pictures(content: Path, out: Path, cache: Path, **kwargs):
    result = run(out, content, cache=cache, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def built(picture_site, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pictures-build")
    return build_pictures(picture_site, work / "out", work / "cache")


def pictures_in(page: Path) -> list[dict]:
    """Each <picture> of a page: its <source> and <img> attributes."""
    found = []
    for markup in re.findall(r"<picture[^>]*>.*?</picture>", page.read_text(), re.S):
        source = tag_attributes(re.search(r"<source[^>]*>", markup).group(0))
        img = tag_attributes(re.search(r"<img[^>]*>", markup).group(0))
        found.append({"source": source, "img": img, "markup": markup})
    return found


def check_srcset(out: Path, page: Path, srcset: str, kind: str) -> list[int]:
    """Every copy in ``srcset`` exists, is as wide as it says and of the right format."""
    widths = []
    for candidate in srcset.split(","):
        url, descriptor = candidate.split()
        target = resolve_local(out, page, url)
        assert target is not None and target.is_file(), url
        with Image.open(target) as image:
            assert f"{image.width}w" == descriptor, url
            assert image.format == kind, url
        widths.append(image.width)
    return widths


def test_article_page_shows_its_image_and_body_pictures_in_every_size(built):
    page = built / "met-fotos" / "index.html"
    assert not parse_page(page).errors
    hero, portrait, logo = pictures_in(page)
    # The article's Image:, first on the page: loads at once, the others wait.
    assert 'class="entry__picture"' in hero["markup"]
    assert hero["img"]["alt"] == "Een oranje muur met blauwe strepen"
    assert hero["img"]["fetchpriority"] == "high" and "loading" not in hero["img"]
    assert (hero["img"]["width"], hero["img"]["height"]) == ("1200", "675")
    assert hero["source"]["type"] == "image/webp"
    assert check_srcset(built, page, hero["source"]["srcset"], "WEBP") == [480, 800, 1200]
    # One JPEG for browsers and feed readers without WebP; the original stays in the site.
    assert hero["img"]["src"] == "/sizes/images/foto-800w.jpg" and "srcset" not in hero["img"]
    with Image.open(built / "sizes" / "images" / "foto-800w.jpg") as fallback:
        assert (fallback.format, fallback.size) == ("JPEG", (800, 450))
    assert (built / "images" / "foto.jpg").is_file()
    # Body pictures: lazy, with the alt text the author wrote, turned by their EXIF orientation.
    assert portrait["img"]["loading"] == "lazy" and "fetchpriority" not in portrait["img"]
    assert portrait["img"]["alt"] == "Een staand portret"
    assert (portrait["img"]["width"], portrait["img"]["height"]) == ("600", "1000")
    assert check_srcset(built, page, portrait["source"]["srcset"], "WEBP") == [480, 600]
    assert portrait["source"]["sizes"] == "(min-width: 48rem) 41rem, 100vw"
    # In a body, Pelican resolved the fallback's {static} link like any static file's.
    assert portrait["img"]["src"] == "/sizes/images/staand-600w.jpg"
    assert logo["img"]["src"] == "/sizes/images/logo-800w.png"
    assert check_srcset(built, page, logo["source"]["srcset"], "WEBP") == [480, 800, 900]
    # An SVG is sharp at every size: shown as it is.
    assert re.search(r'<img alt="Een vector" src="/images/teken.svg"', page.read_text())


def test_link_preview_keeps_the_original_jpeg(built):
    source = (built / "met-fotos" / "index.html").read_text()
    preview = re.search(r'<meta property="og:image" content="([^"]+)"', source).group(1)
    assert preview.endswith("/images/foto.jpg")


def test_cards_show_the_picture_only_the_first_loads_at_once(built):
    page = built / "index.html"
    assert not parse_page(page).errors
    # (A summary taken from the body may hold the body's pictures too: those are lazy.)
    first, second = [p for p in pictures_in(page) if 'class="card__picture"' in p["markup"]]
    assert 'fetchpriority="high"' not in page.read_text().replace(first["markup"], "")
    assert first["img"]["alt"] == "Een oranje muur met blauwe strepen"
    assert first["img"]["fetchpriority"] == "high"
    assert second["img"]["loading"] == "lazy" and "fetchpriority" not in second["img"]
    # A picture narrower than every wanted width gets one copy at its own width.
    assert check_srcset(built, page, second["source"]["srcset"], "WEBP") == [400]


def test_copies_are_published_by_pelicans_static_step(built):
    """Development builds hard-link static files: the copies are links to the stored ones."""
    copy = built / "sizes" / "images" / "foto-800w.webp"
    stored = list((built.parent / "cache" / "images").glob("*/800w.webp"))
    assert any(copy.samefile(s) for s in stored)


def test_warm_rebuild_encodes_nothing_and_writes_the_same_bytes(picture_site, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build_pictures(picture_site, out, cache)
    stored = {p: p.stat().st_mtime_ns for p in (cache / "images").rglob("*w.*")}
    first = {p.relative_to(out): p.read_bytes() for p in (out / "sizes").rglob("*") if p.is_file()}
    assert len(stored) == len(first) > 10
    build_pictures(picture_site, out, cache)
    assert {p: p.stat().st_mtime_ns for p in (cache / "images").rglob("*w.*")} == stored
    again = {p.relative_to(out): p.read_bytes() for p in (out / "sizes").rglob("*") if p.is_file()}
    assert again == first
    # A fresh cache on another run makes byte-identical copies (deterministic).
    fresh = build_pictures(picture_site, tmp_path / "fresh", tmp_path / "fresh-cache")
    assert {
        p.relative_to(fresh): p.read_bytes() for p in (fresh / "sizes").rglob("*") if p.is_file()
    } == first


def test_publish_build_copies_with_absolute_urls(picture_site, tmp_path):
    out = tmp_path / "out"
    build_pictures(picture_site, out, tmp_path / "cache", settings="publishconf.py")
    copy = out / "sizes" / "images" / "foto-480w.webp"
    assert copy.is_file() and copy.stat().st_nlink == 1  # a real copy, not a link
    (hero, *_) = pictures_in(out / "met-fotos" / "index.html")
    assert hero["source"]["srcset"].startswith(
        "https://communitykompas.nl/sizes/images/foto-480w.webp 480w"
    )
    assert hero["img"]["src"] == "https://communitykompas.nl/sizes/images/foto-800w.jpg"
    # The feed's copy of the body points at the fallback with the site's full address.
    feed = (out / "feeds" / "alles.atom.xml").read_text()
    assert "https://communitykompas.nl/sizes/images/staand-600w.jpg" in feed


def test_a_broken_picture_is_one_report_line(picture_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(picture_site, content)
    (content / "images" / "kapot.jpg").write_bytes(b"\xff\xd8 dit is geen foto")
    (content / "articles" / "kapot.md").write_text(
        BROKEN + "\n![Kapot]({static}/images/kapot.jpg)\n"
    )
    result = run(tmp_path / "out", content)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output
    # In the body: reported by the images; as the Image: by sharing (its preview), once each.
    body = "content/articles/kapot.md: image: images/kapot.jpg is not an image Pillow can read"
    field = "content/articles/kapot.md: Image: "
    summary = output[output.index("The build found") :]
    assert summary.count(body) == 1 and summary.count(field) == 1, output
    assert "(no JPEG, PNG or WebP data)" in output
    page = (tmp_path / "out" / "kapot" / "index.html").read_text()
    assert "<picture" not in page and '<img alt="Kapot" src="/images/kapot.jpg"' in page
    strict = run(tmp_path / "strict", content, settings="publishconf.py")
    assert strict.returncode == 1, strict.stdout + strict.stderr


def test_wrong_image_settings_are_reported_and_replaced(picture_site, tmp_path):
    result = run(
        tmp_path / "out",
        picture_site,
        overrides={"IMAGES_FORMAT": "jpeg2000", "IMAGES_WIDTHS": [0, "groot"]},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "IMAGES_FORMAT: 'jpeg2000' is not a format the build can write" in output
    assert "IMAGES_WIDTHS:" in output
    assert (tmp_path / "out" / "sizes" / "images" / "foto-800w.webp").is_file()


def test_images_can_be_switched_off(picture_site, tmp_path):
    out = build_pictures(
        picture_site, tmp_path / "out", tmp_path / "cache", overrides={"IMAGES_ENABLED": False}
    )
    html = (out / "met-fotos" / "index.html").read_text()
    assert "<picture" not in html and not (out / "sizes").exists()
    hero = tag_attributes(re.search(r'<img class="entry__picture"[^>]*>', html).group(0))
    assert hero["src"] == "/images/foto.jpg" and (hero["width"], hero["height"]) == ("1600", "900")
    assert '<img alt="Een staand portret" src="/images/staand.jpg">' in html
