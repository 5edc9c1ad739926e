"""Share buttons without tracking, and link previews (Open Graph / Twitter Card).

Once the articles and pages are read, every article (episodes included) gets
``article.share_links`` (a list of :class:`~.networks.ShareLink`: name, label, url, icon),
``article.share_call_to_action`` and ``article.link_preview`` (:class:`~.preview.LinkPreview`);
pages get ``page.link_preview`` and ``page.share_links``. The theme renders them in
``partials/share.html`` and ``partials/head_article.html`` / ``head_page.html``.

Settings (prefix ``SHARE_``, read in :mod:`.settings`): SHARE_NETWORKS, SHARE_CALL_TO_ACTION,
SHARE_DEFAULT_IMAGE, SHARE_DEFAULT_IMAGE_ALT, SHARE_PODCAST_IMAGES, SHARE_OG_LOCALE. All URLs are
absolute (SITEURL; while developing FEED_DOMAIN or http://127.0.0.1:8000).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

# PLUGIN_PATHS is on sys.path (tests: tests/conftest.py)
from build_report import report, settings_file, where
from i18n import translations_for
from pelican import signals

from .networks import NETWORKS, ShareLink, share_links
from .preview import (
    ImageError,
    ImageSizes,
    LinkPreview,
    PreviewImage,
    absolute_url,
    image_path,
    plain_text,
    shorten,
)
from .settings import (
    DEFAULT_CALL_TO_ACTION,
    DEFAULT_EPISODE_CALL_TO_ACTION,
    N_,
    ShareSettings,
    read_settings,
)

__all__ = ["NETWORKS", "LinkPreview", "ShareLink", "register", "share_links"]

PODCAST_COVER_ALT = N_("Cover art of the podcast")
PODCAST_COVER_ALT_NAMED = N_("Cover art of the podcast %(show)s")
SITE_IMAGES_KEY = "share_buttons_site_images"  # per build: (value, alt, field) → image
SIZES_KEY = "share_buttons_image_sizes"
WARNED_KEY = "share_buttons_warned_default_image"
log = logging.getLogger(__name__)


def _published_as_is(relative: str, settings: dict) -> bool:
    """True when Pelican copies this content file to the same path in the output."""
    parts = Path(relative).parts
    if ".." in parts:
        return False
    for static in settings.get("STATIC_PATHS") or []:
        static_parts = Path(static).parts
        if static_parts == () or parts[: len(static_parts)] == static_parts:
            return True
    return False


def _local_image(
    value: str, alt: str, content, field: str, share: ShareSettings, context: dict, settings: dict
) -> PreviewImage | None:
    """An image inside the site → PreviewImage with its real size, or None (reported)."""
    if content is None:  # a site-wide image (default, show cover): the same for many articles
        memo = context.setdefault(SITE_IMAGES_KEY, {})
        key = (value, alt, field)
        if key not in memo:
            memo[key] = _read_local_image(value, alt, None, field, share, context, settings)
        return memo[key]
    return _read_local_image(value, alt, content, field, share, context, settings)


def _read_local_image(
    value: str, alt: str, content, field: str, share: ShareSettings, context: dict, settings: dict
) -> PreviewImage | None:
    relative = image_path(value)
    if relative.startswith(("http://", "https://")):
        return PreviewImage(url=relative, alt=alt)
    sizes: ImageSizes = context.setdefault(SIZES_KEY, ImageSizes())
    outside = ".." in Path(relative).parts  # never look at (or publish) a file from elsewhere
    try:
        if outside:
            raise ImageError(f"{relative} is outside the content folder")
        if not _published_as_is(relative, settings):
            raise ImageError(
                f"{relative} is not inside STATIC_PATHS "
                f"({', '.join(settings.get('STATIC_PATHS') or [])}), so the site would not "
                "contain it"
            )
        facts = sizes.facts(Path(settings["PATH"]) / relative)
    except ImageError as error:
        source = where(content.source_path) if content is not None else settings_file()
        folder = os.path.relpath(settings["PATH"])
        place = (
            f"put the image in {folder}/images/"
            if outside
            else f"add the image as {folder}/{relative}"
        )
        fix = (
            f"{place} or correct the {field}: field "
            "(a path inside the content folder, e.g. images/photo.jpg); until then the link "
            "preview uses the next image in line (episode cover or SHARE_DEFAULT_IMAGE)"
            if content is not None
            else f"{place} or correct the {field} setting"
        )
        message = str(error).replace(str(settings["PATH"]), folder)
        if field == "SHARE_DEFAULT_IMAGE":
            # A site-wide fallback, not an author's broken item: warn once per build (pages
            # then simply have no og:image) instead of failing every build without one.
            if not context.get(WARNED_KEY):
                context[WARNED_KEY] = True
                log.warning("%s: %s: %s — %s", source, field, message, fix)
            return None
        report(context, source, field, message, fix)
        return None
    return PreviewImage(
        url=absolute_url(share.base_url, relative),
        alt=alt,
        width=facts.width,
        height=facts.height,
        mime_type=facts.mime_type,
    )


def _podcast_image(content, settings: dict, share: ShareSettings) -> str:
    """The show artwork of an episode: SHARE_PODCAST_IMAGES, else the podcast plugin's show."""
    show = str(getattr(content, "podcast", "") or "")
    if show in share.podcast_images:
        return share.podcast_images[show]
    # The podcast plugin (when enabled) links each episode to its show, also by category.
    episode_show = getattr(getattr(content, "podcast_episode", None), "show", None)
    if getattr(episode_show, "slug", None) in share.podcast_images:
        return share.podcast_images[episode_show.slug]
    if getattr(episode_show, "artwork", None):
        return str(episode_show.artwork)
    shows = settings.get("PODCAST_SHOWS")
    if show and isinstance(shows, dict) and isinstance(shows.get(show), dict):
        return str(shows[show].get("artwork") or "")
    return ""


