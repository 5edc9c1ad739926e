"""fragments' step in the pipeline: a part of a page that is the same wherever it appears is
rendered once per build.

An article's card (``partials/entry_card.html``) is the same on the home page, its category, its
tags, its author and the archive pages, five to ten lists in all. ``{{ once(name, article,
**values) }}`` renders the partial the first time, for this article and these values, and gives
the same markup every later time in this build (the cache lives on the build: a rebuild renders
afresh). The partial must depend only on the article, the values passed and what is the same
for the whole site (settings, ``site``, the translations), never on the page it is shown on.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from ..core.build import build_of


def install(generator) -> None:
    rendered: dict = build_of(generator).state("fragments", dict)

    @pass_context
    def once(context, name: str, article, **values) -> Markup:
        # SITEURL: with RELATIVE_URLS it differs from page to page, and so would the links.
        key = (name, id(article), context.get("SITEURL"), tuple(sorted(values.items())))
        found = rendered.get(key)
        if found is None:
            template = context.environment.get_template(name)
            found = Markup(template.render({**context.get_all(), "article": article, **values}))
            rendered[key] = found
        return found

    generator.env.globals["once"] = once
