"""Podcast: audio lessons and episodes become episode pages, show pages and podcast feeds.

An article with an ``Audio:`` field (or an MP3/M4A dropped among the articles on its own) is an
episode. Its facts (duration, size, type, chapters, cover) come from the audio file, read once
and cached. Episodes belong to a show from ``PODCAST_SHOWS`` by their ``Podcast:`` field or
their category. Per show the plugin writes an RSS feed with the itunes and podcast namespaces,
a show page listing the episodes, and per episode a JSON chapters file.

Pelican stages: a reader (standalone audio files), a step after the articles are read (facts,
checks, GUIDs; broken episodes are reported and left out) and a generator that writes the
feeds and show pages at the end. The pure work lives in the modules next to this file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from pelican.generators import ArticlesGenerator, Generator
from pelican.readers import BaseReader
from pelican.utils import get_date, slugify

from ..core.build import build_of
from ..core.problems import settings_file
from ..core.problems import where as _where
from ..core.site import Show as SiteShow
from . import chapters as chapters_module
from .cache import FactsCache
from .episodes import (
    Episode,
    MetadataProblem,
    absolute,
    absolute_links,
    audio_source,
    check_audio_matches,
    episode_type,
    explicit_flag,
    positive_int,
    subscribe_links,
    url_path,
)
from .facts import AudioProblem
from .feed import FeedItem, build_feed
from .guid import EpisodeIdentity, assign_guids, dump_registry, load_registry, podcast_guid
from .shows import PodcastSettings, Show, read_settings
from .transcripts import TRANSCRIPT_TYPES, find_transcript, read_cues

log = logging.getLogger(__name__)


@dataclass
class Build:
    """What the plugin knows during one build (a new one for every build)."""

    settings: dict
    context: dict
    podcast: PodcastSettings
    cache: FactsCache
    content: Path
    episodes: list[tuple[object, Episode]] = field(default_factory=list)
    drafts_per_show: dict[str, int] = field(default_factory=dict)
    registry: dict | None = None
    show_problems: list = field(default_factory=list)  # reported once a show has episodes
    live_shows: set[str] = field(default_factory=set)  # shows that get a feed and a page


_build: Build | None = None


def report(context: dict, source: str, field_name: str, message: str, fix: str) -> None:
    build_of(context).report.add(source, field_name, message, fix)


def where(path) -> str:
    return _where(path, _build.settings.get("PATH") if _build else None)


# --- Start of a build: settings -------------------------------------------------------------


def start_build(generator) -> None:
    global _build
    if not isinstance(generator, ArticlesGenerator):
        return
    settings = generator.settings
    podcast, problems = read_settings(settings)
    for problem in problems:
        if not problem.show:
            source = settings_file()
            report(generator.context, source, problem.setting, problem.message, problem.fix)
    _build = Build(
        settings=settings,
        context=generator.context,
        podcast=podcast,
        cache=FactsCache(settings.get("CACHE_PATH")),
        content=Path(settings["PATH"]).resolve(),
        show_problems=[p for p in problems if p.show],
    )


# --- Standalone audio files: a reader ------------------------------------------------------


class AudioReader(BaseReader):
    """An MP3/M4A among the articles without a Markdown file: an episode from its tags."""

    enabled = True
    file_extensions = ["mp3", "m4a"]

    def read(self, source_path: str):
        path = Path(source_path)
        content = Path(self.settings["PATH"]).resolve()
        cache = _build.cache if _build else FactsCache(None)
        metadata = {
            "title": path.stem.replace("-", " ").replace("_", " "),
            "audio": os.path.relpath(path, self.settings["PATH"]),
            "podcast_standalone": True,
        }
        try:
            if not path.resolve().is_relative_to(content):
                raise AudioProblem(
                    f"links to {path.resolve()}, outside the content folder",
                    "copy the audio file into the content folder instead of linking to it",
                )
            metadata["audio"] = path.resolve().relative_to(content).as_posix()
            facts = cache.facts(path)
        except (AudioProblem, OSError) as error:
            # Reported (and left out) with the other episodes; a date keeps Pelican quiet.
            fix = getattr(error, "fix", "check the file")
            metadata["podcast_problem"] = ("Audio", f"{metadata['audio']}: {error}", fix)
            metadata["date"] = get_date("1970-01-01")
            metadata["title"] = self.process_metadata("title", metadata["title"])
            return "", metadata
        if facts.title:
            metadata["title"] = facts.title
        if facts.date:
            with contextlib.suppress(ValueError):
                metadata["date"] = get_date(facts.date)
        if "date" not in metadata:
            metadata["podcast_problem"] = (
                "Date",
                "the audio file has no recording date tag (ID3 TDRC)",
                "set the date in your tag editor, or add a Markdown file with Audio: and Date:",
            )
            metadata["date"] = get_date("1970-01-01")
        if facts.track:
            metadata["episode"] = str(facts.track)
        if facts.album and _build:
            for show in _build.podcast.shows.values():
                if show.title == facts.album:
                    metadata["podcast"] = show.slug
        folder = path.parent.name
        if _build:
            for show in _build.podcast.shows.values():
                for category in show.categories:
                    if slugify(category) == slugify(folder):
                        metadata["category"] = self.process_metadata("category", category)
        metadata["title"] = self.process_metadata("title", metadata["title"])
        html = "".join(
            f"<p>{_escape(part.strip())}</p>"
            for part in facts.comment.split("\n\n")
            if part.strip()
        )
        return html, metadata


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_reader(readers) -> None:
    for extension in AudioReader.file_extensions:
        readers.reader_classes[extension] = AudioReader


# --- After the articles are read: facts, checks, identity ----------------------------------


def show_of(article, podcast: PodcastSettings) -> Show | None:
    """The show an article belongs to: its Podcast: field, else its category."""
    slug = getattr(article, "podcast", None)
    if slug:
        show = podcast.shows.get(str(slug).strip())
        if show is None:
            raise MetadataProblem(
                "Podcast",
                f"{slug!r} is not a show in PODCAST_SHOWS",
                "use one of: " + (", ".join(podcast.shows) or "(no shows configured)"),
            )
        return show
    category = getattr(article, "category", None)
    if category is not None:
        for show in podcast.shows.values():
            if any(
                name.lower() == str(category).lower() or slugify(name) == category.slug
                for name in show.categories
            ):
                return show
    return None


def _is_episode(article) -> bool:
    return bool(getattr(article, "audio", None))


def collect_episodes(generator) -> None:
    """Read the facts of every episode and leave out (and report) what is broken."""
    build = _build
    if build is None:
        return
    context = generator.context
    broken: set[int] = set()

    def problem(article, field_name: str, message: str, fix: str) -> None:
        report(context, where(article.source_path), field_name, message, fix)
        broken.add(id(article))

    # An audio file that a text already points at is that text's episode, not a second one.
    referenced = set()
    for article in generator.articles + generator.drafts:
        if _is_episode(article) and not getattr(article, "podcast_standalone", False):
            with contextlib.suppress(MetadataProblem):  # reported with its episode below
                referenced.add(
                    audio_source(
                        article.audio, build.content, Path(article.source_path).parent
                    ).resolve()
                )
    standalone_twins = [
        a
        for a in generator.articles + generator.drafts
        if getattr(a, "podcast_standalone", False) and Path(a.source_path).resolve() in referenced
    ]
    for article in standalone_twins:
        for collection in (generator.articles, generator.drafts):
            if article in collection:
                collection.remove(article)

    for draft in generator.drafts:  # lessons still to come count in "Les 2 van 4"
        if not _is_episode(draft):
            continue
        try:
            show = show_of(draft, build.podcast)
        except MetadataProblem:
            continue
        if show is not None:
            build.drafts_per_show[show.slug] = build.drafts_per_show.get(show.slug, 0) + 1

    for article in generator.articles:
        if not _is_episode(article) and not getattr(article, "podcast", None):
            continue
        standalone_problem = getattr(article, "podcast_problem", None)
        if standalone_problem:
            problem(article, *standalone_problem)
            continue
        try:
            episode = _episode(article, build)
        except MetadataProblem as error:
            problem(article, error.field, error.message, error.fix)
            continue
        except AudioProblem as error:
            audio = getattr(article, "audio", "")
            problem(article, "Audio", f"{audio}: {error.message}", error.fix)
            continue
        build.episodes.append((article, episode))

    _check_shows(build)
    _check_numbers(build, problem)
    build.episodes = [(a, e) for a, e in build.episodes if id(a) not in broken]
    _assign_guids(build, problem)
    build.episodes = [(a, e) for a, e in build.episodes if id(a) not in broken]
    if broken:
        generator.articles[:] = [a for a in generator.articles if id(a) not in broken]
    for article, episode in build.episodes:
        article.podcast_episode = episode


def _episode(article, build: Build) -> Episode:
    if not _is_episode(article):
        raise MetadataProblem(
            "Audio",
            "the episode has a Podcast: field but no Audio: file",
            "add Audio: audio/<file>.mp3 (a path inside the content folder)",
        )
    show = show_of(article, build.podcast)
    path = audio_source(str(article.audio), build.content, Path(article.source_path).parent)
    if not path.is_file():
        raise MetadataProblem(
            "Audio",
            f"{article.audio} does not exist ({where(path)})",
            "put the audio file there or correct the path (relative to the content folder)",
        )
    relative = path.resolve().relative_to(build.content).as_posix()  # inside: audio_source
    try:
        facts = build.cache.facts(path)
    except OSError as error:
        raise MetadataProblem(
            "Audio",
            f"{article.audio} cannot be read ({error.strerror})",
            "check the file's permissions",
        ) from error
    check_audio_matches(facts)
    chapters_module.check_chapters(facts.chapters, facts.duration)
    number = positive_int("Episode", getattr(article, "episode", None))
    if number is None and show is not None and show.serial and facts.track:
        number = facts.track
    episode = Episode(
        source=Path(article.source_path).resolve().relative_to(build.content).as_posix(),
        show=show,
        audio_path=relative,
        audio_file=path,
        facts=facts,
        number=number,
        season=positive_int("Season", getattr(article, "season", None)),
        episode_type=episode_type(getattr(article, "episodetype", None)),
        explicit=explicit_flag(getattr(article, "explicit", None)),
        explicit_guid=str(getattr(article, "guid", "") or "").strip(),
        standalone=bool(getattr(article, "podcast_standalone", False)),
    )
    transcript = find_transcript(path)
    if transcript is not None:
        episode.transcript_file = transcript
        episode.transcript_type = TRANSCRIPT_TYPES[transcript.suffix.lower()]
        episode.transcript_path = transcript.resolve().relative_to(build.content).as_posix()
        try:
            episode.cues = read_cues(transcript.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError as error:
            raise MetadataProblem(
                "Audio",
                f"the transcript {transcript.name} is not UTF-8 text",
                "save the transcript as UTF-8",
            ) from error
    return episode


def _check_shows(build: Build) -> None:
    """A show is checked (artwork, category, …) once it has episodes; a broken show gets no
    feed and no page, its episodes stay on the site as articles with a player."""
    with_episodes = {e.show.slug for _, e in build.episodes if e.show is not None}
    broken = set()
    for problem in build.show_problems:
        hit = with_episodes if problem.show == "*" else {problem.show} & with_episodes
        if hit:
            report(build.context, settings_file(), problem.setting, problem.message, problem.fix)
            broken |= hit
    for _article, episode in build.episodes:
        if episode.show is not None and episode.show.slug in broken:
            episode.show = None
    build.live_shows = with_episodes - broken


def _check_numbers(build: Build, problem) -> None:
    """Serial shows number every episode; within a show no number (per season) and no audio
    file is used twice (enclosure URLs must be unique)."""
    seen: dict[tuple, object] = {}
    ordered = sorted(build.episodes, key=lambda pair: (pair[0].date, pair[1].source))
    for article, episode in ordered:
        if episode.show is None:
            continue
        if episode.number is None and episode.show.serial and episode.episode_type == "full":
            problem(
                article,
                "Episode",
                f"{episode.show.title!r} is a serial show, so every lesson needs a number",
                "add Episode: <number> (its place in the course)",
            )
            continue
        audio_key = (episode.show.slug, episode.audio_path)
        if audio_key in seen:
            problem(
                article,
                "Audio",
                f"{episode.audio_path} is also the audio of {where(seen[audio_key].source_path)}"
                " (podcast apps need a file per episode)",
                "point Audio: to this episode's own file",
            )
            continue
        seen[audio_key] = article
        if episode.number is None:
            continue
        key = (episode.show.slug, episode.season, episode.number, episode.episode_type)
        if key in seen:
            problem(
                article,
                "Episode",
                f"episode number {episode.number} is also used by {where(seen[key].source_path)}",
                "give each episode of a show its own number",
            )
            continue
        seen[key] = article


def _assign_guids(build: Build, problem) -> None:
    registry_file = build.content / build.podcast.guid_registry
    try:
        registry = load_registry(registry_file)
    except ValueError as error:
        report(
            build.context,
            where(registry_file),
            "GUID registry",
            f"cannot be read ({error})",
            "restore the file from version control",
        )
        registry = {}
    identities = []
    for _article, episode in build.episodes:
        if episode.show is None:
            continue
        show_guid = episode.show.guid or podcast_guid(build.podcast.feed_url(episode.show))
        identities.append(
            EpisodeIdentity(
                episode.source,
                episode.audio_path,
                episode.facts.sha256,
                show_guid,
                episode.explicit_guid,
            )
        )
    guids, updated = assign_guids(identities, registry)
    owner: dict[str, object] = {}
    for article, episode in sorted(build.episodes, key=lambda p: (p[0].date, p[1].source)):
        if episode.show is None:
            continue
        episode.guid = guids[episode.source]
        if episode.guid in owner:
            problem(
                article,
                "Guid",
                f"GUID {episode.guid} is also the GUID of {where(owner[episode.guid].source_path)}",
                "every episode needs its own GUID: remove or change the Guid: field",
            )
            continue
        owner[episode.guid] = article
    duplicates = len(owner) < len(identities)
    build.registry = updated if updated != registry and not duplicates else None


# --- After all content is known: positions, URLs ---------------------------------------------


class PodcastGenerator(Generator):
    """Writes each show's feed and page, chapters files, and audio the static step misses."""

    def generate_context(self) -> None:
        build = _build
        if build is None:
            return
        podcast = build.podcast
        site = self.settings.get("SITEURL", "")
        by_show: dict[str, list[tuple[object, Episode]]] = {}
        for article, episode in build.episodes:
            episode.audio_url = f"{site}/{url_path(episode.audio_path)}"
            episode.audio_url_absolute = absolute(podcast.feed_domain, episode.audio_path)
            if episode.transcript_path:
                episode.transcript_url = f"{site}/{url_path(episode.transcript_path)}"
            base = _episode_folder(article.save_as)
            if episode.facts.chapters:
                episode.chapters_save_as = base + "chapters.json"
                episode.chapters_url = episode.chapters_save_as
            if episode.facts.cover and _cover_ok(episode.facts.cover.data):
                extension = ".png" if episode.facts.cover.mime == "image/png" else ".jpg"
                episode.cover_save_as = base + "cover" + extension
            if episode.show is not None:
                episode.feed_url = podcast.feed_url(episode.show)
                episode.show_url = f"{site}/{podcast.show_page_url(episode.show)}"
                by_show.setdefault(episode.show.slug, []).append((article, episode))
        self.shows = []
        for slug, show in podcast.shows.items():
            if slug not in build.live_shows:
                continue  # no episodes (yet), or a show with problems: no feed, no page
            episodes = _course_order(show, by_show.get(slug, []))
            total = len(episodes) + build.drafts_per_show.get(slug, 0)
            if show.serial:
                total = max([total] + [e.number or 0 for _, e in episodes])
            for index, (_article, episode) in enumerate(episodes):
                episode.position = episode.number if show.serial else None
                episode.total = total
                episode.previous = episodes[index - 1][0] if index > 0 else None
                episode.next = episodes[index + 1][0] if index + 1 < len(episodes) else None
            self.shows.append(
                {
                    "show": show,
                    "episodes": episodes,
                    "url": podcast.show_page_url(show),
                    "save_as": podcast.show_save_as.format(show=show.slug),
                    "feed_url": podcast.feed_url(show),
                    "feed_save_as": podcast.feed_path(show),
                    "artwork_url": f"{site}/{url_path(show.artwork)}",
                    "podcast_guid": show.guid or podcast_guid(podcast.feed_url(show)),
                    "subscribe": subscribe_links(podcast.feed_url(show), show.title),
                }
            )
        self.context["podcast_shows"] = self.shows

    def generate_output(self, writer) -> None:
        build = _build
        if build is None:
            return
        output = Path(self.output_path)
        podcast = build.podcast
        for _article, episode in build.episodes:
            if episode.chapters_save_as:
                _write(
                    output / episode.chapters_save_as,
                    chapters_module.chapters_json(episode.facts.chapters).encode(),
                )
            if episode.cover_save_as:
                _write(output / episode.cover_save_as, episode.facts.cover.data)
            for path, relative in (
                (episode.audio_file, episode.audio_path),
                (episode.transcript_file, episode.transcript_path),
            ):
                if path is not None and not _is_static(relative, self.settings):
                    _copy(path, output / relative)
        for show in self.shows:
            if not _is_static(show["show"].artwork, self.settings):
                _copy(build.content / show["show"].artwork, output / show["show"].artwork)
            items = [self._item(article, episode) for article, episode in show["episodes"]]
            xml = build_feed(
                show["show"],
                items,
                feed_url=show["feed_url"],
                site_url=absolute(podcast.feed_domain, show["url"]),
                artwork_url=absolute(podcast.feed_domain, show["show"].artwork),
                podcast_guid=show["podcast_guid"],
            )
            _write(output / show["feed_save_as"], xml)
            writer.write_file(
                show["save_as"],
                self.get_template("podcast_show"),
                self.context,
                podcast_show=show,
                page_name=show["url"].rstrip("/"),
                url=show["url"],
            )
        build.cache.save()
        if build.registry is not None and podcast.guid_registry_write:
            registry_file = build.content / podcast.guid_registry
            registry_file.write_text(dump_registry(build.registry), encoding="utf-8")
            log.warning(
                "Recorded the GUIDs of new or renamed episodes in %s: commit this file, so "
                "that these GUIDs never change.",
                where(registry_file),
            )

    def _item(self, article, episode: Episode) -> FeedItem:
        domain = _build.podcast.feed_domain
        page_url = absolute(domain, article.url)
        summary = _plain(getattr(article, "summary", "") or "")
        return FeedItem(
            guid=episode.guid,
            title=_plain(article.title),
            page_url=page_url,
            date=article.date,
            description=summary.encode()[:4000].decode(errors="ignore"),
            content_html=absolute_links(article.content, page_url),
            audio_url=episode.audio_url_absolute,
            facts=episode.facts,
            number=episode.number,
            season=episode.season,
            episode_type=episode.episode_type,
            explicit=episode.explicit,
            image_url=absolute(domain, episode.cover_save_as) if episode.cover_save_as else None,
            chapters_url=absolute(domain, episode.chapters_save_as)
            if episode.chapters_save_as
            else None,
            transcript=(
                absolute(domain, episode.transcript_path),
                episode.transcript_type,
                episode.show.language,
            )
            if episode.transcript_path
            else None,
            source=episode.source,
        )


