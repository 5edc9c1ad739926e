"""The checks' steps in the pipeline: settings, reading, articles, pages, static files."""

from __future__ import annotations

import os

from ..core.build import PENDING_KEY, build_of
from ..core.problems import settings_file
from . import pelican_messages
from .content import empty_fields, keep_valid
from .fields import (
    MARKDOWN_EXTENSIONS,
    METADATA_FIELDS_KEY,
    PELICAN_FIELDS,
    field_problem,
    stray_markdown,
    unknown_fields,
)
from .links import unlink_broken, unslash
from .reading import clean_text, use_text_reader
from .settings import check_settings as find_setting_problems

__all__ = ["clean_text", "use_text_reader"]


def check_settings(pelican) -> None:
    """The final settings, checked before any generator runs; wrong ones are replaced by their
    defaults and wait for the build's report (there is no build yet)."""
    settings = pelican.settings
    problems, replacements = find_setting_problems(settings)
    settings.update(replacements)
    source = settings_file()
    settings[PENDING_KEY] = [(source, p.setting, p.message, p.fix) for p in problems]


def translate_pelican_messages(generator) -> None:
    build = build_of(generator)
    if not build.state("checks.messages", lambda: False):
        build.features["checks.messages"] = True
        pelican_messages.install(build)


def _report_links(build, items, kind: str) -> None:
    """Links written ``/{filename}/…`` (read as ``{filename}/…``) and links to missing files."""
    content_dir = str(build.settings["PATH"])
    for item in items:
        body = getattr(item, "_content", "") or ""
        source_dir = os.path.dirname(item.source_path)
        read, slashed = unslash(body, build.settings)
        for link in slashed:
            build.problem(
                item.source_path,
                "link",
                f"{link} has a / before the braces, which Pelican publishes as it is (a link "
                f"that leads nowhere); it was read as {link[1:]}",
                f"write {link[1:]} (no / before the braces)",
            )
        kept, broken = unlink_broken(read, source_dir, content_dir, build.settings)
        if kept != body:
            item._content = kept
        for link in broken:
            build.problem(
                item.source_path,
                "link",
                f"{link} points to a file that is not in the content folder; the {kind} "
                "stays, with this link broken",
                "correct the path: relative to this file, or starting with / for the content "
                "folder (e.g. {filename}/articles/x.md, {static}/images/x.jpg)",
            )


def _report_unknown_fields(build, items, kind: str) -> None:
    known = build.settings.get(METADATA_FIELDS_KEY) or PELICAN_FIELDS
    for item in items:
        if not item.source_path.lower().endswith(MARKDOWN_EXTENSIONS):
            continue  # an MP3 episode: its fields come from its tags
        try:
            with open(item.source_path, encoding="utf-8") as source:
                text = source.read()
        except (OSError, UnicodeDecodeError):
            continue
        for key, closest in unknown_fields(text, known):
            build.problem(item.source_path, key, *field_problem(key, closest, kind, known))


def _report_stray_markdown(build) -> None:
    """Once per build: Markdown that Pelican reads as neither an article nor a page."""
    if build.features.setdefault("checks.stray", False):
        return
    build.features["checks.stray"] = True
    settings = build.settings
    folders = ", ".join(
        f"content/{p}/" for p in [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]
    )
    for path in stray_markdown(build.content, settings):
        build.problem(
            path,
            "file",
            f"is not in a folder of articles or pages ({folders}), so it is not published",
            "move it to content/articles/ (an article) or content/pages/ (a page), or add its "
            "folder to ARTICLE_PATHS in pelicanconf.py",
        )


def check_articles(generator) -> None:
    build = build_of(generator)
    generator.articles[:] = keep_valid(generator.articles, build, "file", generator.get_template)
    generator.drafts[:] = [d for d in generator.drafts if "title" not in empty_fields(d)]
    _report_links(build, [*generator.articles, *generator.drafts], "article")
    _report_unknown_fields(build, [*generator.articles, *generator.drafts], "article")
    _report_stray_markdown(build)


def check_pages(generator) -> None:
    build = build_of(generator)
    generator.pages[:] = keep_valid(generator.pages, build, "page", generator.get_template)
    items = [*generator.pages, *generator.hidden_pages]
    _report_links(build, items, "page")
    _report_unknown_fields(build, items, "page")


def drop_missing_static(generator) -> None:
    """Pelican adds every ``{static}`` link target to the static files, also one that does not
    exist, and then crashes copying it. The broken link is reported (as ``link``); the file
    that is not there is simply not copied."""
    present = [s for s in generator.staticfiles if os.path.isfile(s.source_path)]
    if len(present) == len(generator.staticfiles):
        return
    generator.staticfiles[:] = present
    listed = generator.context.get("staticfiles")
    if isinstance(listed, list) and listed is not generator.staticfiles:
        listed[:] = [s for s in listed if os.path.isfile(s.source_path)]
