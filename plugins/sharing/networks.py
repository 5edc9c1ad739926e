"""Share links for every network we support: article URL, title and text → plain ``<a href>``s.

Pure functions, no Pelican: everything a network needs is in its URL, so the page loads nothing
from the network until the reader clicks. Every value is percent-encoded with
``urllib.parse.quote(safe="")`` — spaces become ``%20`` (never ``+``, which some receivers read as
a literal plus and others as a space) and ``&``, ``#``, ``+``, ``/``, ``?`` are always escaped, so a
title can never break out of its parameter. ``mailto:`` follows RFC 6068 (subject and body
percent-encoded UTF-8, line breaks as ``%0D%0A``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup


def N_(message: str) -> str:
    """Marks a msgid for extraction; the glue translates it for the site's language."""
    return message


@dataclass(frozen=True)
class ShareLink:
    """One share button as the theme renders it."""

    name: str  # network key, e.g. "linkedin" (also the CSS modifier and data-share value)
    label: str  # accessible name, translated: "Deel op LinkedIn"
    url: str  # where the plain link goes (works without JavaScript)
    icon: str  # inline SVG markup, aria-hidden
    title: str = ""  # short visible text, e.g. "LinkedIn"
    new_tab: bool = True  # target="_blank" rel="noopener noreferrer"
    share_text: str = ""  # Mastodon: the post text the script sends to the reader's own server


@lru_cache(maxsize=1024)  # each article's URL and title are quoted once per network
def _q(value: str) -> str:
    return quote(value, safe="")


def _joined(*parts: str, sep: str = " ") -> str:
    return sep.join(part for part in parts if part)


# Each builder takes (url, title, text, image_url) and returns the share URL.
Builder = Callable[[str, str, str, str], str]


def _whatsapp(url: str, title: str, text: str, image: str) -> str:
    return f"https://wa.me/?text={_q(_joined(title, url))}"


def _linkedin(url: str, title: str, text: str, image: str) -> str:
    return f"https://www.linkedin.com/sharing/share-offsite/?url={_q(url)}"


def _facebook(url: str, title: str, text: str, image: str) -> str:
    return f"https://www.facebook.com/sharer/sharer.php?u={_q(url)}"


def _x(url: str, title: str, text: str, image: str) -> str:
    return f"https://x.com/intent/tweet?text={_q(title)}&url={_q(url)}"


def _bluesky(url: str, title: str, text: str, image: str) -> str:
    return f"https://bsky.app/intent/compose?text={_q(_joined(title, url))}"


def mastodon_text(url: str, title: str) -> str:
    """The post a Mastodon reader starts with: the title, a blank line, the link."""
    return _joined(title, url, sep="\n\n")


def _mastodon(url: str, title: str, text: str, image: str) -> str:
    # Mastodon's official share chooser (share.joinmastodon.org) reads `text` from the fragment
    # too; a fragment never reaches any server, so the chooser learns nothing from the link.
    return f"https://share.joinmastodon.org/#text={_q(mastodon_text(url, title))}"


def _telegram(url: str, title: str, text: str, image: str) -> str:
    return f"https://t.me/share/url?url={_q(url)}&text={_q(title)}"


def _email(url: str, title: str, text: str, image: str) -> str:
    body = _joined(text, url, sep="\r\n\r\n")
    return f"mailto:?subject={_q(title)}&body={_q(body)}"


def _threads(url: str, title: str, text: str, image: str) -> str:
    return f"https://www.threads.net/intent/post?text={_q(title)}&url={_q(url)}"


def _reddit(url: str, title: str, text: str, image: str) -> str:
    return f"https://www.reddit.com/submit?url={_q(url)}&title={_q(title)}"


def _pinterest(url: str, title: str, text: str, image: str) -> str:
    media = f"&media={_q(image)}" if image else ""
    base = "https://www.pinterest.com/pin/create/button/"
    return f"{base}?url={_q(url)}{media}&description={_q(title)}"


def _copy(url: str, title: str, text: str, image: str) -> str:
    return url  # without JavaScript: a plain link to the article, to copy from the menu


def _svg(body: str) -> str:
    return (
        '<svg class="share__icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">'
        f"{body}</svg>"
    )


