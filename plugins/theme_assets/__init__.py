"""Keeps what every page loads small: minified theme CSS/JS, an inline favicon, precompression.

- The theme's CSS and JavaScript are minified in the output (rcssmin/rjsmin; the sources in
  ``theme/static/`` stay readable). Files are replaced, never edited in place, so a hard-linked
  copy can never change a source file.
- ``THEME_ASSETS_FAVICON`` (an SVG under content/) is offered to templates as a ``data:`` URI
  (``FAVICON_DATA_URI``), so the favicon costs no request of its own.
- ``THEME_ASSETS_PRECOMPRESS`` (publish builds) writes ``.gz`` and ``.br`` copies of text files
  next to them for hosts that serve precompressed files (nginx ``gzip_static``/``brotli_static``,
  Caddy ``precompressed``); a copy is kept only when it is smaller than the original.
"""

from __future__ import annotations

import gzip
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import brotli
import rcssmin
import rjsmin
from build_report import report, settings_file
from pelican import signals

COMPRESSIBLE = (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".vtt", ".srt", ".ico")


@dataclass(frozen=True)
class AssetSettings:
    minify: bool = True
    favicon: str = "extra/favicon.svg"
    precompress: tuple[str, ...] = ()  # ("gz", "br")

    @classmethod
    def from_settings(cls, settings: dict) -> AssetSettings:
        precompress = tuple(settings.get("THEME_ASSETS_PRECOMPRESS") or ())
        unknown = sorted(set(precompress) - {"gz", "br"})
        if unknown:
            report(
                None,
                settings_file(),
                "THEME_ASSETS_PRECOMPRESS",
                f"unknown format(s) {unknown}",
                'use any of "gz" and "br"',
            )
            precompress = tuple(p for p in precompress if p in ("gz", "br"))
        return cls(
            minify=bool(settings.get("THEME_ASSETS_MINIFY", True)),
            favicon=settings.get("THEME_ASSETS_FAVICON", cls.favicon) or "",
            precompress=precompress,
        )


def minify(text: str, suffix: str) -> str:
    return rcssmin.cssmin(text) if suffix == ".css" else rjsmin.jsmin(text)


def svg_data_uri(svg: str) -> str:
    """An SVG as a compact ``data:`` URI (percent-encoded, not base64: it stays smaller)."""
    compact = re.sub(r"<!--.*?-->", "", " ".join(svg.split()))
    compact = re.sub(r">\s+<", "><", compact).replace('"', "'")
    # "#" must be encoded: in a URL it would start the fragment and cut the SVG short.
    return "data:image/svg+xml," + quote(compact, safe=" '/:=;,-.()")


def _replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)  # a new inode: hard links to the source are left alone


def gzip_bytes(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as fp:
        fp.write(data)  # mtime=0 and no file name: identical bytes on every build
    return buffer.getvalue()


def precompress(output: Path, formats: tuple[str, ...]) -> None:
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        for fmt in formats:
            packed = gzip_bytes(data) if fmt == "gz" else brotli.compress(data, quality=11)
            target = path.with_name(f"{path.name}.{fmt}")
            if len(packed) < len(data):
                _replace(target, packed)
            else:
                target.unlink(missing_ok=True)


def add_favicon(generator) -> None:
    settings = AssetSettings.from_settings(generator.settings)
    if not settings.favicon:
        return
    source = Path(generator.settings["PATH"]) / settings.favicon
    if not source.is_file():
        report(
            generator.context,
            settings_file(),
            "THEME_ASSETS_FAVICON",
            f"there is no file {settings.favicon} in content/",
            "add the SVG there, or set THEME_ASSETS_FAVICON to its path (or to '')",
        )
        return
    # Every generator has its own Jinja environment; read the file once per build.
    if "theme_assets_favicon" not in generator.context:
        generator.context["theme_assets_favicon"] = svg_data_uri(source.read_text("utf-8"))
    generator.env.globals["FAVICON_DATA_URI"] = generator.context["theme_assets_favicon"]


def finish_output(pelican) -> None:
    settings = AssetSettings.from_settings(pelican.settings)
    output = Path(pelican.settings["OUTPUT_PATH"])
    if settings.minify:
        static = output / pelican.settings["THEME_STATIC_DIR"]
        for path in sorted(static.rglob("*")):
            if path.suffix in (".css", ".js") and not path.name.endswith((".min.css", ".min.js")):
                text = path.read_text(encoding="utf-8")
                _replace(path, minify(text, path.suffix).encode("utf-8"))
    if settings.precompress:
        precompress(output, settings.precompress)


def register() -> None:
    signals.generator_init.connect(add_favicon)
    signals.finalized.connect(finish_output)
