"""images' step in the pipeline: every picture of the site in sizes that fit the reader's screen.

Once the site model is complete, every item's ``Image:`` becomes ``extras["picture"]`` (a
:class:`~.markup.Picture` the theme shows on the article's page and on its card) and every
``<img>`` of a local picture in an article or page body becomes a ``<picture>``. The copies are
made by :mod:`.variants`, kept by :mod:`.store` and handed to Pelican's static step, which links
or copies them into the output like any other static file. Settings: ``IMAGES_*`` (README).
"""

from __future__ import annotations

import os
import posixpath
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pelican.contents import Content, Static
from pelican.generators import StaticGenerator

from ..core.build import build_of
from ..core.settings import SettingError, read, setting
from ..core.urls import content_file, published_as_is, site_link
from .markup import Picture, rewrite_images
from .store import ImageStore, settings_key
from .variants import MODERN_FORMATS, Copy, Facts, ImageProblem, encode, is_raster, plan

PLACEHOLDERS = ("{static}", "|static|", "{attach}", "|attach|")


def _widths(value: tuple) -> tuple[int, ...]:
    good = tuple(sorted({v for v in value if isinstance(v, int) and not isinstance(v, bool)}))
    if not good or any(w < 16 or w > 8192 for w in good) or len(good) != len(value):
        raise SettingError(
            f"{list(value)!r} is not a list of widths in pixels (16–8192)",
            "write IMAGES_WIDTHS = [480, 800, 1200]",
        )
    return good


def _format(value: str) -> str:
    if value not in MODERN_FORMATS:
        raise SettingError(
            f"{value!r} is not a format the build can write",
            f"use one of {', '.join(repr(f) for f in MODERN_FORMATS)}",
        )
    return value


def _quality(value: int) -> int:
    if not 1 <= value <= 100:
        raise SettingError(f"{value} is not a quality from 1 to 100", "write IMAGES_QUALITY = 80")
    return value


def _fallback_width(value: int) -> int:
    if not 16 <= value <= 8192:
        raise SettingError(
            f"{value} is not a width in pixels (16–8192)", "write IMAGES_FALLBACK_WIDTH = 800"
        )
    return value


@dataclass(frozen=True)
class ImageSettings:
    enabled: bool = True  # False: every picture is published as it is, in one size
    widths: tuple[int, ...] = setting((480, 800, 1200), check=_widths)
    format: str = setting("webp", check=_format)
    quality: int = setting(80, check=_quality)
    fallback_width: int = setting(800, check=_fallback_width)  # the one JPEG/PNG copy
    folder: str = "sizes"  # the copies' folder in the output
    # How wide a picture in an article body is shown (the theme's text column).
    content_sizes: str = "(min-width: 48rem) 41rem, 100vw"


