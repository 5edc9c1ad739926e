"""Read ahead: the Markdown files a build will read are read by its worker processes.

- ``article_generator_init`` / ``page_generator_init``: the files Pelican will read (the ones
  its content caches lack) go to the build's workers (:mod:`plugins.core.workers`); the
  generator's Markdown readers answer from them.
- ``all_generators_finalized``: everything is read; what was not taken is dropped.

A build of a few files (a rebuild after one edit) reads the usual way: starting the workers
would cost more than it saves. ``BUILD_PROCESSES = 1`` reads every file in the build's process.
"""

from __future__ import annotations

import logging
import os
import pickle

from pelican.generators import ArticlesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import file_suffix

from ..core.build import build_of
from .workers import ReadAhead

# Under Pelican's logger: `pelican --debug` shows what was read ahead.
logger = logging.getLogger("pelican.schitter.reading")
FEATURE = "reading"
# Starting the workers costs about as much as reading a dozen files; below this, it does not pay.
FEWEST_FILES = 24


def _markdown_readers(generator) -> dict:
    return {
        fmt: reader
        for fmt, reader in generator.readers.readers.items()
        if isinstance(reader, MarkdownReader)
    }


def _files_to_read(generator, paths: str, excludes: str, readers: dict) -> dict[str, list[str]]:
    """The absolute paths of the files Pelican will read (its caches lack them), by format."""
    settings = generator.settings
    found: dict[str, list[str]] = {}
    for name in generator.get_files(settings[paths], exclude=settings[excludes]):
        fmt = file_suffix(name)
        if fmt not in readers or generator.get_cached_data(name, None) is not None:
            continue
        path = os.path.abspath(os.path.join(generator.path, name))
        if generator.readers.get_cached_data(path, (None, None))[0] is None:
            found.setdefault(fmt, []).append(path)
    return found


def _answer_ahead(reader, ahead: ReadAhead) -> None:
    """The reader answers from the workers where it can, else reads the file itself."""

    def read(path):
        got = ahead.take(path, reader.settings)
        if got is None:
            return type(reader).read(reader, path)
        answer, records = got
        for record in records:
            logging.getLogger(record.name).handle(record)
        return answer

    reader.read = read  # this build's reader object only


def _read_ahead(generator, paths: str, excludes: str) -> None:
    build = build_of(generator)
    readers = _markdown_readers(generator)
    files = _files_to_read(generator, paths, excludes, readers)
    ahead = build.existing_state(FEATURE)
    if ahead is None:
        if sum(len(f) for f in files.values()) < FEWEST_FILES:
            return
        workers = build.workers()
        if workers is None:
            return
        ahead = build.state(FEATURE, lambda: ReadAhead(workers))
    for fmt, paths_of_format in files.items():
        try:
            ahead.add(readers[fmt], paths_of_format)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            # A setting that cannot be sent to a worker (a lambda): read here instead.
            logger.debug("Markdown is read in the build's process: %s", error)
            continue
        _answer_ahead(readers[fmt], ahead)


def read_articles_ahead(generator) -> None:
    _read_ahead(generator, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")


def read_pages_ahead(generator) -> None:
    _read_ahead(generator, "PAGE_PATHS", "PAGE_EXCLUDES")


def stop_reading(generators) -> None:
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    ahead = build_of(articles).existing_state(FEATURE)
    if ahead is not None:
        logger.debug(
            "%d Markdown files were read ahead (%d read by the build itself, no worker had "
            "them yet)",
            ahead.read_ahead,
            ahead.taken_back,
        )
        ahead.stop()
