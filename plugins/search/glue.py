"""search's steps in the pipeline: the search page's form, the index, the bundle in the output.

- ``generator_init``: the search page's form for the templates (``SEARCH_FORM``): where it goes
  without JavaScript (the search engine of ``SEARCH_FALLBACK``, or nowhere: then the form is
  hidden until JavaScript shows it) and where the bundle is.
- ``all_generators_finalized``: every published article, lesson, episode and page becomes a
  :class:`~.documents.SearchPage`; unless a bundle of exactly these pages is in the cache,
  Pagefind starts indexing them in the background (:class:`~.service.Indexer`) while Pelican
  writes the site.
- ``finalized``: the bundle, which the indexer wrote into the output (``pagefind/``) and, as one
  zip, into ``CACHE_PATH/search/<digest>.zip``, is put in place; a bundle from the cache is
  unpacked into an output folder that does not have it.

Settings: ``SEARCH_*`` (README, "Search").
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..core.build import CONTEXT_KEY, build_of
from ..core.settings import SettingError, read, setting
from ..core.urls import site_link
from .documents import KINDS, digest, main_language, search_page
from .service import Indexer, SearchIndexError, unpack

# Search engines that search one site from a plain form: (action, query field, site field).
ENGINES = {
    "duckduckgo": ("DuckDuckGo", "https://duckduckgo.com/", "q", "sites"),
    "google": ("Google", "https://www.google.com/search", "q", "as_sitesearch"),
}
DIGEST_FILE = ".schitter-search"
KEEP_BUNDLES = 3  # bundles kept in the cache (the current one and two before it)


def _engine(value: str) -> str:
    if value and value not in ENGINES:
        raise SettingError(
            f"{value!r} is not a search engine the form knows",
            f"use one of {', '.join(repr(e) for e in ENGINES)}, or '' to hide the form "
            "without JavaScript",
        )
    return value


def _bundle(value: str) -> str:
    cleaned = value.strip("/")
    if not cleaned or ".." in cleaned.split("/"):
        raise SettingError(f"{value!r} is not a folder inside the site", 'use "pagefind"')
    return cleaned


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool = True
    language: str = ""  # the index's language; "" = the language most items are written in
    fallback: str = setting("duckduckgo", check=_engine)  # without JavaScript; "" hides the form
    bundle: str = setting("pagefind", check=_bundle)  # the bundle's folder in the output


@dataclass(frozen=True)
class SearchForm:
    """What the search page's form needs (template global ``SEARCH_FORM``)."""

    enabled: bool
    bundle_url: str  # the folder with pagefind.js, ending in /
    engine: str = ""  # the name of the search engine without JavaScript, "" for none
    action: str = ""
    query_field: str = "q"
    hidden: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _config(build) -> SearchSettings:
    if "search.settings" not in build.features:
        config, problems = read(SearchSettings, build.settings, "SEARCH_", build.settings_file)
        build.report.extend(problems)
        build.features["search.settings"] = config
    return build.features["search.settings"]


def publish_form_action(pelican) -> None:
    """``SEARCH_FORM_ACTION``: where the search page's form goes without JavaScript (the
    security feature lets forms post there); "" for none. Wrong settings are reported later,
    by the build (``_config``)."""
    engine = pelican.settings.get("SEARCH_FALLBACK", "duckduckgo")
    enabled = pelican.settings.get("SEARCH_ENABLED", True) is not False
    found = ENGINES.get(engine) if isinstance(engine, str) and enabled else None
    pelican.settings["SEARCH_FORM_ACTION"] = found[1] if found else ""


def add_search_form(generator) -> None:
    build = build_of(generator)
    config = _config(build)
    bundle_url = site_link(build.settings, config.bundle) + "/"
    if config.fallback:
        name, action, query, site_field = ENGINES[config.fallback]
        domain = urlsplit(build.base_url).netloc
        form = SearchForm(config.enabled, bundle_url, name, action, query, ((site_field, domain),))
    else:
        form = SearchForm(config.enabled, bundle_url)
    generator.env.globals["SEARCH_FORM"] = form


