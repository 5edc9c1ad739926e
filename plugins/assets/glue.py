"""assets' steps in the pipeline: the inline favicon for the templates, and the finished output
(each kind of page's stylesheet and script made of its parts, minified; precompressed copies).
Settings: ``THEME_ASSETS_*`` (README)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2.ext import Extension
from markupsafe import Markup

from ..core.build import CONTEXT_KEY, build_of
from ..core.problems import settings_file
from ..core.settings import SettingError, read, setting
from .bundles import bundles
from .files import (
    minified,
    minify,
    minify_key,
    precompress,
    replace,
    strip_indentation,
    svg_data_uri,
)

FORMATS = ("gz", "br")


def _formats(value: tuple) -> tuple[str, ...]:
    unknown = sorted(str(v) for v in set(value) - set(FORMATS))
    if unknown:
        raise SettingError(
            f"unknown format(s) {unknown}",
            'use any of "gz" and "br"',
            instead=tuple(v for v in value if v in FORMATS),
        )
    return tuple(value)


@dataclass(frozen=True)
class AssetSettings:
    minify: bool = True
    favicon: str = "extra/favicon.svg"  # inside the content folder; "" for none
    precompress: tuple[str, ...] = setting((), check=_formats)  # ("gz", "br")


class CompactTemplates(Extension):
    """The theme's templates without their indentation (files.strip_indentation): every page
    is smaller, gzipped too, at no cost per page (done once, when a template is loaded)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return strip_indentation(source)


def compact_templates(generator) -> None:
    build = build_of(generator)
    config, _ = read(AssetSettings, build.settings, "THEME_ASSETS_", build.settings_file)
    if config.minify:
        generator.env.add_extension(CompactTemplates)


def add_favicon(generator) -> None:
    build = build_of(generator)
    if "assets.favicon" not in build.features:
        config, problems = read(AssetSettings, build.settings, "THEME_ASSETS_", build.settings_file)
        build.report.extend(problems)
        source = build.content / config.favicon if config.favicon else None
        if source is not None and not source.is_file():
            build.setting_problem(
                "THEME_ASSETS_FAVICON",
                f"there is no file {config.favicon} in content/",
                "add the SVG there, or set THEME_ASSETS_FAVICON to its path (or to '')",
            )
            source = None
        # Every generator has its own Jinja environment; the file is read once per build.
        build.features["assets.favicon"] = (
            Markup(svg_data_uri(source.read_text("utf-8"))) if source else None
        )
    if build.features["assets.favicon"]:
        generator.env.globals["FAVICON_DATA_URI"] = build.features["assets.favicon"]


def _theme_scripts(settings: dict) -> list[Path]:
    """The theme's CSS and JavaScript that Pelican copies into the output and we minify."""
    theme = Path(settings["THEME"])
    found = []
    for static in settings.get("THEME_STATIC_PATHS") or ["static"]:
        folder = theme / static
        if folder.is_dir():
            found += [p for p in sorted(folder.rglob("*")) if _minified_here(p)]
    return found


def _minified_here(path: Path) -> bool:
    return path.suffix in (".css", ".js") and not path.name.endswith((".min.css", ".min.js"))


def minify_ahead(generator) -> None:
    """When the build's workers run (a large build), they minify the theme's scripts while
    Pelican reads the content; the output step takes the results."""
    build = build_of(generator)
    workers = build.running_workers()
    if workers is None or "assets.minify" in build.features:
        return
    config, _ = read(AssetSettings, build.settings, "THEME_ASSETS_", build.settings_file)
    ahead = build.state("assets.minify", dict)
    cache = _minify_cache(build.settings)
    if not config.minify:
        return
    # The output's scripts: the theme's files as Pelican copies them, and the pages' bundles.
    sources = [(p.suffix, p.read_bytes()) for p in _theme_scripts(build.settings)]
    made = build.state("assets.bundles", lambda: bundles(Path(build.settings["THEME"]) / "static"))
    sources += [(Path(name).suffix, text.encode("utf-8")) for name, text in made.items()]
    for suffix, source in sources:
        key = minify_key(suffix, source)
        if key not in ahead and not (cache / f"{key}{suffix}").is_file():
            ahead[key] = workers.submit(minify, source.decode("utf-8"), suffix)


def _minify_cache(settings: dict) -> Path:
    return Path(settings.get("CACHE_PATH") or "cache") / "minified"


def finish_output(pelican) -> None:
    settings = pelican.settings
    config, _ = read(AssetSettings, settings, "THEME_ASSETS_", settings_file())
    output = Path(settings["OUTPUT_PATH"])
    static = output / settings["THEME_STATIC_DIR"]
    build = settings.get(CONTEXT_KEY)
    made = build.existing_state("assets.bundles") if build is not None else None
    if made is None:  # not made while the content was read (a build without workers)
        made = bundles(Path(settings["THEME"]) / "static")
    for name, text in made.items():
        replace(static / name, text.encode("utf-8"))
    if config.minify:
        ahead = build.existing_state("assets.minify") if build is not None else None
        for path in sorted(static.rglob("*")):
            if _minified_here(path):
                replace(path, minified(path, _minify_cache(settings), ahead))
    if config.precompress:
        precompress(output, config.precompress)
