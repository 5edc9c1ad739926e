"""redirects: every address of the old site keeps working, and old posts keep their feed ids.

From ``content/redirects.json`` (the WordPress import writes it; README, "Van WordPress
overstappen") every build writes
- a redirect page per old path, through Pelican's writer and the theme's ``redirect.html``
  (meta refresh, ``rel=canonical``, a visible link; translated): it works on any host;
- ``redirects/nginx-http.conf``, ``redirects/nginx-server.conf`` and ``redirects/Caddyfile``:
  301s for every old address, also the ``/?p=12`` ones no static file can answer;
- ``redirects/map.json``: the resolved map, read by the development server and by
  ``invoke check-redirects``.
An old address that is also a page of this build is left alone. Articles with a ``Guid:`` get
it as their entry id in the article feeds (feed_ids.py).

Settings (``REDIRECTS_*``): :class:`RedirectsSettings`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pelican.generators import Generator

from ..core.build import build_of
from ..core.settings import read
from . import feed_ids, snippets
from .targets import Addresses, page_file, resolve_map

FEATURE = "redirects"


@dataclass(frozen=True)
class RedirectsSettings:
    file: str = "redirects.json"  # inside the content folder
    save_as: str = "redirects"  # the folder (in the output) for the snippets and the map
    template: str = "redirect"


def generators(pelican) -> type:
    return RedirectsGenerator


def _path(url: str) -> str:
    return "/" + url.lstrip("/")


def site_addresses(context: dict, settings: dict, content: Path) -> Addresses:
    """Everything of this build an old address may point at, as site paths."""
    prefix = urlsplit(str(settings.get("SITEURL") or "")).path.rstrip("/")

    def at(url: str) -> str:
        return prefix + _path(url)

    def source(item) -> str:
        try:
            return Path(item.source_path).resolve().relative_to(content).as_posix()
        except ValueError:
            return ""

    items = list(context.get("articles", [])) + list(context.get("pages", []))
    items += list(context.get("hidden_pages", []))
    category_feed = settings.get("CATEGORY_FEED_ATOM") or settings.get("CATEGORY_FEED_RSS")
    archives: dict[str, str] = {}
    for article in context.get("articles", []):
        for key, pattern in (("%Y", "YEAR_ARCHIVE_URL"), ("%Y/%m", "MONTH_ARCHIVE_URL")):
            if settings.get(pattern):
                archives[article.date.strftime(key)] = at(
                    settings[pattern].format(date=article.date)
                )
    feed = next(
        (settings[n] for n in ("FEED_ALL_ATOM", "FEED_ATOM", "FEED_ALL_RSS") if settings.get(n)),
        "",
    )
    feed_pattern = str(settings.get("PODCAST_FEED_SAVE_AS") or "podcast/{show}/feed.xml")
    return Addresses(
        content={source(i): at(i.url) for i in items if source(i)},
        static={s.get_relative_source_path(): at(s.url) for s in context.get("staticfiles", [])},
        categories={c.name: at(c.url) for c, _ in context.get("categories", [])},
        category_feeds={
            c.name: at(category_feed.format(slug=c.slug))
            for c, _ in context.get("categories", [])
            if category_feed
        },
        tags={t.name: at(t.url) for t, _ in context.get("tags", [])},
        authors={a.name: at(a.url) for a, _ in context.get("authors", [])},
        archives=archives,
        podcast_feeds={
            show: at(feed_pattern.format(show=show)) for show in settings.get("PODCAST_SHOWS") or {}
        },
        feed=at(feed) if feed else "",
    )


class RedirectsGenerator(Generator):
    """Writes the redirect pages, the server snippets and the resolved map."""

    def generate_context(self) -> None:
        pass  # the map is resolved in generate_output, when every generator has its content

    def generate_output(self, writer) -> None:
        build = build_of(self)
        config, problems = read(RedirectsSettings, self.settings, "REDIRECTS_", build.settings_file)
        build.report.extend(problems)
        map_file = build.content / config.file
        if not map_file.is_file():
            return
        try:
            document = json.loads(map_file.read_text(encoding="utf-8"))
            redirects = document["redirects"]
            assert isinstance(redirects, dict)
        except (OSError, ValueError, KeyError, TypeError, AssertionError) as error:
            build.problem(
                map_file,
                "redirects",
                f"is not a redirect map ({type(error).__name__}); no old address redirects",
                'write {"version": 1, "redirects": {"/old/": "{filename}articles/x.md"}}, or '
                "import the WordPress export again",
            )
            return
        resolved = resolve_map(
            redirects, site_addresses(self.context, self.settings, build.content)
        )
        for old, what, fix in resolved.problems:
            build.problem(map_file, "redirects", f"{old!r} {what}; it does not redirect", fix)
        self._write(writer, build, config, resolved)

    def _write(self, writer, build, config: RedirectsSettings, resolved) -> None:
        output = Path(self.output_path).resolve()
        taken = {str(Path(p).resolve()) for p in getattr(writer, "_written_files", ())}
        taken |= {str(output / s.save_as) for s in self.context.get("staticfiles", [])}
        prefix = urlsplit(str(self.settings.get("SITEURL") or "")).path.rstrip("/")
        template = self.get_template(config.template)
        origin = build.base_url.removesuffix(prefix)  # the new addresses are already encoded
        pages: dict[str, str] = {}
        for old, new in sorted(resolved.paths.items()):
            if prefix and not old.startswith(prefix + "/"):
                pages[old] = new  # outside this site's folder: only the server can answer it
                continue
            save_as = page_file(old[len(prefix) :])
            if str((output / save_as).resolve()) in taken:
                continue  # a page of this build lives at the old address: nothing to redirect
            writer.write_file(
                save_as,
                template,
                self.context,
                # like every link of the site: root-relative while developing (any port)
                redirect_to=origin + new if self.settings.get("SITEURL") else new,
                redirect_canonical=origin + new,
            )
            pages[old] = new
        queries = {
            path: {key: by_key[key] for key in snippets.query_keys({path: by_key})}
            for path, by_key in resolved.queries.items()
        }
        folder = output / config.save_as
        folder.mkdir(parents=True, exist_ok=True)
        files = {
            "map.json": json.dumps(
                {"version": 1, "paths": pages, "queries": queries}, indent=1, ensure_ascii=False
            )
            + "\n",
            "nginx-http.conf": snippets.nginx_http(pages, queries),
            "nginx-server.conf": snippets.nginx_server(queries),
            "Caddyfile": snippets.caddyfile(pages, queries),
        }
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")


def collect_entry_ids(generators) -> None:
    """Which article addresses had which id in the old feed (articles with a Guid:)."""
    if not generators:
        return
    articles = [a for g in generators for a in getattr(g, "articles", [])]
    build = build_of(generators[0])
    site_url = str(build.settings.get("SITEURL") or build.base_url)
    build.state(FEATURE, dict).update(feed_ids.entry_ids(articles, site_url))


def keep_entry_ids(context, feed) -> None:
    build = build_of(context)
    ids = build.existing_state(FEATURE)
    if ids:
        feed_ids.apply_entry_ids(feed, ids)
