"""WordPress shortcodes and oEmbed URLs → HTML the Schitter theme can show.

``[caption]``, ``[gallery]``, ``[audio]``, ``[video]``, ``[playlist]`` and ``[embed]`` become
plain ``<figure>``, ``<audio>``, ``<video>`` and links (the media module then maps their files
to ``content/``). An embed never loads a third-party player: Schitter pages make no request to
another host, so a YouTube or Spotify URL becomes a link to it. Shortcodes of plugins are
removed, their enclosed text kept, and each one is noted, with the Schitter feature that
replaces it where there is one (star ratings, the newsletter form, the share buttons).

WordPress only expands shortcodes a plugin registered; text such as "[sic]" or "[1]" stays as
written. The old site's registrations are not in the export, so a bracketed word counts as a
shortcode when it is a known one, has attributes, a closing tag or a ``-``/``_`` in its name.
The pattern and the attribute rules are WordPress's own (``get_shortcode_regex``,
``shortcode_parse_atts``), so nesting, ``[[escaped]]`` and self-closing forms match as there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

MEDIA = {"caption", "wp_caption", "gallery", "audio", "video", "playlist", "embed"}
# Plugin shortcodes that a Schitter feature replaces: removed, with the reason in the report.
REPLACED = {
    "the star rating under every article replaces it": {
        "ratings",
        "postratings",
        "ratings-results",
        "page_ratings",
        "kkratings",
        "yasr_overall_rating",
        "yasr_visitor_votes",
        "site_reviews",
    },
    "the newsletter form under every page replaces it (NEWSLETTER_ACTION)": {
        "mc4wp_form",
        "mc4wp-form",
        "mailchimp",
        "mailchimp_form",
        "yikes-mailchimp",
        "mailpoet_form",
        "newsletter",
        "newsletter_form",
        "convertkit",
        "sibwp_form",
        "mailerlite_form",
    },
    "the share buttons under every article replace them": {
        "addtoany",
        "ssba",
        "ssba-buttons",
        "shareaholic",
        "social_warfare",
        "sharethis",
        "sharing",
        "share",
        "easy-social-share",
        "essb",
        "novashare",
        "jetpack-share",
    },
}
NOT_CARRIED = {
    "contact-form-7": "a static site has no contact form; add your e-mail address to the page",
    "contact-form": "a static site has no contact form; add your e-mail address to the page",
    "wpforms": "a static site has no forms; add your e-mail address to the page",
    "gravityform": "a static site has no forms; add your e-mail address to the page",
    "ninja_form": "a static site has no forms; add your e-mail address to the page",
}
KNOWN = MEDIA | set(NOT_CARRIED) | set().union(*REPLACED.values())
# oEmbed providers WordPress embeds from a bare URL, by host: the name shown in the link.
PROVIDERS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "twitter.com": "X",
    "x.com": "X",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "soundcloud.com": "SoundCloud",
    "open.spotify.com": "Spotify",
    "spotify.com": "Spotify",
    "mixcloud.com": "Mixcloud",
    "flickr.com": "Flickr",
    "tiktok.com": "TikTok",
    "ted.com": "TED",
    "slideshare.net": "SlideShare",
    "speakerdeck.com": "Speaker Deck",
    "dailymotion.com": "Dailymotion",
    "reddit.com": "Reddit",
    "tumblr.com": "Tumblr",
    "wordpress.tv": "WordPress.tv",
    "mastodon.social": "Mastodon",
    "bsky.app": "Bluesky",
}
_NAME = re.compile(r"\[\[?([A-Za-z][\w-]*)")
_ATTRIBUTES = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_BARE_URL = re.compile(r"(?m)^(?:<p>)?\s*(https?://[^\s<>\"']+)\s*(?:</p>)?\s*$")


@dataclass(frozen=True)
class Note:
    """A shortcode that was not converted one-to-one, for the import report."""

    shortcode: str
    message: str


@dataclass(frozen=True)
class GalleryImage:
    url: str
    alt: str
    caption: str


# ids (None: the images attached to the post) → the attachments' files, alt texts, captions
Attachments = Callable[[list[int] | None], list[GalleryImage]]


def shortcode_regex(names: list[str]) -> re.Pattern:
    """WordPress's get_shortcode_regex() for these names (Python 3.11+: possessive *+)."""
    names_pattern = "|".join(map(re.escape, names))
    return re.compile(
        r"\[(\[?)(" + names_pattern + r")(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)(\]?)",
        re.DOTALL,
    )


def parse_attributes(text: str) -> dict[str, str]:
    """shortcode_parse_atts(): named attributes (lowercased) and positional ones as "0", "1"…"""
    text = re.sub(r"[\u00a0\u200b]", " ", text)
    found: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTES.finditer(text):
        groups = match.groups()
        for name_group in (0, 2, 4):
            if groups[name_group]:
                found[groups[name_group].lower()] = groups[name_group + 1]
                break
        else:
            value = next(g for g in groups[6:] if g is not None)
            found[str(position)] = value
            position += 1
    return found


def _is_shortcode(name: str, text: str) -> bool:
    lowered = name.lower()
    if lowered in KNOWN or "-" in name or "_" in name:
        return True
    return bool(re.search(r"\[" + re.escape(name) + r"\s+[\w-]+\s*=", text)) or (
        f"[/{name}]" in text
    )