def _plain(html: str) -> str:
    """Text of an HTML fragment (titles and summaries are HTML in Pelican)."""
    if not html.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def _course_order(show: Show, episodes: list) -> list:
    """Lessons of a course in course order; episodes of an episodic show newest first."""
    if show.serial:
        return sorted(episodes, key=lambda p: (p[1].season or 0, p[1].number or 0, p[0].date))
    return sorted(episodes, key=lambda p: (p[0].date, p[1].source), reverse=True)


def _episode_folder(save_as: str) -> str:
    folder, name = os.path.split(save_as)
    if name == "index.html":
        return f"{folder}/" if folder else ""
    return os.path.splitext(save_as)[0] + "-"


def _cover_ok(data: bytes) -> bool:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            return width == height and 1400 <= width <= 3000 and image.mode == "RGB"
    except (UnidentifiedImageError, OSError):
        return False


def _is_static(relative: str, settings: dict) -> bool:
    """Whether Pelican's static step copies this content path to the same output path."""
    if not relative:
        return True
    for static in settings.get("STATIC_PATHS", []):
        static = static.rstrip("/")
        if static in ("", ".") or relative == static or relative.startswith(static + "/"):
            return True
    return False


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def _copy(source: Path, target: Path) -> None:
    if (
        target.exists()
        and target.stat().st_size == source.stat().st_size
        and (target.stat().st_mtime_ns >= source.stat().st_mtime_ns)
    ):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def generators(pelican) -> type:
    return PodcastGenerator


add_audio_reader = add_reader
start = start_build


def mark_episodes(generators) -> None:
    """Tell the site model which items are lessons and episodes, and of which show."""
    build = _build
    if build is None:
        return
    site = build_of(generators[0]).site
    podcast = build.podcast
    for article, episode in build.episodes:
        item = site.item(article)
        if item is None:
            continue
        show = None
        if episode.show is not None:
            show = SiteShow(
                slug=episode.show.slug,
                title=episode.show.title,
                artwork=episode.show.artwork,
                url=absolute(podcast.feed_domain, podcast.show_page_url(episode.show)),
                feed_url=podcast.feed_url(episode.show),
                serial=episode.show.serial,
            )
        site.mark_episode(item, show, episode)
