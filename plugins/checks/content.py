"""Checks of the articles and pages Pelican has read: what stays on the site, what is reported.

An item is left out (and reported: file, field, what is wrong, fix) when its title is empty, its
``Template:`` is not one of the theme's, its ``Slug:`` cannot be an address, its ``Lang:`` is no
language code, or its address is already another item's. Tags and authors without letters or
digits are dropped from it, such a category becomes the default one. Runs on every build, also
when the articles come from Pelican's content cache.
"""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from pelican.generators import PelicanTemplateNotFound
from pelican.urlwrappers import Category
from pelican.utils import slugify


def empty_fields(content) -> list[str]:
    """Metadata fields written with only whitespace after the colon."""
    return sorted(
        key
        for key, value in content.metadata.items()
        if isinstance(value, str) and not value.strip()
    )


def _known_template(item, get_template) -> bool:
    try:
        get_template(item.template)
    except PelicanTemplateNotFound:
        return False
    return True


def _theme_templates(get_template) -> list[str]:
    """The page templates of the theme (partials and Pelican's list templates aside)."""
    environment = getattr(get_template.__self__, "env", None)
    names = environment.list_templates(extensions=["html"]) if environment else []
    return sorted(n.removesuffix(".html") for n in names if n in ("article.html", "page.html"))


def _is_language(value) -> bool:
    """Whether a ``Lang:`` value names a language (absent: the site's language)."""
    if value is None:
        return True
    try:
        Locale.parse(str(value).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


# Characters that end or change the meaning of a URL path, or that no web server expects.
UNSAFE_IN_SLUG = re.compile(r"[\s#?%\\\"'<>`{}|^\[\]]")


def unusable_slug(slug) -> str:
    """Why a typed ``Slug:`` cannot be (part of) an address; "" when it can."""
    if not isinstance(slug, str) or not slug:
        return ""
    unsafe = sorted(set(UNSAFE_IN_SLUG.findall(slug)))
    if unsafe:
        shown = ", ".join("a space" if c.isspace() else repr(c) for c in unsafe)
        return f"it contains {shown}"
    if slug.startswith("/") or ".." in slug.split("/"):
        return "it leads out of the site's folder"
    return ""


def slug_fix(slug: str, settings: dict) -> str:
    suggestion = slugify(
        slug.replace("/", " "), regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    )
    example = f", e.g. Slug: {suggestion}" if suggestion else ""
    return (
        f"use lowercase letters, digits and hyphens{example}; or remove the line (the title "
        "gives the address)"
    )


def keep_named_taxonomies(item, build) -> None:
    """Tags, authors and a category need letters or digits to get an address (``/tag/…/``);
    one without (``Tags: ,,`` or ``Category: ../..``) would be written over the list page.
    Such a tag or author is left out; such a category becomes the default category."""
    for field, attribute in (("Tags", "tags"), ("Authors", "authors")):
        names = getattr(item, attribute, None) or []
        kept = [wrapper for wrapper in names if wrapper.slug]
        for wrapper in names:
            if not wrapper.slug:
                build.problem(
                    item.source_path,
                    field,
                    f"{wrapper.name!r} has no letters or digits to make an address from; it was "
                    "left out",
                    "write it as a word, or remove it from the line",
                )
        if len(kept) != len(names):
            setattr(item, attribute, kept)
            if attribute in item.metadata:
                item.metadata[attribute] = kept
    category = getattr(item, "category", None)
    if category is not None and not category.slug:
        default = build.settings.get("DEFAULT_CATEGORY", "misc")
        build.problem(
            item.source_path,
            "Category",
            f"{category.name!r} has no letters or digits to make an address from; the "
            f"{default!r} category is used",
            "write it as a word, or remove the line",
        )
        item.category = Category(default, build.settings)
        if "category" in item.metadata:
            item.metadata["category"] = item.category


def keep_valid(items: list, build, kind: str, get_template) -> list:
    """Report empty fields and duplicate addresses; return the items that stay on the site.

    Runs on every build, also when the articles come from Pelican's content cache.
    """
    taken = build.state("checks.addresses", dict)
    kept: set[int] = set()  # ids: membership must not compare content objects pairwise
    for item in sorted(
        items,
        key=lambda c: (getattr(c, "date", None) is None, getattr(c, "date", None), c.source_path),
    ):
        empty = empty_fields(item)
        for key in empty:
            dropped = "; the file was left out" if key == "title" else ""
            build.problem(
                item.source_path,
                key.capitalize(),
                "is empty" + dropped,
                "fill it in, or remove the line",
            )
        if "title" in empty:
            continue
        # An article with nothing under its title is a mistake (a file saved too early); a
        # page may be empty on purpose (a WordPress page that only had a title), an episode
        # has its audio.
        body = (getattr(item, "_content", "") or "").strip()
        if kind != "page" and not body and "audio" not in item.metadata:
            build.problem(
                item.source_path,
                "text",
                f"there is a title but no text after the metadata lines; this {kind} was left out",
                "write the text below the metadata lines, after one blank line (or set "
                "`Status: draft` until it is written)",
            )
            continue
        if not _known_template(item, get_template):
            build.problem(
                item.source_path,
                "Template",
                f"{item.template!r} is not a template of the theme; this {kind} was left out",
                "remove the line, or use one of: " + ", ".join(_theme_templates(get_template)),
            )
            continue
        slug_problem = unusable_slug(item.metadata.get("slug"))
        if slug_problem:
            build.problem(
                item.source_path,
                "Slug",
                f"{item.metadata['slug']!r} cannot be part of an address ({slug_problem}); "
                f"this {kind} was left out",
                slug_fix(item.metadata["slug"], build.settings),
            )
            continue
        keep_named_taxonomies(item, build)
        if not _is_language(item.metadata.get("lang")):
            build.problem(
                item.source_path,
                "Lang",
                f"{item.metadata['lang']!r} is not a language code; this {kind} was left out",
                "write a code such as nl or en, or remove the line (the site's language applies)",
            )
            continue
        save_as = item.save_as  # a property Pelican computes on every access
        first = taken.get(save_as)
        if first is not None and first is not item:
            build.problem(
                item.source_path,
                "Slug",
                f"{item.slug!r} is also the address of "
                f"{build.where(first.source_path)}; this {kind} was left out",
                "give one of them another `Slug:`",
            )
            continue
        taken[save_as] = item
        kept.add(id(item))
    return [item for item in items if id(item) in kept]
