"""The HTML of a responsive picture, and the article body's ``<img>`` tags turned into it.

A :class:`Picture` is one picture as a page shows it: ``<picture>`` with a ``<source>`` of the
modern copies (WebP/AVIF) in every width and an ``<img>`` whose ``src`` is the one fallback copy
(JPEG/PNG, 800 pixels wide: what feed readers and browsers without WebP load).
``width``/``height`` give the browser the aspect ratio before the file arrives (no layout
shift); ``sizes`` says how wide the picture is shown, so a phone picks a narrow copy.

The first picture of a page is what the reader sees first: it loads at once with
``fetchpriority="high"``; every later one has ``loading="lazy"`` and waits until it is near the
screen. Pure functions: values in, markup out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup, escape

IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)
# Attributes of an author's <img> that the <img> of the picture keeps.
KEPT_ATTRIBUTES = ("alt", "title", "class", "id", "lang", "dir")
# An <img> that already says how it loads or which files it has is left as the author wrote it.
AUTHOR_CHOSE = ("srcset", "sizes", "loading", "fetchpriority", "width", "height")


@dataclass(frozen=True)
class Picture:
    src: str  # the fallback copy (in an article body: Pelican's {static} link to it)
    width: int  # of the largest copy: the picture's aspect ratio
    height: int
    modern_type: str  # "image/webp" or "image/avif"
    modern: tuple[tuple[str, int], ...]  # (URL, width) of each modern copy
    fallback: str = ""  # the fallback copy's URL
    alt: str = ""

    def html(
        self, sizes: str, first: bool = False, css_class: str = "", src: str = "", **attributes
    ) -> Markup:
        """``<picture>``; ``first`` for the first picture of a page (loads at once); ``src``
        instead of :attr:`src`."""
        img = {"src": src or self.src}
        for name in KEPT_ATTRIBUTES:
            if name in attributes and attributes[name] is not None:
                img[name] = attributes[name]
        img["alt"] = attributes.get("alt", self.alt) or ""
        img.update({"width": str(self.width), "height": str(self.height)})
        if first:
            img["fetchpriority"] = "high"
        else:
            img["loading"] = "lazy"
        if not self.modern:  # no copies (IMAGES_ENABLED = False): the file itself, in one size
            css = f' class="{escape(css_class)}"' if css_class else ""
            return Markup(f"<img{css}{_attributes(img)}>")
        source = {"type": self.modern_type, "srcset": srcset(self.modern), "sizes": sizes}
        opening = f'<picture class="{escape(css_class)}">' if css_class else "<picture>"
        return Markup(f"{opening}<source{_attributes(source)}><img{_attributes(img)}></picture>")


def srcset(copies: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{url} {width}w" for url, width in copies)


def _attributes(values: dict[str, str]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in values.items())


class _TagParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        self.attributes = dict(attrs)

    handle_startendtag = handle_starttag


def tag_attributes(tag: str) -> dict[str, str | None]:
    """The attributes of one ``<img …>`` tag, entities decoded."""
    parser = _TagParser()
    parser.feed(tag)
    parser.close()
    return parser.attributes


def rewrite_images(
    body: str,
    picture_for: Callable[[str], Picture | None],
    sizes: str,
    first_is_taken: bool,
) -> tuple[str, int]:
    """``body`` with every ``<img>`` whose ``src`` ``picture_for`` knows made a ``<picture>``;
    the number of pictures made. ``first_is_taken``: the page shows a picture before the body."""
    if "<img" not in body and "<IMG" not in body:
        return body, 0
    made = 0

    def replace(match: re.Match) -> str:
        nonlocal made
        attributes = tag_attributes(match.group(0))
        src = attributes.get("src")
        if not src or any(name in attributes for name in AUTHOR_CHOSE):
            return match.group(0)
        picture = picture_for(src)
        if picture is None:
            return match.group(0)
        first = not first_is_taken and made == 0
        made += 1
        kept = {name: attributes[name] for name in KEPT_ATTRIBUTES if name in attributes}
        return str(picture.html(sizes, first=first, **kept))

    return IMG_TAG.sub(replace, body), made