class Pictures:
    """One build's pictures: each source looked at once, each missing copy encoded once."""

    def __init__(self, build):
        self.build = build
        self.config, problems = read(ImageSettings, build.settings, "IMAGES_", build.settings_file)
        build.report.extend(problems)
        config = self.config
        self.store = ImageStore(
            build.settings.get("CACHE_PATH") or "cache",
            settings_key(config.widths, config.format, config.quality),
        )
        self.sources: dict[str, tuple[str, Facts, tuple[Copy, ...]] | ImageProblem | None] = {}
        self.to_encode: dict[str, tuple[Path, str, tuple[Copy, ...]]] = {}

    def _source(self, relative: str):
        """(digest, facts, copies) of a picture inside the content folder, or None."""
        if relative not in self.sources:
            self.sources[relative] = self._look_at(relative)
        return self.sources[relative]

    def _look_at(self, relative: str):
        settings = self.build.settings
        if not is_raster(relative) or not published_as_is(relative, settings):
            return None  # an SVG, a GIF, a file the site does not publish: shown as it is
        path = self.build.content / relative
        if not path.is_file():
            return None  # reported by the checks (broken link) and by sharing (Image:)
        try:
            digest, facts = self.store.source(path)
        except ImageProblem as problem:
            return problem
        config = self.config
        if not config.enabled:
            return digest, facts, ()
        copies = plan(
            relative, facts, config.widths, config.format, config.folder, config.fallback_width
        )
        if self.store.missing(digest, copies):
            self.to_encode[digest] = (path, digest, copies)
        return digest, facts, copies

    def picture(self, relative: str, alt: str, src: str, content, field: str) -> Picture | None:
        """The picture of ``relative`` as ``content`` (an article or page) shows it."""
        found = self._source(relative)
        if isinstance(found, ImageProblem) and field == "Image":
            return None  # sharing checks every Image: (and reports it once, for the preview)
        if isinstance(found, ImageProblem):
            self.build.problem(
                content.source_path,
                field,
                f"{relative} {found}",
                "save it again as a JPEG, PNG or WebP file (or remove it); until then the page "
                "shows it as it is, in one size",
            )
            self.sources[relative] = None  # reported once
            return None
        if found is None:
            return None
        _digest, facts, copies = found
        if not copies:  # IMAGES_ENABLED = False: the file as it is, with its size
            return Picture(src, facts.width, facts.height, "", (), "", alt)
        settings = self.build.settings
        modern = tuple((site_link(settings, c.path), c.width) for c in copies[:-1])
        largest, fallback = copies[-2], copies[-1]
        # In a body the fallback is a {static} link (registered below), so that Pelican makes it
        # absolute where it must be, in feeds too; a template gets its URL.
        in_body = field != "Image"
        return Picture(
            src=f"{{static}}/{fallback.path}" if in_body else site_link(settings, fallback.path),
            width=largest.width,
            height=largest.height,
            modern_type=largest.mime_type,
            modern=modern,
            fallback=site_link(settings, fallback.path),
            alt=alt,
        )

    def body_source(self, src: str, source_dir: str) -> str | None:
        """The content path of an ``<img src>`` in a body: a ``{static}`` link (from the
        content folder with ``/``, else from the item's folder) or a link into the site."""
        for marker in PLACEHOLDERS:
            if src.startswith(marker):
                path = unquote(urlsplit(src[len(marker) :]).path)
                if path.startswith("/"):
                    return posixpath.normpath(path.lstrip("/"))
                return posixpath.normpath(posixpath.join(source_dir, path))
        siteurl = str(self.build.settings.get("SITEURL") or "").rstrip("/")
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            if not siteurl or not src.startswith(siteurl + "/"):
                return None  # another site's picture
            src = src[len(siteurl) :]
        elif not src.startswith("/"):
            return None  # relative to the page's address: leave it alone
        return posixpath.normpath(unquote(urlsplit(src).path).lstrip("/"))

    def encode_missing(self) -> None:
        """Encode every copy no earlier build made, two pictures at a time (Pillow works
        outside the GIL), and store them."""
        jobs = sorted(self.to_encode.values(), key=lambda job: str(job[0]))
        if not jobs:
            return

        def make(job):
            path, digest, copies = job
            missing = self.store.missing(digest, copies)
            return digest, missing, encode(path.read_bytes(), missing, self.config.quality)

        workers = max(1, min(2, os.cpu_count() or 1, len(jobs)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for digest, missing, made in pool.map(make, jobs):
                self.store.put(digest, missing, made)
        self.to_encode.clear()

    def statics(self, context: dict) -> list[Static]:
        """Every copy as a Pelican static file (source: the stored copy)."""
        made = []
        seen = set()
        for found in self.sources.values():
            if not isinstance(found, tuple):
                continue
            digest, _facts, copies = found
            for copy in copies:
                if copy.path in seen:
                    continue
                seen.add(copy.path)
                made.append(
                    Static(
                        content=None,
                        metadata={"title": copy.path, "save_as": copy.path, "url": copy.path},
                        settings=self.build.settings,
                        source_path=str(self.store.stored(digest, copy)),
                        context=context,
                    )
                )
        return made


def _forget_rendered(changed: set[int]) -> None:
    """Pelican memoizes an item's body and summary (per object, class-wide); bodies rewritten
    here must be rendered again, not from what an earlier step asked for."""
    for memo in (Content.get_content.cache, Content.get_summary.cache):
        for key in [k for k in memo if id(k[0]) in changed]:
            del memo[key]


def make_pictures(generators) -> None:
    build = build_of(generators[0])
    pictures = Pictures(build)
    settings = build.settings
    changed: set[int] = set()
    for item in build.site.items:
        hero = None
        if item.image:
            relative = content_file(item.image)
            if not relative.startswith(("http://", "https://")) and ".." not in relative.split("/"):
                hero = pictures.picture(
                    relative, item.image_alt, site_link(settings, relative), item.content, "Image"
                )
        if hero is not None:
            item.extras["picture"] = hero
        content = item.content
        body = getattr(content, "_content", None)
        if not isinstance(body, str) or "<img" not in body.lower():
            continue
        source_dir = posixpath.dirname(item.source)

        def picture_for(src, content=content, source_dir=source_dir):
            relative = pictures.body_source(src, source_dir)
            if relative is None or relative.startswith(".."):
                return None
            return pictures.picture(relative, "", src, content, "image")

        if not pictures.config.enabled:
            continue
        rewritten, made = rewrite_images(
            body, picture_for, pictures.config.content_sizes, first_is_taken=hero is not None
        )
        if made:
            content._content = rewritten
            changed.add(id(content))
    if changed:
        _forget_rendered(changed)
    pictures.encode_missing()
    pictures.store.save()
    static = next((g for g in generators if isinstance(g, StaticGenerator)), None)
    if static is not None:
        copies = pictures.statics(static.context)
        static.staticfiles.extend(copies)
        listed = static.context.get("staticfiles")
        if isinstance(listed, list) and listed is not static.staticfiles:
            listed.extend(copies)
        # {static}/sizes/… in a body resolves to the copy, like any static file.
        known = static.context.setdefault("static_content", {})
        for copy in copies:
            known[copy.save_as] = copy
    build.features["images"] = pictures
