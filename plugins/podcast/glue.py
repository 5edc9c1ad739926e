"""podcast's steps in the pipeline (plugins/pipeline.py): MP3 lessons and episodes become episode
pages, show pages, podcast feeds and chapters files.

An article with an ``Audio:`` field (or an MP3/M4A among the articles on its own) is an episode of
the show its ``Podcast:`` field or its category names. One build's podcast state lives on the
core's build (``build.state("podcast")``), never in this module. The steps:

- ``start`` (generator_init): the ``PODCAST_*`` settings, the audio facts cache;
- ``add_audio_reader``: standalone audio files (``standalone.py``);
- ``collect_episodes`` (after the articles are read): each episode read once
  (``episode_read.py``), compared with the others (``catalog.py``) and made once
  (``published.py``); broken ones are reported and left out;
- ``mark_episodes``: the shows and episodes on the core's site model (templates, sharing,
  ratings read them there);
- ``add_static_files``: audio, transcripts and art reach the output as Pelican static files
  (covers and chapter art from the facts cache), under the ASCII name the feed uses;
- ``PodcastGenerator``: feeds, chapters files and show pages through Pelican's writer;
- ``save_cache``: once everything, static links included, is written.
"""

from __future__ import annotations

from pathlib import Path

from pelican.contents import Static
from pelican.generators import ArticlesGenerator, Generator
from pelican.readers import BaseReader

from ..core.build import CONTEXT_KEY, build_of
from ..core.problems import log
from ..core.site import Show as SiteShow
from ..core.urls import absolute_url
from .artwork import optimised_jpeg
from .cache import FactsCache
from .chapters import chapter_images, chapters_json
from .course_build import course_files, course_paths, signup_url
from .feed import build_feed, feed_item
from .guid import dump_registry
from .podcast_build import Podcast, collect, start_podcast
from .standalone import standalone_episode

# Feeds and chapters files are documents made in Python: the writer writes them as they are.
DOCUMENT_TEMPLATE = "{{ document|safe }}"


def _podcast(holder) -> Podcast | None:
    return build_of(holder).existing_state("podcast")


def start(generator) -> None:
    if isinstance(generator, ArticlesGenerator):
        build = build_of(generator)
        build.state("podcast", lambda: start_podcast(build))


# Below this much audio to read, the build reads it itself: starting the workers would not pay.
AHEAD_BYTES = 16_000_000
AUDIO_SUFFIXES = (".mp3", ".m4a")


def read_audio_ahead(generator) -> None:
    """The audio the facts cache cannot answer for is read by the build's workers (started for
    it when there is enough) while Pelican reads the articles; collect_episodes takes it."""
    podcast = _podcast(generator)
    if podcast is None or podcast.cache.file is None:
        return
    build = podcast.build
    audio = sorted(
        p for p in build.content.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file()
    )
    stale = podcast.cache.stale(audio)
    workers = build.workers() if sum(p.stat().st_size for p in stale) >= AHEAD_BYTES else None
    if workers is not None:
        podcast.cache.read_ahead(stale, workers.submit)


def add_course_signups(generator) -> None:
    """Every drip course's sign-up address for every template: the newsletter block can sign
    readers up for one (``NEWSLETTER_COURSE``). None while no reader service is set (a preview):
    no form that cannot work."""
    build = build_of(generator)
    podcast = build.existing_state("podcast")
    if podcast is None:
        return
    service = podcast.settings.course_service_url
    drip = sorted(slug for slug, show in podcast.settings.shows.items() if show.drip is not None)
    wanted = build.settings.get("NEWSLETTER_COURSE") or ""
    if wanted and wanted not in drip and "podcast.newsletter_course" not in build.features:
        build.features["podcast.newsletter_course"] = True  # reported once per build
        build.setting_problem(
            "NEWSLETTER_COURSE",
            f"{wanted!r} is not a course with a personal schedule; the signup block is hidden",
            f'set PODCAST_SHOWS["{wanted}"]["drip"] (README: "A course with a personal '
            f'schedule"), or NEWSLETTER_COURSE to one of: {", ".join(drip) or "(none yet)"}',
        )
    generator.env.globals["COURSE_SIGNUP_URLS"] = {
        slug: signup_url(service, slug) for slug in drip if service
    }


