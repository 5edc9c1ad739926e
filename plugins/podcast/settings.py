"""The podcast's settings: every ``PODCAST_*`` setting, read the core's way (a frozen dataclass of
defaults and ``core.settings.read``), and each show of ``PODCAST_SHOWS`` (``shows.read_show``).

A show whose directory checks fail (artwork, category, …) stays in ``shows`` so that its
episodes are recognised; its problems carry ``show`` and matter once it has episodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..core import settings as core_settings
from ..core.settings import SettingError, setting
from ..core.urls import absolute_url, base_url
from .guid import podcast_guid
from .shows import Show, ShowSettingProblem, read_show
from .tags import RemoteItem


def _with_show(value: str) -> str:
    if "{show}" not in value:
        raise SettingError(
            f"{value!r} has no {{show}}, so every show would be written to one file",
            'put {show} in it, e.g. "podcast/{show}/feed.xml"',
        )
    return value


@dataclass(frozen=True)
class PodcastOptions:
    """The ``PODCAST_*`` settings and their defaults (README, "Configuring a show")."""

    shows: dict = setting({}, fix='write PODCAST_SHOWS = {"my-show": {"title": …}}')
    feed_save_as: str = setting("podcast/{show}/feed.xml", check=_with_show)
    show_url: str = setting("podcast/{show}/", check=_with_show)
    show_save_as: str = setting("podcast/{show}/index.html", check=_with_show)
    guid_registry: str = "podcast-guids.json"  # inside the content folder, committed
    guid_registry_write: bool | None = None  # None: in strict (publish) builds only
    optimise_artwork: bool = False  # publish a ≤ 512 KB copy of larger artwork
    # The reader service that serves drip courses' personal feeds ("" = RATINGS_SERVICE_URL).
    course_service_url: str = ""


@dataclass(frozen=True)
class PodcastSettings:
    shows: dict[str, Show] = field(default_factory=dict)
    feed_save_as: str = PodcastOptions.feed_save_as
    show_url: str = PodcastOptions.show_url
    show_save_as: str = PodcastOptions.show_save_as
    guid_registry: str = PodcastOptions.guid_registry
    guid_registry_write: bool = False  # True in publish builds: first publication fixes GUIDs
    optimise_artwork: bool = False
    course_service_url: str = ""
    feed_domain: str = ""  # the site's absolute address (core.urls.base_url)

    def feed_path(self, show: Show) -> str:
        return self.feed_save_as.format(show=show.slug)

    def feed_url(self, show: Show) -> str:
        return absolute_url(self.feed_domain, self.feed_path(show))

    def show_page_url(self, show: Show) -> str:
        return self.show_url.format(show=show.slug)

    def show_guid(self, show: Show) -> str:
        """The show's podcast:guid: pinned in its settings, else derived from the feed URL."""
        return show.guid or podcast_guid(self.feed_url(show))


def read_settings(settings: dict) -> tuple[PodcastSettings, list[ShowSettingProblem]]:
    """All PODCAST_* settings, with defaults, and the problems found in them."""
    options, found = core_settings.read(PodcastOptions, settings, "PODCAST_")
    problems = [ShowSettingProblem(p.field, p.message, p.fix) for p in found]
    domain = base_url(settings)
    shows: dict[str, Show] = {}
    for slug, values in options.shows.items():
        show, found = read_show(str(slug), values, settings, domain)
        problems += found
        if show is not None:
            shows[show.slug] = show
    write = options.guid_registry_write
    podcast = PodcastSettings(
        shows=shows,
        feed_save_as=options.feed_save_as,
        show_url=options.show_url,
        show_save_as=options.show_save_as,
        guid_registry=options.guid_registry,
        guid_registry_write=bool(settings.get("SCHITTER_STRICT") if write is None else write),
        optimise_artwork=options.optimise_artwork,
        course_service_url=(
            options.course_service_url or str(settings.get("RATINGS_SERVICE_URL") or "")
        ).rstrip("/"),
        feed_domain=domain,
    )
    for show in list(shows.values()):
        podroll, found = _resolve_podroll(show, podcast)
        problems += found
        shows[show.slug] = replace(show, podroll=podroll)
    return podcast, problems


def _resolve_podroll(show: Show, podcast: PodcastSettings) -> tuple[tuple, list]:
    """A podroll entry that names another show of this site becomes its remote item."""
    resolved, problems = [], []
    for entry in show.podroll:
        if isinstance(entry, RemoteItem):
            resolved.append(entry)
        elif entry in podcast.shows and entry != show.slug:
            other = podcast.shows[entry]
            url = podcast.feed_url(other)
            resolved.append(RemoteItem(podcast.show_guid(other), url, other.title))
        else:
            problems.append(
                ShowSettingProblem(
                    f'PODCAST_SHOWS["{show.slug}"]["podroll"]',
                    f"{entry!r} is not another show in PODCAST_SHOWS",
                    'name another show\'s slug, or give {"feed_guid": …} of a show elsewhere',
                )
            )
    return tuple(resolved), problems