class SearchBuild:
    """One build's index: either a cached bundle or an indexer at work."""

    def __init__(self, build, config: SearchSettings):
        self.build = build
        self.config = config
        self.folder = Path(build.settings.get("CACHE_PATH") or "cache") / "search"
        self.target = Path(build.settings["OUTPUT_PATH"]) / config.bundle
        self.digest = ""
        self.indexer: Indexer | None = None

    def _kept(self, partial: bool = False) -> Path:
        return self.folder / f"{self.digest}.zip{'.partial' if partial else ''}"

    def _written(self) -> Path:
        return self.target.with_name(self.target.name + ".partial")

    def start(self) -> None:
        site = self.build.site
        settings = self.build.settings
        default = str(settings.get("DEFAULT_LANG") or "nl")
        items = [i for i in site.of_kind(*KINDS) if not i.extras.get("unlisted")]
        language = self.config.language or main_language([i.language for i in items], default)
        siteurl = str(settings.get("SITEURL") or "")
        pages = [
            search_page(
                url=site_link(settings, item.path),
                title=item.title,
                date=item.date.date().isoformat() if item.date and item.kind != "page" else "",
                kind=item.kind,
                body=item.content.get_content(siteurl) or "",
                language=language,
            )
            for item in sorted(items, key=lambda i: i.path)
        ]
        indexer_config = {"force_language": language}
        self.digest = digest(pages, indexer_config, _pagefind_version())
        if self._kept().is_file():
            return  # these pages were indexed before: the bundle is reused
        try:
            self.indexer = Indexer(indexer_config)
        except (OSError, SearchIndexError) as error:
            self._fail(error)
            return
        shutil.rmtree(self._written(), ignore_errors=True)
        self.indexer.start(
            ((page.url, page.html) for page in pages),
            self._written().resolve(),
            self._kept(partial=True).resolve(),
        )

    def _fail(self, error: Exception) -> None:
        self.build.setting_problem(
            "SEARCH_ENABLED",
            f"the search index could not be made ({error}); the site has no search",
            "reinstall the pinned dependencies (make serve does it) or set SEARCH_ENABLED = False",
        )
        self.indexer = None
        self.digest = ""

    def finish(self) -> None:
        if not self.digest:
            return
        marker = self.target / DIGEST_FILE
        if self.indexer is not None:
            try:
                self.indexer.wait()
            except SearchIndexError as error:
                shutil.rmtree(self._written(), ignore_errors=True)
                self._kept(partial=True).unlink(missing_ok=True)
                self._fail(error)
                return
            # Both complete, never half-written: the output's bundle and the cache's zip.
            shutil.rmtree(self.target, ignore_errors=True)
            self._written().rename(self.target)
            self._kept(partial=True).replace(self._kept())
            _prune(self.folder, keep=self._kept())
        elif marker.is_file() and marker.read_text() == self.digest:
            return  # the output has this bundle already (an output folder that is kept)
        else:
            shutil.rmtree(self.target, ignore_errors=True)
            unpack(self._kept(), self.target)
        marker.write_text(self.digest)


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pagefind-bin")
    except PackageNotFoundError:
        return ""


def _prune(folder: Path, keep: Path) -> None:
    """The cache keeps the newest bundles (and no folder of an older Schitter's)."""
    kept = sorted(folder.glob("*.zip"), key=lambda p: p.stat().st_mtime)
    for old in kept[:-KEEP_BUNDLES]:
        if old != keep:
            old.unlink(missing_ok=True)
    for older in folder.iterdir():
        if older.is_dir():
            shutil.rmtree(older, ignore_errors=True)


def start_index(generators) -> None:
    build = build_of(generators[0])
    config = _config(build)
    if not config.enabled:
        return
    search = SearchBuild(build, config)
    build.features["search"] = search
    search.start()


def write_bundle(pelican) -> None:
    build = pelican.settings.get(CONTEXT_KEY)  # released by core.finish_build, after this
    search = build.existing_state("search") if build is not None else None
    if search is None:
        return
    search.finish()
