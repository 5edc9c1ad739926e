"""A full build of the generated test site (tests/fixture_site.py), checked file by file."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from tests import fixture_site
from tests.sitecheck import build, html_pages, parse_page, resolve_local, run_pelican

PUBLISH_SITEURL = "https://communitykompas.nl"
ABOUT = f"{fixture_site.PAGES[0].slug}/index.html"
# Attributes that make the browser fetch something while the page loads (not plain links).
RESOURCE_ATTRS = {
    ("img", "src"),
    ("img", "srcset"),
    ("script", "src"),
    ("audio", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("track", "src"),
    ("input", "src"),
}
FETCHED_LINK_RELS = {
    "stylesheet",
    "icon",
    "alternate icon",
    "preload",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "prefetch",
}


def is_resource(tag: str, attr: str, attrs: dict) -> bool:
    if attrs[attr].startswith("data:"):
        return False  # inline (the favicon): nothing is fetched
    if (tag, attr) in RESOURCE_ATTRS:
        return True
    return tag == "link" and attr == "href" and attrs.get("rel", "") in FETCHED_LINK_RELS


@pytest.fixture(scope="module")
def dev_pages(dev_site):
    return {
        path.relative_to(dev_site).as_posix(): parse_page(path) for path in html_pages(dev_site)
    }


def test_every_template_is_rendered(dev_site):
    expected = [
        "index.html",
        "404.html",
        "archief/index.html",
        "categorieen/index.html",
        "tags/index.html",
        "auteurs/index.html",
        ABOUT,
        "sitemap.xml",
        "robots.txt",
        "feeds/alles.atom.xml",
        "feeds/alles.rss.xml",
        f"categorie/{fixture_site.COURSE_CATEGORY.lower()}/index.html",
        "favicon.ico",
        "favicon.svg",
    ]
    for name in expected:
        assert (dev_site / name).is_file(), f"{name} was not generated"
    assert list(dev_site.glob("tag/*/index.html")), "no tag pages"
    assert list(dev_site.glob("auteur/*/index.html")), "no author pages"
    assert list(dev_site.glob("archief/20??/index.html")), "no year archives"
    assert list(dev_site.glob("archief/20??/??/index.html")), "no month archives"


def test_every_page_is_well_formed_html(dev_pages):
    assert len(dev_pages) > 20
    broken = {name: page.errors for name, page in dev_pages.items() if page.errors}
    assert not broken


def test_every_internal_link_and_asset_resolves(dev_site, dev_pages):
    missing = []
    for name, page in dev_pages.items():
        for tag, attr, attrs in page.links:
            values = (
                [v.split()[0] for v in attrs[attr].split(",")]
                if attr == "srcset"
                else [attrs[attr]]
            )
            for url in values:
                if url.startswith(("mailto:", "tel:", "javascript:")):
                    continue
                target = resolve_local(dev_site, page.path, url)
                if target is not None and not target.is_file():
                    missing.append(f"{name}: <{tag} {attr}={url!r}>")
    assert not missing, "\n".join(missing)


def test_no_page_loads_anything_from_another_host(dev_site, dev_pages):
    external = [
        f"{name}: <{tag} {attr}={attrs[attr]!r}>"
        for name, page in dev_pages.items()
        for tag, attr, attrs in page.links
        if is_resource(tag, attr, attrs) and resolve_local(dev_site, page.path, attrs[attr]) is None
    ]
    assert not external, "\n".join(external)
    for css in dev_site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text()):
            assert not re.match(r"(https?:)?//", url), f"{css.name} loads {url}"
            assert "@import" not in css.read_text()


def test_dutch_interface_and_dates(dev_site, dev_pages):
    home = dev_pages["index.html"]
    assert '<html lang="nl">' in home.path.read_text()
    assert "Naar de inhoud" in home.text and "Archief" in home.text
    months = (
        "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    )
    assert re.search(rf"\b\d{{1,2}} ({months}) 20\d\d\b", home.text), home.text[:500]
    assert "Skip to content" not in home.text


def test_lesson_page_has_a_working_audio_player(dev_site):
    lesson = dev_site / fixture_site.LESSONS[0].slug / "index.html"
    html = lesson.read_text()
    match = re.search(r'<audio[^>]*\bsrc="([^"]+)"', html)
    assert match, "no <audio src> on the lesson page"
    assert 'preload="metadata"' in html
    audio = resolve_local(dev_site, lesson, match.group(1))
    assert audio.is_file() and audio.read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")


def test_article_metadata_for_search_engines(dev_site):
    article = next(
        p for p in dev_site.glob("*/index.html") if 'class="entry h-entry"' in p.read_text()
    )
    html = article.read_text()
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert '<link rel="canonical" href="/' in html


def test_sitemap_and_robots(dev_site):
    tree = ElementTree.parse(dev_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [el.text for el in tree.getroot().findall("s:url/s:loc", ns)]
    article_count = len(
        [p for p in dev_site.glob("*/index.html") if 'class="entry h-entry"' in p.read_text()]
    )
    assert article_count == len(fixture_site.PUBLISHED)
    assert len(locs) == len(set(locs)) and len(locs) >= article_count
    assert "Sitemap:" in (dev_site / "robots.txt").read_text()


def test_article_feeds_parse_with_absolute_links(publish_site):
    atom = ElementTree.parse(publish_site / "feeds/alles.atom.xml").getroot()
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == len(fixture_site.PUBLISHED)
    for link in atom.iter("{http://www.w3.org/2005/Atom}link"):
        assert link.get("href").startswith(PUBLISH_SITEURL + "/"), "feed links must be absolute"
    rss = ElementTree.parse(publish_site / "feeds/alles.rss.xml").getroot()
    assert len(rss.findall("channel/item")) == len(entries)


def test_english_build(en_site):
    home = parse_page(en_site / "index.html")
    # An English interface on Dutch articles: the page is Dutch text, the interface says "en".
    assert '<html lang="nl">' in home.path.read_text()
    assert '<header class="site-header" lang="en">' in home.path.read_text()
    assert "Skip to content" in home.text and "Archive" in home.text
    assert re.search(
        r"\b(January|February|March|April|May|June|July|August|September|October"
        r"|November|December) \d{1,2}, 20\d\d\b",
        home.text,
    )
    assert "Naar de inhoud" not in home.text


def test_publish_build_has_absolute_urls(publish_site):
    pages = [parse_page(p) for p in html_pages(publish_site)]
    for page in pages:
        source = page.path.read_text()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', source)
        assert canonical and canonical.group(1).startswith(PUBLISH_SITEURL + "/"), page.path
        for tag, attr, attrs in page.links:
            url = attrs[attr]
            if attr == "srcset" or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
                continue
            if tag == "link" or is_resource(tag, attr, attrs):
                assert url.startswith(PUBLISH_SITEURL), f"{page.path}: {url}"
    locs = ElementTree.parse(publish_site / "sitemap.xml").getroot()
    assert all(
        el.text.startswith(PUBLISH_SITEURL + "/") for el in locs.iter() if el.tag.endswith("loc")
    )
    assert f"Sitemap: {PUBLISH_SITEURL}/sitemap.xml" in (publish_site / "robots.txt").read_text()


SERVICE = "http://127.0.0.1:8001"


def test_the_newsletter_block_signs_readers_up_for_the_course(tmp_path):
    """As in the demo (pelicanconf.py): the block under every page posts to the course's
    sign-up on the reader service, with the consent tick and the trap field it asks for."""
    site = build(tmp_path / "out", env={"SCHITTER_RATINGS_URL": SERVICE})
    for page in (ABOUT, f"{fixture_site.LONG_ARTICLE.slug}/index.html", "index.html"):
        footer = (site / page).read_text().split("<footer")[1]
        signup = f"{SERVICE}/course/{fixture_site.COURSE}/signup"
        assert f'<form class="newsletter__form" action="{signup}" method="post">' in footer
        assert "Gratis audiocursus: Succesvollere communities" in footer  # the demo's words
        assert 'name="email" type="email" autocomplete="email" required' in footer
        assert 'name="consent" type="checkbox" value="yes" required' in footer
        assert 'name="website" type="text" tabindex="-1"' in footer  # the sign-up's trap field
    # The course's own page keeps its sign-up form; the service reads the course's manifest.
    assert (site / "podcast" / fixture_site.COURSE / "course.json").is_file()
    from tests.nu_checker import nu_errors

    pages = [ABOUT, f"{fixture_site.LONG_ARTICLE.slug}/index.html", "index.html"]
    pages += [
        f"{fixture_site.LESSONS[0].slug}/index.html",
        f"podcast/{fixture_site.COURSE}/index.html",
    ]
    assert nu_errors([site / page for page in pages]) == []


def test_newsletter_form_is_hidden_until_configured(dev_site, tmp_path):
    # No reader service (a preview): no form that cannot work, also not the course's own.
    assert "<form" not in (dev_site / ABOUT).read_text().split("<footer")[1]
    show = (dev_site / "podcast" / fixture_site.COURSE / "index.html").read_text()
    assert "/signup" not in show
    hidden = build(
        tmp_path / "hidden",
        overrides={"NEWSLETTER_COURSE": ""},
        env={"SCHITTER_RATINGS_URL": SERVICE},
    )
    assert "<form" not in (hidden / ABOUT).read_text().split("<footer")[1]
    site = build(
        tmp_path / "out",
        overrides={
            "NEWSLETTER_COURSE": "",
            "NEWSLETTER_ACTION": "https://buttondown.example/api/emails/embed-subscribe/sanne",
            "NEWSLETTER_NAME_FIELD": "FNAME",
            "NEWSLETTER_HIDDEN_FIELDS": {"tag": "blog"},
            "NEWSLETTER_HEADING": "",  # the theme's translated default
        },
    )
    footer = (site / ABOUT).read_text().split("<footer")[1]
    assert 'action="https://buttondown.example/api/emails/embed-subscribe/sanne"' in footer
    assert 'name="email" type="email"' in footer and 'name="FNAME"' in footer
    assert '<input type="hidden" name="tag" value="blog">' in footer
    assert "Nieuwsbrief" in footer and 'name="consent"' not in footer


def test_a_newsletter_course_that_is_no_course_is_one_report_line(tmp_path):
    result = run_pelican(
        tmp_path / "out",
        overrides={"NEWSLETTER_COURSE": "buurtpraat"},
        env={"SCHITTER_RATINGS_URL": SERVICE},
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output
    line = (
        "pelicanconf.py: NEWSLETTER_COURSE: 'buurtpraat' is not a course with a personal "
        "schedule; the signup block is hidden"
    )
    assert line in output and f"NEWSLETTER_COURSE to one of: {fixture_site.COURSE}" in output
    assert output.count(line) == 1
    assert "newsletter__form" not in (tmp_path / "out" / ABOUT).read_text()


def test_unsupported_language_warns_in_development_and_fails_a_publish_build(tmp_path):
    dev = run_pelican(tmp_path / "dev", overrides={"DEFAULT_LANG": "fr"})
    assert dev.returncode == 0
    assert "DEFAULT_LANG: 'fr' is not a language the theme speaks" in dev.stdout + dev.stderr
    assert '<html lang="nl">' in (tmp_path / "dev/index.html").read_text()

    publish = run_pelican(
        tmp_path / "pub", settings="publishconf.py", overrides={"DEFAULT_LANG": "fr"}
    )
    assert publish.returncode == 1
    output = publish.stdout + publish.stderr
    assert "publishconf.py: DEFAULT_LANG: 'fr' is not a language the theme speaks" in output
    assert "set DEFAULT_LANG to one of: nl, en" in output
    assert "Traceback" not in output
