"""ratings' glue, in-process on real Pelican articles: ids, kinds and the manifest come from the
site model; a lesson is rated as a Course, an article as a BlogPosting (no aggregateRating)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import DEFAULT_CONFIG

from plugins.core.build import build_of
from plugins.core.glue import build_site_model
from plugins.core.site import Show
from plugins.ratings.glue import bake, write_manifest


def generators(tmp_path, **settings):
    settings = {
        **DEFAULT_CONFIG,
        "PATH": str(tmp_path),
        "SITEURL": "https://communitykompas.nl",
        "ARTICLE_URL": "{slug}/",
        "RATINGS_SNAPSHOT_URL": "",
        "RATINGS_STORE": "",
        **settings,
    }
    context = dict(settings)

    def article(slug, **metadata):
        return Article(
            "<p>Tekst.</p>",
            metadata={
                "title": slug.title(),
                "slug": slug,
                "date": DEFAULT_CONFIG and None,
                **metadata,
            },
            settings=settings,
            source_path=str(tmp_path / "articles" / f"{slug}.md"),
            context=context,
        )

    when = datetime(2026, 1, 5, 9, tzinfo=UTC)
    articles = ArticlesGenerator.__new__(ArticlesGenerator)
    articles.context, articles.settings, articles.output_path = context, settings, str(tmp_path)
    articles.articles = [
        article("welkom", date=when),
        article("verhuisd", date=when, **{"rating-id": "oude-naam"}),
        article("les-1", date=when),
    ]
    articles.drafts = []
    pages = PagesGenerator.__new__(PagesGenerator)
    pages.context, pages.settings = context, settings
    pages.pages = [
        Page(
            "<p>Over</p>",
            metadata={"title": "Over", "slug": "over"},
            settings=settings,
            source_path=str(tmp_path / "pages/over.md"),
            context=context,
        )
    ]
    pages.hidden_pages, pages.draft_pages = [], []
    return articles, pages


def test_ids_kinds_and_manifest_come_from_the_site_model(tmp_path):
    articles, pages = generators(tmp_path)
    build_site_model([articles, pages])
    site = build_of(articles).site
    lesson = site.by_source("articles/les-1.md")
    course = Show("cursus", "Cursus", "images/c.jpg", "u", "f", serial=True)
    site.mark_episode(lesson, course, episode=object())
    bake([articles, pages])
    welkom = site.by_source("articles/welkom.md")
    assert welkom.extras["rating"].schema_type == "BlogPosting"
    assert lesson.extras["rating"].schema_type == "Course"
    assert "rating" not in site.by_source("pages/over.md").extras  # pages are not rated
    write_manifest(articles, writer=None)
    manifest = json.loads((tmp_path / "ratings" / "manifest.json").read_text())
    assert [(i["id"], i["url"]) for i in manifest["items"]] == [
        ("les-1", "https://communitykompas.nl/les-1/"),
        ("oude-naam", "https://communitykompas.nl/verhuisd/"),
        ("welkom", "https://communitykompas.nl/welkom/"),
    ]


def test_a_strict_build_without_a_snapshot_reports_it_by_setting(tmp_path):
    articles, pages = generators(tmp_path, SCHITTER_STRICT=True)
    build_site_model([articles, pages])
    bake([articles, pages])
    fields = [p.field for p in build_of(articles).report.problems]
    assert fields == ["RATINGS_SNAPSHOT_URL"]
