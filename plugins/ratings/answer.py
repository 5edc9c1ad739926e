"""The answer to a vote sent without JavaScript, as the build hands it to the reader service.

Without JavaScript the vote form is a plain form post to the service; the reader should then see
what a reader with JavaScript sees: their own stars and the new average as stars, in the site's
language and look. The service knows the numbers, the build knows the words and the theme, so
the build renders the theme's ``vote_answer.html`` once with placeholders and puts it, with the
sentences the service needs to say the numbers (plural forms and the decimal sign of the
interface language), into the ratings manifest (``"answer"``) that the service already reads.
"""

from __future__ import annotations

from babel.numbers import get_decimal_symbol, get_group_symbol

STARS = range(1, 6)


def answer_texts(catalog, language: str) -> dict:
    """The sentences of the answer page, with ``{n}``/``{avg}`` where the service puts numbers
    (``catalog``: the theme's translations, with ``gettext`` and ``ngettext``)."""

    def plural(singular: str, many: str, n: int, num: object) -> str:
        return catalog.ngettext(singular, many, n) % {"num": num}

    return {
        "thanks": catalog.gettext("Thank you for your vote"),
        "already": catalog.gettext("You have already rated this."),
        "stars": [plural("%(num)s star", "%(num)s stars", n, n) for n in STARS],
        "votes_one": plural("%(num)s vote", "%(num)s votes", 1, "{n}"),
        "votes_other": plural("%(num)s vote", "%(num)s votes", 2, "{n}"),
        "average": catalog.gettext("Average %(average)s of 5") % {"average": "{avg}"},
        "decimal": get_decimal_symbol(language),
        "group": get_group_symbol(language),
    }


def vote_answer(page: str, texts: dict) -> dict:
    """The manifest's ``"answer"``: the rendered page (placeholders in it) and its sentences."""
    return {"page": page, **texts}