def expand(
    content: str, attachments: Attachments, keep: Callable[[str], str] | None = None
) -> tuple[str, list[Note]]:
    """Content with every shortcode and bare oEmbed URL replaced; notes for the report.

    ``keep`` wraps each piece of generated HTML (wpautop must not break it into paragraphs).
    """
    notes: list[Note] = []
    protected: list[str] = []
    keep = keep or (lambda generated: generated)

    def protect(match: re.Match | str) -> str:
        protected.append(match if isinstance(match, str) else match.group(0))
        return f"\x00{len(protected) - 1}\x00"

    text = _CODE.sub(protect, content)
    names = sorted({m.group(1) for m in _NAME.finditer(text) if _is_shortcode(m.group(1), text)})
    if names:
        pattern = shortcode_regex(names)

        def replace(match: re.Match) -> str:
            if match.group(1) == "[" and match.group(6) == "]":
                return protect(match.group(0)[1:-1])  # [[name]]: WordPress's literal [name]
            name, attributes = match.group(2), parse_attributes(match.group(3))
            inner = match.group(5) or ""
            converted = _convert(name.lower(), attributes, inner, attachments, notes)
            if converted and name.lower() in MEDIA:
                converted = keep(converted)
            return match.group(1) + converted + match.group(6)

        for _ in range(5):  # shortcodes inside enclosing ones, e.g. [caption] in a plugin box
            expanded = pattern.sub(replace, text)
            if expanded == text:
                break
            text = expanded
    text = _BARE_URL.sub(lambda m: keep(embed_link(html.unescape(m.group(1)))), text)
    while "\x00" in text:  # protected pieces can hold protected pieces ([[x]] inside <pre>)
        text = re.sub("\x00(\\d+)\x00", lambda m: protected[int(m.group(1))], text)
    return text, notes


def embed_link(url: str) -> str:
    """An oEmbed URL as a plain link (no third-party player is loaded on the page)."""
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    provider = next((name for key, name in PROVIDERS.items() if host.endswith(key)), "")
    label = f"{provider}: {url}" if provider else url
    return f'<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>'


def _convert(name: str, attributes: dict, inner: str, attachments: Attachments, notes) -> str:
    if name in ("caption", "wp_caption"):
        return _caption(attributes, inner)
    if name == "gallery":
        return _gallery(attributes, attachments, notes)
    if name in ("audio", "video"):
        return _player(name, attributes, inner, notes)
    if name == "playlist":
        images = attachments(_ids(attributes))
        if not images:
            notes.append(Note("playlist", "no files found for the playlist; removed"))
        return "".join(_player("audio", {"src": i.url}, "", notes) for i in images)
    if name == "embed":
        url = html.unescape(inner.strip())
        if not url.startswith(("http://", "https://")):
            notes.append(Note("embed", f"[embed] without a URL ({inner.strip()[:60]!r}); removed"))
            return ""
        return embed_link(url)
    for reason, names in REPLACED.items():
        if name in names:
            notes.append(Note(name, f"removed: {reason}"))
            return inner
    if name in NOT_CARRIED:
        notes.append(Note(name, f"removed: {NOT_CARRIED[name]}"))
        return inner
    notes.append(
        Note(name, "a plugin's shortcode Schitter does not know; removed, its inner text kept")
    )
    return inner


def _caption(attributes: dict, inner: str) -> str:
    caption = attributes.get("caption", "")
    body = inner
    if not caption:  # WordPress 3.4+: the caption is the text after the image
        match = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S)
        if match:
            body, caption = match.group(1), match.group(2).strip()
    return f"<figure>{body}<figcaption>{caption}</figcaption></figure>"


def _ids(attributes: dict) -> list[int] | None:
    raw = attributes.get("ids") or attributes.get("include") or ""
    ids = [int(part) for part in re.findall(r"\d+", raw)]
    return ids or None


def _gallery(attributes: dict, attachments: Attachments, notes: list[Note]) -> str:
    images = attachments(_ids(attributes))
    if not images:
        notes.append(Note("gallery", "no images found for the gallery; removed"))
        return ""
    figures = []
    for image in images:
        img = f'<img src="{html.escape(image.url)}" alt="{html.escape(image.alt)}">'
        caption = f"<figcaption>{html.escape(image.caption)}</figcaption>" if image.caption else ""
        figures.append(f"<figure>{img}{caption}</figure>")
    return '<div class="gallery">' + "".join(figures) + "</div>"


def _player(kind: str, attributes: dict, inner: str, notes: list[Note]) -> str:
    formats = ("mp3", "m4a", "ogg", "wav") if kind == "audio" else ("mp4", "m4v", "webm", "ogv")
    source = attributes.get("src") or next((attributes[f] for f in formats if f in attributes), "")
    source = source or attributes.get("0", "") or inner.strip()
    if not source.startswith(("http://", "https://", "/")):
        notes.append(Note(kind, f"[{kind}] without a file; removed"))
        return ""
    poster = attributes.get("poster", "")
    poster_attribute = f' poster="{html.escape(poster)}"' if poster and kind == "video" else ""
    return (
        f'<{kind} controls preload="none" src="{html.escape(source)}"{poster_attribute}></{kind}>'
    )