# Tiny outline icons (a few hundred bytes together): the page weight budget has no room for
# full brand logos, and nothing may be fetched from the networks themselves.
ICONS = {
    "whatsapp": _svg('<path d="M4 20l1.3-4A8 8 0 1 1 8 19z"/><path d="M9 9c0 3 3 6 6 6"/>'),
    "linkedin": _svg('<path d="M5 10v9M5 5v.5M10 19v-9m0 4a3.5 3.5 0 0 1 7 0v5"/>'),
    "facebook": _svg('<path d="M15 4h-2a3 3 0 0 0-3 3v14M7 11h7"/>'),
    "x": _svg('<path d="M4 4l16 16M20 4L4 20"/>'),
    "bluesky": _svg(
        '<path d="M12 11C10 7 6 4 4 5s0 6 3 7c-3 1-2 5 1 5s4-4 4-6c0 2 1 6 4 6s4-4 1-5'
        'c3-1 5-6 3-7s-6 2-8 6z"/>'
    ),
    "mastodon": _svg(
        '<path d="M20 12c0 4-3 5-8 5 2 2 5 2 7 1v2c-5 2-14 1-14-8V9c0-4 3-5 7-5s8 1 8 5z'
        'M8 13V9.5a2 2 0 0 1 4 0V12m0-2.5a2 2 0 0 1 4 0V13"/>'
    ),
    "telegram": _svg('<path d="M21 4L3 11l6 2 2 6 3-4 4 3zM9 13l8-6"/>'),
    "email": _svg('<path d="M3 6h18v12H3zm0 0l9 7 9-7"/>'),
    "threads": _svg('<path d="M16 11a4 4 0 1 0 0 2c0 4 4 4 4-1a8 8 0 1 0-3 6"/>'),
    "reddit": _svg('<circle cx="12" cy="14" r="6"/><path d="M12 8l1-4 4 1m-8 12c2 1 4 1 6 0"/>'),
    "pinterest": _svg(
        '<circle cx="12" cy="12" r="9"/><path d="M11 9l-3 12m2-7c4 2 7-1 6-4s-6-3-8 1"/>'
    ),
    "copy": _svg(
        '<path d="M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1m2 4a4 4 0 0 0-6 0l-3 3'
        'a4 4 0 0 0 6 6l1-1"/>'
    ),
}


@dataclass(frozen=True)
class Network:
    name: str
    title: str  # short visible text (a msgid)
    label: str  # accessible name (a msgid)
    build: Builder
    new_tab: bool = True


NETWORKS: dict[str, Network] = {
    n.name: n
    for n in (
        Network("whatsapp", "WhatsApp", N_("Share on WhatsApp"), _whatsapp),
        Network("linkedin", "LinkedIn", N_("Share on LinkedIn"), _linkedin),
        Network("facebook", "Facebook", N_("Share on Facebook"), _facebook),
        Network("x", "X", N_("Share on X"), _x),
        Network("bluesky", "Bluesky", N_("Share on Bluesky"), _bluesky),
        Network("mastodon", "Mastodon", N_("Share on Mastodon"), _mastodon),
        Network("telegram", "Telegram", N_("Share on Telegram"), _telegram),
        Network("email", N_("E-mail"), N_("Share by e-mail"), _email, new_tab=False),
        Network("copy", N_("Copy link"), N_("Copy link"), _copy, new_tab=False),
        Network("threads", "Threads", N_("Share on Threads"), _threads),
        Network("reddit", "Reddit", N_("Share on Reddit"), _reddit),
        Network("pinterest", "Pinterest", N_("Share on Pinterest"), _pinterest),
    )
}

DEFAULT_NETWORKS = (
    "whatsapp",
    "linkedin",
    "facebook",
    "x",
    "bluesky",
    "mastodon",
    "telegram",
    "email",
    "copy",
)


def share_links(
    url: str,
    title: str,
    text: str = "",
    networks: tuple[str, ...] | list[str] = DEFAULT_NETWORKS,
    image_url: str = "",
    gettext: Callable[[str], str] = str,
) -> list[ShareLink]:
    """The share links for one article, in the order of ``networks``.

    ``url`` is the article's absolute address, ``title`` and ``text`` are plain text (no HTML,
    no entities): they are encoded here, and the theme escapes the result for its attribute.
    Unknown network names raise ``KeyError``; settings validation drops them with a report first.
    """
    links = []
    for name in networks:
        network = NETWORKS[name]
        links.append(
            ShareLink(
                name=network.name,
                label=gettext(network.label),
                url=network.build(url, title, text, image_url),
                icon=Markup(ICONS[network.name]),
                title=gettext(network.title),
                new_tab=network.new_tab,
                share_text=mastodon_text(url, title) if name == "mastodon" else "",
            )
        )
    return links
