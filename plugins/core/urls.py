"""The site's address and absolute URLs, made one way for every feature.

Links inside pages stay relative to ``SITEURL`` (Pelican's way: root-relative while developing,
absolute in production). What leaves the site needs absolute URLs: feeds and enclosures, share
links, link previews, structured data, the ratings manifest. :func:`base_url` is that absolute
address: ``SITEURL`` when it is absolute, else ``FEED_DOMAIN``, else the development server
(``SCHITTER_DEV_URL``, which ``invoke serve --port`` sets; default http://127.0.0.1:8000).
:func:`absolute_url` joins it with a path inside the site, percent-encoding each segment as UTF-8
(a file name with spaces or diacritics works in every podcast app and every share target).
"""

from __future__ import annotations

from urllib.parse import quote

DEV_BASE_URL = "http://127.0.0.1:8000"
# What a path segment may keep as it is (RFC 3986 pchar without "%": a typed "%" is a character).
SAFE_IN_PATH = "/:@!$&'()*+,;=~-._"


def is_absolute(url: object) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) > 8


def base_url(settings: dict) -> str:
    """The site's absolute address without a slash at the end."""
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    if is_absolute(siteurl):
        return siteurl
    dev = str(settings.get("SCHITTER_DEV_URL") or DEV_BASE_URL).rstrip("/")
    feed_domain = str(settings.get("FEED_DOMAIN") or "").rstrip("/")
    base = feed_domain if is_absolute(feed_domain) else dev
    if siteurl:  # a root-relative SITEURL ("/blog") while developing: under the local server
        return base + "/" + siteurl.lstrip("/")
    return base


def url_path(path: str) -> str:
    """A path inside the site as a URL path: each segment percent-encoded (UTF-8)."""
    return quote(path.replace("\\", "/"), safe=SAFE_IN_PATH)


def absolute_url(base: str, path: str) -> str:
    """``base`` + a path inside the site; an absolute http(s) URL is returned unchanged."""
    if is_absolute(path):
        return path
    return f"{base.rstrip('/')}/{url_path(path.lstrip('/'))}"


def site_link(settings: dict, path: str) -> str:
    """A link as the site's own pages write it: ``SITEURL`` + the path (root-relative while
    developing, so it works on whatever port the development server runs on)."""
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    return f"{siteurl}/{url_path(path.lstrip('/'))}"


def content_file(value: str) -> str:
    """A file named in metadata (``Image:``) → its path inside the content folder (and the site).

    Accepts ``images/x.jpg``, ``/images/x.jpg``, ``{static}/images/x.jpg`` and
    ``{attach}``/``{filename}`` forms; an absolute http(s) URL is returned unchanged.
    """
    value = value.strip()
    if value.startswith(("http://", "https://")):
        return value
    for prefix in ("{static}", "{attach}", "{filename}", "|static|", "|filename|"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    return value.lstrip("/")


def published_as_is(relative: str, settings: dict) -> bool:
    """Whether Pelican's static step copies this content file to the same path in the output
    (it lies in one of ``STATIC_PATHS`` and does not lead out of the content folder)."""
    parts = relative.replace("\\", "/").split("/")
    if ".." in parts or not relative:
        return False
    for static in settings.get("STATIC_PATHS") or []:
        static_parts = [p for p in str(static).replace("\\", "/").split("/") if p not in ("", ".")]
        if parts[: len(static_parts)] == static_parts:
            return True
    return False
