"""Text an author or an audio tag supplied, made safe to set next to our own text.

Control characters (a stray BEL or ESC pasted into a title, or sitting in an MP3 tag) are
invisible in a page and not allowed at all in XML 1.0, where they would break every feed:
:func:`strip_control` removes them.

Bidi controls: an explicit embedding, override or isolate (U+202A–U+202E, U+2066–U+2068) is
inert, but when the author leaves it open it reverses or re-orders whatever follows it on the
same line — our own text: " · Community Kompas" in ``<title>``, the rest of a card, a feed title.
:func:`balance_bidi` closes every one left open at the end of the field (U+202C PDF for
embeddings and overrides, U+2069 PDI for isolates), as Unicode's own guidance (UAX #9) does; the
author's text looks as typed, ours follows in logical order. Hebrew and Arabic text and the
LRM/RLM/ALM marks stay exactly as they are.

:func:`plain_text` is the one way to get the text a reader sees from a title or summary, which
Pelican keeps as HTML fragments.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

# C0 controls except tab/newline/carriage return, DEL, and the C1 controls: none is valid text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Explicit bidi formatting characters (UAX #9): openers and their terminators.
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
PDF, PDI = "\u202c", "\u2069"
BIDI_OPENERS = re.compile("[" + "".join(sorted(EMBEDDINGS | ISOLATES)) + "]")


def strip_control(text: str) -> str:
    """``text`` without control characters (tab, newline and carriage return stay)."""
    return CONTROL_CHARACTERS.sub("", text)


def balance_bidi(text: str) -> str:
    """``text`` with every bidi embedding, override and isolate it leaves open closed at its end.

    Follows UAX #9's matching: PDF closes the innermost embedding or override unless an isolate
    was opened after it; PDI closes the innermost open isolate and everything opened inside it.
    Terminators without an opener are ignored by renderers and stay as they are.
    """
    if not BIDI_OPENERS.search(text):
        return text  # the usual case, Hebrew and Arabic included: byte for byte unchanged
    stack: list[str] = []
    for char in text:
        if char in EMBEDDINGS or char in ISOLATES:
            stack.append(char)
        elif char == PDF and stack and stack[-1] in EMBEDDINGS:
            stack.pop()
        elif char == PDI and any(opener in ISOLATES for opener in stack):
            while stack.pop() not in ISOLATES:
                pass
    return text + "".join(PDI if opener in ISOLATES else PDF for opener in reversed(stack))


def author_text(text: str) -> str:
    """Text an author or an audio tag supplied, safe to set next to our own text: no control
    characters, no bidi embedding left open."""
    return balance_bidi(strip_control(text))


def plain_text(html: object) -> str:
    """Title or summary HTML → the text a reader sees: tags dropped, entities decoded,
    whitespace collapsed to single spaces."""
    if not html:
        return ""
    return " ".join(Markup(str(html)).striptags().split())


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-–—")
    return cut + "…"


def json_for_script(data: object) -> Markup:
    """JSON for a <script type="application/ld+json"> (data, not script): ``</script>``, ``<!--``
    and the line separators cannot end the element or the string early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text)
