"""One build's podcast: its settings, its audio facts cache, and its episodes and shows.

:func:`collect` turns Pelican's articles into episodes: each one read once
(``episode_read.py``), compared with the others (``catalog.py``: numbers, files, GUIDs, order)
and then made once (``published.py``), its GUID and its place in the show known. Broken ones
are reported through the core's report and left out. The glue calls it; nothing here outlives
the build (the state lives on the core's build).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.build import Build
from ..core.problems import log
from ..core.urls import absolute_url, site_link
from . import catalog
from .cache import FactsCache
from .episode_read import EpisodeRead, read_episode, show_of
from .episodes import MetadataProblem, audio_source, subscribe_links
from .facts import AudioProblem
from .guid import load_registry
from .published import Episode, episode_links
from .settings import PodcastSettings, read_settings
from .shows import ARTWORK_RECOMMENDED_BYTES


@dataclass
class Podcast:
    """One build's podcast."""

    build: Build
    settings: PodcastSettings
    cache: FactsCache
    show_problems: list  # reported once the show has episodes
    episodes: list[tuple[object, Episode]] = field(default_factory=list)
    shows: list[dict] = field(default_factory=list)  # shows with a feed and a page
    registry: dict | None = None  # to write: new or renamed episodes' GUIDs


def start_podcast(build: Build) -> Podcast:
    """The podcast of a build that starts: its settings (wrong ones reported) and cache."""
    settings, problems = read_settings(build.settings)
    for problem in problems:
        line = (problem.setting, problem.message, problem.fix)
        if problem.warning:
            log.warning("%s: %s: %s — %s", build.settings_file, *line)
        elif not problem.show:
            build.setting_problem(*line)
    cache_path = build.settings.get("CACHE_PATH")
    strict = bool(build.settings.get("SCHITTER_STRICT"))
    show_problems = [p for p in problems if p.show and not p.warning]
    return Podcast(build, settings, FactsCache(cache_path, verify=strict), show_problems)


def _audio(article) -> bool:
    return bool(getattr(article, "audio", None))


def _drop_standalone_twins(articles: list, drafts: list, content: Path) -> None:
    """An audio file that a text already points at is that text's episode, not a second one."""
    everything = articles + drafts
    referenced = set()
    for article in everything:
        if _audio(article) and not getattr(article, "podcast_standalone", False):
            with contextlib.suppress(MetadataProblem):  # reported with its episode
                folder = Path(article.source_path).parent
                referenced.add(audio_source(article.audio, content, folder).resolve())
    for article in everything:
        standalone = getattr(article, "podcast_standalone", False)
        if standalone and Path(article.source_path).resolve() in referenced:
            for collection in (articles, drafts):
                if article in collection:
                    collection.remove(article)


def collect(podcast: Podcast, articles: list, drafts: list) -> None:
    """Read every episode among Pelican's ``articles``, compare them, and make each one; what
    is broken is reported and removed from ``articles`` (``drafts``: lessons still to come)."""
    build, settings = podcast.build, podcast.settings
    _drop_standalone_twins(articles, drafts, build.content)
    broken: set[str] = set()  # sources
    article_of: dict[str, object] = {}
    reads: list[EpisodeRead] = []

    def problem(source_path, field_name: str, message: str, fix: str) -> None:
        build.problem(source_path, field_name, message, fix)
        broken.add(str(source_path))

    for article in articles:
        if not _audio(article) and not getattr(article, "podcast", None):
            continue
        if getattr(article, "podcast_problem", None):
            problem(article.source_path, *article.podcast_problem)
            continue
        try:
            show = show_of(getattr(article, "podcast", None), article.category, settings.shows)
            read = read_episode(
                article.metadata,
                Path(article.source_path),
                article.date,
                show,
                build.content,
                podcast.cache.facts,
                lambda path: absolute_url(build.base_url, path),
            )
        except MetadataProblem as error:
            problem(article.source_path, error.field, error.message, error.fix)
            continue
        except AudioProblem as error:
            message = f"{article.audio}: {error.message}"
            problem(article.source_path, "Audio", message, error.fix)
            continue
        for notice in read.notices:
            line = (notice.field, notice.message, notice.fix)
            if notice.warning:
                log.warning("%s: %s: %s — %s", build.where(article.source_path), *line)
            else:
                build.problem(article.source_path, *line)
        article_of[read.source] = article
        reads.append(read)

    reads = _with_live_shows(podcast, reads)
    path_of = {read.source: article_of[read.source].source_path for read in reads}

    def where(source: str) -> str:
        return build.where(path_of[source])

    registry = _registry(podcast)
    # An episode that is already published keeps its file and number over a newer one.
    published = frozenset(
        str(entry.get("source", "")) for entry in registry.values() if isinstance(entry, dict)
    )
    for clash in catalog.numbering_clashes(reads, where, published):
        problem(path_of[clash.episode.source], clash.field, clash.message, clash.fix)
    reads = [read for read in reads if path_of[read.source] not in broken]
    guids, podcast.registry, clashes = catalog.guids(reads, registry, settings.show_guid, where)
    for clash in clashes:
        problem(path_of[clash.episode.source], clash.field, clash.message, clash.fix)
    reads = [read for read in reads if path_of[read.source] not in broken]
    articles[:] = [a for a in articles if str(a.source_path) not in broken]
    _make_episodes(podcast, drafts, reads, guids, article_of)