def _cover_alt(content, settings: dict, gettext) -> str:
    """ "Cover art of the podcast <show title>" when the show's title is known."""
    show = getattr(getattr(content, "podcast_episode", None), "show", None)
    title = getattr(show, "title", "")
    shows = settings.get("PODCAST_SHOWS")
    slug = str(getattr(content, "podcast", "") or "")
    if not title and isinstance(shows, dict) and isinstance(shows.get(slug), dict):
        title = shows[slug].get("title", "")
    if title:
        return gettext(PODCAST_COVER_ALT_NAMED) % {"show": plain_text(str(title))}
    return gettext(PODCAST_COVER_ALT)


def choose_image(
    content, share: ShareSettings, context: dict, settings: dict, gettext
) -> PreviewImage | None:
    """The article's ``Image:``, else the episode's cover, else the site default."""
    title = plain_text(getattr(content, "title", ""))
    own = getattr(content, "image", None)
    if own:
        alt = plain_text(getattr(content, "imagealt", "")) or title
        found = _local_image(str(own), alt, content, "Image", share, context, settings)
        if found:
            return found
    # A plugin (e.g. podcast) may offer an episode cover as share_image: a site path or URL.
    for value, field in (
        (getattr(content, "share_image", ""), "share_image (from a plugin)"),
        (_podcast_image(content, settings, share), "SHARE_PODCAST_IMAGES"),
    ):
        if value:
            alt = _cover_alt(content, settings, gettext)
            found = _local_image(str(value), alt, None, field, share, context, settings)
            if found:
                return found
    if share.default_image:
        alt = share.default_image_alt or str(settings.get("SITENAME", ""))
        return _local_image(
            share.default_image, alt, None, "SHARE_DEFAULT_IMAGE", share, context, settings
        )
    return None


def link_preview(
    content, share: ShareSettings, context: dict, settings: dict, gettext, kind: str
) -> LinkPreview:
    summary = getattr(content, "summary", "") or ""
    if kind == "website" and not summary:
        summary = getattr(content, "content", "") or ""
    date = getattr(content, "date", None)
    modified = getattr(content, "modified", None)
    return LinkPreview(
        title=plain_text(content.title),
        description=shorten(" ".join(plain_text(summary).split())),
        url=absolute_url(share.base_url, content.url),
        site_name=str(settings.get("SITENAME", "")),
        locale=share.og_locale,
        type=kind,
        published_time=date.isoformat() if kind == "article" and date else "",
        modified_time=modified.isoformat() if kind == "article" and modified else "",
        authors=tuple(
            absolute_url(share.base_url, author.url)
            for author in (getattr(content, "authors", None) or [])
        )
        if kind == "article"
        else (),
        tags=tuple(str(tag) for tag in (getattr(content, "tags", None) or [])),
        section=str(getattr(content, "category", "") or "") if kind == "article" else "",
        image=choose_image(content, share, context, settings, gettext),
    )


def _prepare(generator) -> tuple[ShareSettings, Callable[[str], str]]:
    share = read_settings(generator.settings)
    for problem in share.problems:
        report(generator.context, settings_file(), problem.setting, problem.message, problem.fix)
    return share, translations_for(generator.settings).gettext


def _attach(content, share: ShareSettings, generator, gettext, kind: str) -> None:
    preview = link_preview(content, share, generator.context, generator.settings, gettext, kind)
    content.link_preview = preview
    content.share_links = share_links(
        url=preview.url,
        title=preview.title,
        text=preview.description,
        networks=share.networks,
        image_url=preview.image.url if preview.image else "",
        gettext=gettext,
    )
    if share.call_to_action:
        content.share_call_to_action = share.call_to_action
    elif getattr(content, "audio", None):
        content.share_call_to_action = gettext(DEFAULT_EPISODE_CALL_TO_ACTION)
    else:
        content.share_call_to_action = gettext(DEFAULT_CALL_TO_ACTION)


def attach_to_articles(generator) -> None:
    share, gettext = _prepare(generator)
    for article in (
        *generator.articles,
        *generator.translations,
        *getattr(generator, "drafts", []),
        *getattr(generator, "drafts_translations", []),
    ):
        _attach(article, share, generator, gettext, "article")


def attach_to_pages(generator) -> None:
    share, gettext = _prepare(generator)
    for page in (
        *generator.pages,
        *generator.translations,
        *getattr(generator, "hidden_pages", []),
        *getattr(generator, "hidden_translations", []),
        *getattr(generator, "draft_pages", []),
        *getattr(generator, "draft_translations", []),
    ):
        _attach(page, share, generator, gettext, "website")


def register() -> None:
    signals.article_generator_finalized.connect(attach_to_articles)
    signals.page_generator_finalized.connect(attach_to_pages)