class AudioReader(BaseReader):
    """An MP3/M4A among the articles without a Markdown file: an episode from its tags."""

    enabled = True
    file_extensions = ["mp3", "m4a"]

    def read(self, source_path: str):
        build = self.settings.get(CONTEXT_KEY)  # the build that is reading (core.build)
        podcast = build.existing_state("podcast") if build is not None else None
        facts_of = podcast.cache.facts if podcast else FactsCache(None).facts
        shows = podcast.settings.shows if podcast else {}
        content = Path(self.settings["PATH"]).resolve()
        notes, metadata = standalone_episode(Path(source_path), content, facts_of, shows)
        for key in ("title", "category"):
            if key in metadata:
                metadata[key] = self.process_metadata(key, metadata[key])
        return notes, metadata


def add_audio_reader(readers) -> None:
    for extension in AudioReader.file_extensions:
        readers.reader_classes[extension] = AudioReader


def generators(pelican) -> type:
    return PodcastGenerator


# --- After the articles are read ------------------------------------------------------------


def collect_episodes(generator) -> None:
    """Read every episode, compare them, and make each one; leave out what is broken."""
    podcast = _podcast(generator)
    if podcast is not None:
        collect(podcast, generator.articles, generator.drafts)


def mark_episodes(generators) -> None:
    """Tell the site model which items are lessons and episodes, and of which show."""
    podcast = _podcast(generators[0])
    if podcast is None:
        return
    settings, site = podcast.settings, podcast.build.site
    for article, episode in podcast.episodes:
        item = site.item(article)
        if item is None:
            continue
        show = None
        if episode.show is not None:
            show = SiteShow(
                slug=episode.show.slug,
                title=episode.show.title,
                artwork=episode.show.artwork,
                url=absolute_url(podcast.build.base_url, settings.show_page_url(episode.show)),
                feed_url=settings.feed_url(episode.show),
                serial=episode.show.serial,
            )
        site.mark_episode(item, show, episode)


# --- Files: Pelican's static files and writer -----------------------------------------------


def _static(generator, source: Path, save_as: str) -> Static:
    static = Static(
        "",
        metadata={"title": save_as},
        settings=generator.settings,
        source_path=str(source),
        context=generator.context,
    )
    static.override_save_as = static.override_url = save_as
    return static


def add_static_files(generator) -> None:
    """Audio, transcripts and art that the static step does not copy (or copies under another
    name) join Pelican's static files: one mechanism copies (or, while developing, links)."""
    podcast = _podcast(generator)
    if podcast is None:
        return
    by_source = {}
    for static in generator.staticfiles:
        by_source[Path(generator.path, static.source_path).resolve()] = static
    wanted: list[tuple[Path, str]] = []
    for _article, episode in podcast.episodes:
        wanted.append((episode.audio_file, episode.published_audio))
        wanted += [(t.path, path) for t, path in episode.transcripts]
        if episode.links.cover_save_as:
            wanted.append((podcast.cache.image_file(episode.facts.cover), episode.cover_save_as))
        folder = episode.links.chapters_save_as.rpartition("/")[0]
        for name, image in chapter_images(episode.facts.chapters):
            wanted.append((podcast.cache.image_file(image), f"{folder}/{name}" if folder else name))
    for show in podcast.shows:
        source = podcast.build.content / show["show"].artwork
        if show["artwork"] != show["show"].artwork:
            optimised = optimised_jpeg(source.read_bytes())
            source = podcast.cache.derived_file(show["artwork"], optimised)
        wanted.append((source, show["artwork"]))
    for source, save_as in wanted:
        existing = by_source.get(source.resolve())
        if existing is not None:
            if existing.save_as != save_as:  # the ASCII name the feed links
                existing.override_save_as = existing.override_url = save_as
            continue
        static = _static(generator, source, save_as)
        generator.staticfiles.append(static)
        by_source[source.resolve()] = static
    generator.context["staticfiles"] = generator.staticfiles


