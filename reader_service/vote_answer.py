"""The page that answers a vote sent without JavaScript (``GET /votes/{item}/answer``).

A reader without JavaScript posts the vote form; the service answers 303 to this page (a reload
does not vote again), which shows what the widget shows with JavaScript: the reader's own stars,
the new average as stars and in words, the number of votes, and a link back to the page. The
build renders the page in the site's language and look, with placeholders, and puts it and the
sentences for the numbers into the ratings manifest's ``"answer"`` (plugins/ratings/answer.py);
here the placeholders are filled. Nothing about the reader is in it but the stars they chose,
which come from the address the service itself redirected to.
"""

from __future__ import annotations

from html import escape

from .course import _site_links
from .score import Score

TEXTS = ("thanks", "already", "votes_one", "votes_other", "average", "decimal", "group")


def usable(answer: object) -> bool:
    """An answer the service can fill (else it sends the reader back to the page, as before)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("page"), str):
        return False
    stars = answer.get("stars")
    if not (isinstance(stars, list) and len(stars) == 5 and all(isinstance(s, str) for s in stars)):
        return False
    return all(isinstance(answer.get(name), str) for name in TEXTS)


def _number(value: int, answer: dict) -> str:
    return f"{value:,}".replace(",", answer["group"])


def answer_page(
    answer: dict, title: str, url: str, score: Score, mine: int | None, site_origin: str
) -> bytes:
    """The filled page: ``mine`` is the reader's stars (None: already voted, not known)."""
    average = score.average if score.count else 0.0
    words = answer["average"].replace("{avg}", f"{average:.1f}".replace(".", answer["decimal"]))
    votes = answer["votes_one"] if score.count == 1 else answer["votes_other"]
    values = {
        "SCHITTERVOTEHEADING": answer["thanks"] if mine else answer["already"],
        "SCHITTERVOTETITLE": title,
        "SCHITTERVOTEURL": url,
        "SCHITTERVOTEMINELABEL": answer["stars"][mine - 1] if mine else "",
        "SCHITTERVOTEAVERAGEWIDTH": f"{average * 20:.1f}",
        "SCHITTERVOTEAVERAGE": words,
        "SCHITTERVOTECOUNT": votes.replace("{n}", _number(score.count, answer)),
        "SCHITTERVOTEMINE": f"{(mine or 0) * 20}",
    }
    page = answer["page"].replace("SCHITTERVOTEMINEHIDDEN", "" if mine else " hidden")
    # Longest names first: SCHITTERVOTEMINELABEL before SCHITTERVOTEMINE, and so on.
    for name in sorted(values, key=len, reverse=True):
        page = page.replace(name, escape(values[name]))
    return _site_links(page, site_origin).encode()