def _with_live_shows(podcast: Podcast, reads: list[EpisodeRead]) -> list[EpisodeRead]:
    """A show is checked (artwork, category…) once it has episodes; a broken show gets no feed
    and no page, its episodes stay on the site as articles with a player."""
    with_episodes = {read.show.slug for read in reads if read.show is not None}
    broken = set()
    for problem in podcast.show_problems:
        hit = with_episodes if problem.show == "*" else {problem.show} & with_episodes
        if hit:
            podcast.build.setting_problem(problem.setting, problem.message, problem.fix)
            broken |= hit
    return [replace(r, show=None) if r.show and r.show.slug in broken else r for r in reads]


def _registry(podcast: Podcast) -> dict:
    registry_file = podcast.build.content / podcast.settings.guid_registry
    try:
        return load_registry(registry_file)
    except ValueError as error:
        podcast.build.problem(
            registry_file,
            "GUID registry",
            f"cannot be read ({error})",
            "restore the file from version control",
        )
        return {}


def _drafts_per_show(podcast: Podcast, drafts: list) -> dict[str, int]:
    """Lessons dated later count in "Les 2 van 4"."""
    counts: dict[str, int] = {}
    shows = podcast.settings.shows
    for draft in drafts:
        if _audio(draft):
            with contextlib.suppress(MetadataProblem):
                show = show_of(getattr(draft, "podcast", None), draft.category, shows)
                if show is not None:
                    counts[show.slug] = counts.get(show.slug, 0) + 1
    return counts


def _make_episodes(podcast: Podcast, drafts: list, reads, guids, article_of) -> None:
    """Each episode made once (its GUID and place known), and the shows that get a feed."""
    settings, build = podcast.settings, podcast.build
    later = _drafts_per_show(podcast, drafts)
    places: dict[str, catalog.Place] = {}
    for slug, show in settings.shows.items():
        of_show = [read for read in reads if read.show and read.show.slug == slug]
        ordered = catalog.show_order(show.serial, of_show)
        if not ordered:
            continue  # no episodes (yet), or a show with problems: no feed, no page
        places.update(catalog.places(show.serial, ordered, later.get(slug, 0)))
        podcast.shows.append({"show": show, "order": [r.source for r in ordered]})
    made: dict[str, Episode] = {}
    for read in reads:
        article, place = article_of[read.source], places.get(read.source, catalog.Place())
        show = read.show
        links = episode_links(
            read,
            article.save_as,
            absolute_url(build.base_url, article.url),
            lambda path: site_link(build.settings, path),
            lambda path: absolute_url(build.base_url, path),
            feed_url=settings.feed_url(show) if show else "",
            show_url=site_link(build.settings, settings.show_page_url(show)) if show else "",
        )
        made[read.source] = Episode(
            read,
            guids.get(read.source, "") if show else "",
            links,
            position=place.position,
            total=place.total,
            previous=article_of[place.previous.source] if place.previous else None,
            next=article_of[place.next.source] if place.next else None,
        )
        podcast.episodes.append((article, made[read.source]))
    for entry in podcast.shows:
        show = entry.pop("show")
        feed_url = settings.feed_url(show)
        entry.update(
            show=show,
            episodes=[(article_of[source], made[source]) for source in entry.pop("order")],
            url=settings.show_page_url(show),
            save_as=settings.show_save_as.format(show=show.slug),
            feed_url=feed_url,
            feed_save_as=settings.feed_path(show),
            artwork=_artwork(podcast, show),
            artwork_url=site_link(build.settings, _artwork(podcast, show)),
            podcast_guid=settings.show_guid(show),
            subscribe=subscribe_links(feed_url, show.title),
        )


def _artwork(podcast: Podcast, show) -> str:
    """The show's artwork as published: an optimised copy when it is too large and
    ``PODCAST_OPTIMISE_ARTWORK`` is on."""
    source = podcast.build.content / show.artwork
    if podcast.settings.optimise_artwork and source.stat().st_size > ARTWORK_RECOMMENDED_BYTES:
        return str(Path(show.artwork).with_suffix("")) + ".512k.jpg"
    return show.artwork