class PodcastGenerator(Generator):
    """Writes each show's feed and page and each episode's chapters file (Pelican's writer)."""

    def generate_context(self) -> None:
        podcast = _podcast(self)
        self.context["podcast_shows"] = podcast.shows if podcast else []

    def generate_output(self, writer) -> None:
        podcast = _podcast(self)
        if podcast is None:
            return
        build, settings = podcast.build, podcast.settings
        document = self.env.from_string(DOCUMENT_TEMPLATE)
        for _article, episode in podcast.episodes:
            if episode.links.chapters_save_as:
                folder = episode.links.chapters_url.rpartition("/")[0] + "/"
                text = chapters_json(episode.facts.chapters, folder)
                writer.write_file(episode.links.chapters_save_as, document, {}, document=text)
        for show in podcast.shows:
            items = [
                feed_item(
                    episode,
                    item.title,
                    item.url,
                    item.summary,
                    article.content,
                    str(article.metadata.get("episodetitle") or ""),
                    str(article.metadata.get("lang") or ""),
                )
                for article, episode in show["episodes"]
                if (item := build.site.item(article)) is not None
            ]
            xml = build_feed(
                show["show"],
                items,
                feed_url=show["feed_url"],
                site_url=absolute_url(build.base_url, show["url"]),
                artwork_url=absolute_url(build.base_url, show["artwork"]),
                podcast_guid=show["podcast_guid"],
            )
            writer.write_file(show["feed_save_as"], document, {}, document=xml.decode())
            # A course with a personal schedule needs the reader service; without one (a
            # preview) it is an ordinary show: no sign-up form that cannot work.
            if show["show"].drip is not None and _podcast(self).settings.course_service_url:
                self._write_course(writer, document, show, items)
            writer.write_file(
                show["save_as"],
                self.get_template("podcast_show"),
                self.context,
                podcast_show=show,
                page_name=show["url"].rstrip("/"),
                url=show["url"],
            )
        # A failed build changes nothing in content/: a strict build with problems fails at
        # the end, so it records no GUIDs either.
        failing = build.report.strict and build.report.problems
        if podcast.registry is not None and settings.guid_registry_write and not failing:
            registry_file = build.content / settings.guid_registry
            registry_file.write_text(dump_registry(podcast.registry), encoding="utf-8")
            log.warning(
                "Recorded the GUIDs of new or renamed episodes in %s: commit this file, so "
                "that these GUIDs never change.",
                build.where(registry_file),
            )

    def _write_course(self, writer, document, show: dict, items: list) -> None:
        """A drip course's feed, lessons manifest and sign-up answer page (course_build.py)."""
        podcast = _podcast(self)
        build = podcast.build
        service = podcast.settings.course_service_url
        show.update(
            site_url=absolute_url(build.base_url, show["url"]),
            artwork_absolute=absolute_url(build.base_url, show["artwork"]),
            course_signup=signup_url(service, show["show"].slug),
        )
        xml, manifest, answer = course_files(show, items, build, service)
        paths = course_paths(show["show"].slug)
        writer.write_file(paths["feed"], document, {}, document=xml.decode())
        writer.write_file(paths["manifest"], document, {}, document=manifest)
        writer.write_file(
            paths["answer"],
            self.get_template("course_answer"),
            self.context,
            podcast_show=show,
            page_name=paths["answer"].removesuffix(".html"),
            url=show["url"],
            **answer,
        )


def save_cache(pelican) -> None:
    """After everything is written, static links included (they change a file's ctime)."""
    build = pelican.settings.get(CONTEXT_KEY)
    podcast = build.existing_state("podcast") if build is not None else None
    if podcast is not None:
        podcast.cache.save()
