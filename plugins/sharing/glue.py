"""sharing's step in the pipeline: share links and link previews for every item of the site.

Once the site model is complete, every item gets ``extras["preview"]`` (a
:class:`~.preview.LinkPreview`: Open Graph and Twitter Card facts) and ``extras["share"]`` (a
:class:`ShareBlock`: the call to action and the :class:`~.networks.ShareLink` buttons; articles,
lessons and episodes only). The theme renders them in ``partials/share.html`` and
``partials/link_preview.html``. Settings: ``SHARE_*`` (:mod:`.settings`, README).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core.build import build_of
from ..core.problems import log
from ..core.settings import read
from ..core.site import Item, content_language
from ..core.text import plain_text, shorten
from ..core.urls import absolute_url, published_as_is
from .networks import N_, ShareLink, share_links
from .preview import (
    DESCRIPTION_LENGTH,
    ImageError,
    ImageSizes,
    LinkPreview,
    PreviewImage,
    image_path,
)
from .settings import (
    DEFAULT_CALL_TO_ACTION,
    DEFAULT_EPISODE_CALL_TO_ACTION,
    DEFAULT_LESSON_CALL_TO_ACTION,
    OG_LOCALES,
    ShareSettings,
)

PODCAST_COVER_ALT = N_("Cover art of the podcast")
PODCAST_COVER_ALT_NAMED = N_("Cover art of the podcast %(show)s")


@dataclass(frozen=True)
class ShareBlock:
    call_to_action: str
    links: tuple[ShareLink, ...]


class Sharing:
    """One build's sharing: its settings, and every image looked at once."""

    def __init__(self, build):
        self.build = build
        self.config, problems = read(ShareSettings, build.settings, "SHARE_", build.settings_file)
        build.report.extend(problems)
        self.sizes = ImageSizes()
        self.site_images: dict[tuple, PreviewImage | None] = {}
        self.warned_default = False
        lang = content_language(build.settings)  # og:locale: the language of the text
        self.og_locale = self.config.og_locale or OG_LOCALES.get(lang, "nl_NL")

    def image(self, value: str, alt: str, item: Item | None, field: str) -> PreviewImage | None:
        """An image inside the site → PreviewImage with its real size, or None (reported).
        ``item`` None: a site-wide image (default, show cover), looked at once per build."""
        if item is None:
            key = (value, alt, field)
            if key not in self.site_images:
                self.site_images[key] = self._read(value, alt, None, field)
            return self.site_images[key]
        return self._read(value, alt, item, field)

    def _read(self, value: str, alt: str, item: Item | None, field: str) -> PreviewImage | None:
        relative = image_path(value)
        if relative.startswith(("http://", "https://")):
            return PreviewImage(url=relative, alt=alt)
        settings = self.build.settings
        outside = ".." in Path(relative).parts  # never look at (or publish) a file from elsewhere
        try:
            if outside:
                raise ImageError(f"{relative} is outside the content folder")
            if not published_as_is(relative, settings):
                raise ImageError(
                    f"{relative} is not inside STATIC_PATHS "
                    f"({', '.join(settings.get('STATIC_PATHS') or [])}), so the site would not "
                    "contain it"
                )
            facts = self.sizes.facts(Path(settings["PATH"]) / relative)
        except ImageError as error:
            self._report(error, relative, outside, item, field)
            return None
        return PreviewImage(
            url=absolute_url(self.build.base_url, relative),
            alt=alt,
            width=facts.width,
            height=facts.height,
            mime_type=facts.mime_type,
        )

    def _report(self, error, relative: str, outside: bool, item: Item | None, field: str) -> None:
        settings = self.build.settings
        folder = os.path.relpath(settings["PATH"])
        place = (
            f"put the image in {folder}/images/"
            if outside
            else f"add the image as {folder}/{relative}"
        )
        message = str(error).replace(str(settings["PATH"]), folder)
        if item is not None:
            self.build.problem(
                item.content.source_path,
                field,
                message,
                f"{place} or correct the {field}: field (a path inside the content folder, e.g. "
                "images/photo.jpg); until then the link preview uses the next image in line "
                "(episode cover or SHARE_DEFAULT_IMAGE)",
            )
        elif field == "SHARE_DEFAULT_IMAGE":
            # A site-wide fallback, not an author's broken item: warn once per build (pages
            # then simply have no og:image) instead of failing every build without one.
            if not self.warned_default:
                self.warned_default = True
                log.warning(
                    "%s: %s: %s — %s",
                    self.build.settings_file,
                    field,
                    message,
                    f"{place} or correct the {field} setting",
                )
        else:
            self.build.setting_problem(field, message, f"{place} or correct the {field} setting")

    def choose_image(self, item: Item) -> PreviewImage | None:
        """The item's ``Image:``, else its show's cover, else the site default."""
        if item.image:
            found = self.image(item.image, item.image_alt or item.title, item, "Image")
            if found:
                return found
        if item.show is not None:
            cover = self.config.podcast_images.get(item.show.slug) or item.show.artwork
            gettext = self.build.gettext
            alt = gettext(PODCAST_COVER_ALT_NAMED) % {"show": item.show.title}
            field = (
                "SHARE_PODCAST_IMAGES"
                if item.show.slug in self.config.podcast_images
                else (f'PODCAST_SHOWS["{item.show.slug}"]["artwork"]')
            )
            found = self.image(cover, alt, None, field) if cover else None
            if found:
                return found
        if self.config.default_image:
            alt = self.config.default_image_alt or str(self.build.settings.get("SITENAME", ""))
            return self.image(self.config.default_image, alt, None, "SHARE_DEFAULT_IMAGE")
        return None

    def preview(self, item: Item) -> LinkPreview:
        content = item.content
        is_page = item.kind == "page"
        summary = getattr(content, "summary", "") or ""
        if is_page and not summary:
            summary = getattr(content, "content", "") or ""
        base = self.build.base_url
        return LinkPreview(
            title=item.title,
            description=shorten(plain_text(summary), DESCRIPTION_LENGTH),
            url=item.url,
            site_name=str(self.build.settings.get("SITENAME", "")),
            locale=self.og_locale,
            type="website" if is_page else "article",
            published_time=item.date.isoformat() if not is_page and item.date else "",
            modified_time=item.modified.isoformat() if not is_page and item.modified else "",
            authors=()
            if is_page
            else tuple(absolute_url(base, a.url) for a in getattr(content, "authors", None) or []),
            tags=tuple(str(tag) for tag in (getattr(content, "tags", None) or [])),
            section="" if is_page else str(getattr(content, "category", "") or ""),
            image=self.choose_image(item),
        )

    def share_block(self, item: Item, preview: LinkPreview) -> ShareBlock:
        gettext = self.build.gettext
        if self.config.call_to_action:
            call = self.config.call_to_action
        elif item.kind == "lesson":  # as the rating's "Rate this lesson"
            call = gettext(DEFAULT_LESSON_CALL_TO_ACTION)
        elif item.is_episode:
            call = gettext(DEFAULT_EPISODE_CALL_TO_ACTION)
        else:
            call = gettext(DEFAULT_CALL_TO_ACTION)
        links = share_links(
            url=preview.url,
            title=preview.title,
            text=preview.description,
            networks=self.config.networks,
            image_url=preview.image.url if preview.image else "",
            gettext=gettext,
        )
        return ShareBlock(call, tuple(links))


def attach(generators) -> None:
    build = build_of(generators[0])
    sharing = Sharing(build)
    for item in build.site.items:
        preview = sharing.preview(item)
        item.extras["preview"] = preview
        item.extras["share"] = sharing.share_block(item, preview)
