"""Translations that never change within a build, looked up once: when a template is compiled.

``{{ _("Rating") }}`` or ``ngettext("%(num)s vote", "%(num)s votes", 2, num="{n}")`` has only
literal arguments: its result is the same on each of the site's thousand pages. Jinja calls the
catalog again on every page all the same (tens of thousands of calls per build). The
:class:`ConstantTranslations` extension computes such a call once, when the template is
compiled with the build's catalog, exactly as Jinja's new-style gettext would (the translation
is markup, ``%`` fills in the keyword arguments escaped, ``num`` is the count), and leaves the
result in the template as ``"…"|safe``. A call with any non-literal argument (a variable, a
filter) is left as it is. The catalog is the environment's ``schitter_catalog`` (set by
:func:`.glue.install`); an environment without one folds nothing.
"""

from __future__ import annotations

from jinja2 import lexer
from jinja2.ext import Extension
from jinja2.lexer import Token
from markupsafe import Markup

GETTEXT = {"_", "gettext"}
NGETTEXT = {"ngettext"}
LITERALS = {lexer.TOKEN_STRING, lexer.TOKEN_INTEGER}


def _arguments(tokens: list[Token], start: int):
    """The literal arguments of the call whose ``(`` is at ``start``: (positional, keyword,
    index after the ``)``), or None when any argument is not a literal."""
    positional: list = []
    keyword: dict = {}
    i = start + 1
    while i < len(tokens):
        token = tokens[i]
        if token.type == lexer.TOKEN_RPAREN:
            return positional, keyword, i + 1
        if token.type in LITERALS:
            positional.append(token.value)
            i += 1
        elif (
            token.type == lexer.TOKEN_NAME
            and i + 2 < len(tokens)
            and tokens[i + 1].type == lexer.TOKEN_ASSIGN
            and tokens[i + 2].type == lexer.TOKEN_STRING
        ):
            keyword[token.value] = tokens[i + 2].value
            i += 3
        else:
            return None
        if tokens[i].type == lexer.TOKEN_COMMA:
            i += 1
        elif tokens[i].type != lexer.TOKEN_RPAREN:
            return None
    return None


def translate(catalog, name: str, positional: list, keyword: dict) -> str | None:
    """What Jinja's new-style gettext returns for these literal arguments, or None."""
    try:
        if name in GETTEXT and len(positional) == 1 and isinstance(positional[0], str):
            text = catalog.gettext(positional[0])
            return str(Markup(text) % keyword)
        if name in NGETTEXT and len(positional) == 3 and isinstance(positional[2], int):
            singular, plural, count = positional
            text = catalog.ngettext(singular, plural, count)
            return str(Markup(text) % {"num": count, **keyword})
    except (KeyError, TypeError, ValueError):
        return None  # a placeholder without its value: left to Jinja (and its error)
    return None


class ConstantTranslations(Extension):
    def filter_stream(self, stream):
        catalog = getattr(self.environment, "schitter_catalog", None)
        tokens = list(stream)
        if catalog is None:
            return iter(tokens)
        folded: list[Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            is_call = (
                token.type == lexer.TOKEN_NAME
                and token.value in GETTEXT | NGETTEXT
                and i + 1 < len(tokens)
                and tokens[i + 1].type == lexer.TOKEN_LPAREN
                and not (folded and folded[-1].type == lexer.TOKEN_DOT)
            )
            found = _arguments(tokens, i + 1) if is_call else None
            text = translate(catalog, token.value, *found[:2]) if found else None
            if text is None:
                folded.append(token)
                i += 1
                continue
            line = token.lineno
            folded += [
                Token(line, lexer.TOKEN_STRING, text),
                Token(line, lexer.TOKEN_PIPE, "|"),
                Token(line, lexer.TOKEN_NAME, "safe"),
            ]
            i = found[2]
        return iter(folded)
