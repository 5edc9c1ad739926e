"""The checks' steps in the pipeline: settings, reading, articles, pages, static files."""

from __future__ import annotations

import os

from ..core.build import PENDING_KEY, build_of
from ..core.problems import settings_file
from . import pelican_messages
from .content import empty_fields, keep_valid
from .links import broken_links
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


def _report_broken_links(build, items) -> None:
    content_dir = str(build.settings["PATH"])
    for item in items:
        body = getattr(item, "_content", "") or ""
        source_dir = os.path.dirname(item.source_path)
        for link in broken_links(body, source_dir, content_dir, build.settings):
            build.problem(
                item.source_path,
                "link",
                f"{link} points to a file that is not in the content folder, so the link is broken",
                "correct the path: relative to this file, or starting with / for the content "
                "folder (e.g. {filename}/articles/x.md, {static}/images/x.jpg)",
            )


def check_articles(generator) -> None:
    build = build_of(generator)
    generator.articles[:] = keep_valid(generator.articles, build, "file", generator.get_template)
    generator.drafts[:] = [d for d in generator.drafts if "title" not in empty_fields(d)]
    _report_broken_links(build, [*generator.articles, *generator.drafts])


def check_pages(generator) -> None:
    build = build_of(generator)
    generator.pages[:] = keep_valid(generator.pages, build, "page", generator.get_template)
    _report_broken_links(build, [*generator.pages, *generator.hidden_pages])


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
