"""The build pipeline: every handler of every feature, in the order it runs, written down once.

Pelican sends its signals in the order of ``SIGNAL_ORDER``; :data:`STEPS` lists our handlers in
that order, top to bottom, and :func:`register` connects them in exactly this order (receivers of
one signal run in the order they were connected). Each step names what it ``needs`` from earlier
steps and what it ``gives``; :func:`check_order` refuses a list in which a step comes before what it
needs, or a signal comes before an earlier signal: a wrong order fails loudly when the plugin loads,
not silently in a page.

Features never import each other; they meet in the site model that the core builds (``site``) and
that the podcast completes (``episodes``: which items are lessons and episodes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pelican import signals

from .assets import glue as assets
from .checks import glue as checks
from .checks.fields import METADATA_FIELDS_KEY, PELICAN_FIELDS
from .comments import glue as comments
from .core import glue as core
from .core.site import METADATA_FIELDS as SITE_FIELDS
from .core.workers import MODULES_KEY as WORKER_MODULES_KEY
from .fragments import glue as fragments
from .i18n import glue as i18n
from .images import glue as images
from .neighbors import glue as neighbors
from .output import glue as output
from .podcast import glue as podcast
from .podcast.fields import METADATA_FIELDS as PODCAST_FIELDS
from .ratings import glue as ratings
from .reading import glue as reading
from .redirects import glue as redirects
from .search import glue as search
from .security import glue as security
from .sharing import glue as sharing

# The order in which Pelican sends the signals we use during one build.
SIGNAL_ORDER = (
    "initialized",
    "get_generators",
    "readers_init",
    "generator_init",
    "article_generator_init",
    "page_generator_init",
    "content_object_init",
    "article_generator_pretaxonomy",
    "article_generator_finalized",
    "page_generator_finalized",
    "static_generator_finalized",
    "all_generators_finalized",
    "get_writer",
    "feed_generated",
    "article_writer_finalized",
    "finalized",
)


# Every metadata field some part of the site reads; any other `Key:` is reported (a typo?).
METADATA_FIELDS = PELICAN_FIELDS | SITE_FIELDS | PODCAST_FIELDS


# The modules whose functions the build's worker processes run (imported once, by the fork server).
WORKER_MODULES = (
    "markdown",
    "pelican.readers",
    "plugins.reading.workers",
    "plugins.assets.files",
    "plugins.podcast.cache",
)


def know_the_fields(pelican) -> None:
    """The fields the checks compare each header with (features never import each other), and
    the modules the workers run."""
    pelican.settings[METADATA_FIELDS_KEY] = METADATA_FIELDS
    pelican.settings[WORKER_MODULES_KEY] = WORKER_MODULES


@dataclass(frozen=True)
class Step:
    signal: str
    handler: Callable
    needs: tuple[str, ...] = ()
    gives: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.handler.__module__.removeprefix('plugins.')}.{self.handler.__name__}"


STEPS = (
    # Settings are final: wrong ones are reported by name and replaced by their defaults.
    Step("initialized", checks.check_settings, gives=("settings",)),
    Step("initialized", know_the_fields, gives=("fields",)),
    # Every page's Content-Security-Policy, from the final settings (README: "Comments").
    Step("initialized", search.publish_form_action, needs=("settings",)),
    Step("initialized", security.add_policy, needs=("settings",)),
    Step("get_generators", podcast.generators, needs=("settings",)),
    # After the podcast's: the redirect pages are written when every other page is.
    Step("get_generators", redirects.generators, needs=("settings",)),
    Step("readers_init", checks.use_text_reader),
    Step("readers_init", podcast.add_audio_reader),
    # Every generator of a build shares one context: the build (report, model) lives there.
    Step("generator_init", core.start_build, needs=("settings",), gives=("build",)),
    Step("generator_init", checks.translate_pelican_messages, needs=("build",)),
    Step("generator_init", i18n.install, needs=("build",)),
    Step("generator_init", assets.add_favicon, needs=("build",)),
    Step("generator_init", search.add_search_form, needs=("build",)),
    Step("generator_init", fragments.install, needs=("build",)),
    Step("generator_init", assets.compact_templates, needs=("build",)),
    Step("generator_init", podcast.start, needs=("build",)),
    # After podcast.start (the articles' generator comes first): the newsletter block's course.
    Step("generator_init", podcast.add_course_signups, needs=("build",)),
    Step("article_generator_init", i18n.check_language, needs=("build",)),
    # Work for the build's worker processes, first the audio (needed first, when the articles
    # are read), then Markdown, most of a cold build: the other cores read while Pelican goes on.
    Step("article_generator_init", podcast.read_audio_ahead, needs=("build",)),
    Step("article_generator_init", reading.read_articles_ahead, needs=("build",)),
    Step("page_generator_init", reading.read_pages_ahead, needs=("build",)),
    # While the content is read: the theme's scripts minified by the workers, if they run.
    Step("page_generator_init", assets.minify_ahead, needs=("build",)),
    Step("content_object_init", checks.clean_text),
    # Broken articles are left out before Pelican counts tags and categories.
    Step("article_generator_pretaxonomy", checks.check_articles, needs=("build", "fields")),
    Step("article_generator_pretaxonomy", podcast.collect_episodes, needs=("build",)),
    Step("article_generator_finalized", neighbors.link_neighbors),
    Step("page_generator_finalized", checks.check_pages, needs=("build", "fields")),
    Step("static_generator_finalized", checks.drop_missing_static),
    Step("static_generator_finalized", podcast.add_static_files, needs=("build",)),
    # Everything is read: the workers end; one model of the site, then the features that read it.
    Step("all_generators_finalized", reading.stop_reading, needs=("build",)),
    Step("all_generators_finalized", core.build_site_model, needs=("build",), gives=("site",)),
    Step("all_generators_finalized", podcast.mark_episodes, needs=("site",), gives=("episodes",)),
    # Pictures in sizes for every screen: article bodies are rewritten before anything renders.
    Step("all_generators_finalized", images.make_pictures, needs=("site",), gives=("pictures",)),
    Step("all_generators_finalized", sharing.attach, needs=("site", "episodes")),
    # Search: Pagefind indexes the final bodies on the other core while Pelican writes the site.
    Step(
        "all_generators_finalized", search.start_index, needs=("site", "pictures"), gives=("index",)
    ),
    Step("all_generators_finalized", ratings.bake, needs=("site", "episodes")),
    Step("all_generators_finalized", comments.bake, needs=("site", "episodes")),
    Step("all_generators_finalized", redirects.collect_entry_ids, needs=("build",)),
    # Pages and feeds whose bytes did not change are not written again; article feeds get
    # absolute links and tag: ids also while developing (core.feeds, its base class).
    Step("get_writer", output.writer, gives=("writer",)),
    # Pelican writes the article feeds: imported posts keep their old entry ids.
    Step("feed_generated", redirects.keep_entry_ids, needs=("build",)),
    Step("article_writer_finalized", ratings.write_manifest, needs=("site",)),
    Step("article_writer_finalized", comments.write_manifest, needs=("site",)),
    # Pages are written by a thread while the next renders: all of them are on disk first.
    Step("finalized", output.finish_writing, needs=("writer",)),
    Step("finalized", search.write_bundle, needs=("index",)),
    Step("finalized", assets.finish_output),
    # What an earlier build made and this one did not (a renamed article's old page) goes.
    Step("finalized", output.remove_stale, needs=("writer",)),
    # The audio facts cache is saved once Pelican's static links exist (they move a file's ctime).
    Step("finalized", podcast.save_cache),
    # Last: print the report; a strict build with problems fails here.
    Step("finalized", core.finish_build, needs=("build",)),
)


class PipelineOrderError(RuntimeError):
    pass


def check_order(steps: tuple[Step, ...]) -> None:
    given: set[str] = set()
    position = 0
    for step in steps:
        if step.signal not in SIGNAL_ORDER:
            raise PipelineOrderError(f"{step.name}: unknown signal {step.signal!r}")
        index = SIGNAL_ORDER.index(step.signal)
        if index < position:
            raise PipelineOrderError(
                f"{step.name} ({step.signal}) is listed after a step on "
                f"{SIGNAL_ORDER[position]}, which Pelican sends later"
            )
        position = index
        missing = [need for need in step.needs if need not in given]
        if missing:
            raise PipelineOrderError(
                f"{step.name} needs {', '.join(missing)}, which no step before it gives"
            )
        given.update(step.gives)


def register(steps: tuple[Step, ...] = STEPS) -> None:
    check_order(steps)
    for step in steps:
        # weak=False: the handlers are module functions; strong references keep it obvious.
        getattr(signals, step.signal).connect(step.handler, weak=False)
