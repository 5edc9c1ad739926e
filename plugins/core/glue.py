"""The core's own steps in the pipeline: start the build, build the site model, finish."""

from __future__ import annotations

import os
from pathlib import Path

from pelican.generators import ArticlesGenerator, PagesGenerator

from . import build as builds
from .site import SiteModel, check_ids, content_language, make_item
from .text import json_for_script


def start_build(generator) -> None:
    builds.build_of(generator)
    # The item's schema.org node, as data in a <script type="application/ld+json">.
    generator.env.filters["json_ld"] = json_for_script


def _relative_source(build, content, base: str) -> str:
    # By string first: resolving every path (a system call per folder) is slow for 1,000 items.
    path = os.path.abspath(content.source_path)
    if path.startswith(base):
        return path[len(base) :].replace(os.sep, "/")
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(build.content).as_posix()
    except ValueError:
        return resolved.as_posix()


def build_site_model(generators) -> None:
    """Every article and page that Pelican will write, as one list of items."""
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    build = builds.build_of(articles)
    lang = content_language(build.settings)

    base = os.path.join(os.path.abspath(build.settings["PATH"]), "")

    def items(contents, kind):
        return [
            make_item(c, kind, _relative_source(build, c, base), build.base_url, lang)
            for c in contents
        ]

    published = items(articles.articles, "article") + items(pages.pages, "page")
    for problem in check_ids(published, name_of=lambda item: build.where(item.content.source_path)):
        build.report.add(problem.source, problem.field, problem.message, problem.fix)
    unlisted = (
        items(articles.drafts, "article")
        + items(pages.hidden_pages, "page")
        + items(pages.draft_pages, "page")
    )
    for item in unlisted:
        item.extras["unlisted"] = True
    model = SiteModel(published + unlisted)
    build.site = model
    build.context["site"] = model  # templates: site.item(article)
    # Pelican formats an item's URL from its pattern at every use (thousands of times per
    # build); it is final now, so it is kept as Pelican's own override, the value it would
    # compute anyway. (Not the file name: an overridden one changes how Pelican writes it.)
    for item in model.items:
        if not hasattr(item.content, "override_url"):
            item.content.override_url = item.path


def finish_build(pelican) -> None:
    build = builds.finish(pelican)
    if build is not None:
        build.stop_workers()
        build.report.finish()
