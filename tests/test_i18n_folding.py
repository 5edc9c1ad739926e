"""Translations with literal arguments are looked up once, when a template is compiled
(plugins/i18n/folding.py), and give exactly what Jinja's own new-style gettext gives."""

from __future__ import annotations

import pytest
from babel.support import Translations
from jinja2 import DictLoader, Environment

from plugins.i18n.folding import ConstantTranslations


class Catalog(Translations):
    def __init__(self):
        super().__init__()
        self._catalog = {
            "Rating": "Beoordeling",
            "Tom & Jerry": "Tom & Jerry <b>",
            "Average %(average)s of 5": "Gemiddeld %(average)s van 5",
            ("%(num)s vote", 0): "%(num)s stem",
            ("%(num)s vote", 1): "%(num)s stemmen",
            "%(count)s results": "%(count)s resultaten",
        }
        self.plural = lambda n: int(n != 1)


TEMPLATE = (
    '{{ _("Rating") }}|{{ _("Tom & Jerry") }}|{{ _("Average %(average)s of 5", average="<x>") }}|'
    '{{ ngettext("%(num)s vote", "%(num)s votes", 2) }}|'
    '{{ ngettext("%(num)s vote", "%(num)s votes", n) }}|'
    '{{ _("Average %(average)s of 5", average=avg) }}|{{ _("%(count)s results") }}|'
    '{% set d = {"a": _("Rating")} %}{{ d.a }}|{{ obj._("Rating") }}'
)


def environment(folding: bool) -> Environment:
    env = Environment(
        autoescape=True, extensions=["jinja2.ext.i18n"], loader=DictLoader({"t": TEMPLATE})
    )
    env.install_gettext_translations(Catalog(), newstyle=True)
    if folding:
        env.schitter_catalog = Catalog()
        env.add_extension(ConstantTranslations)
    return env


class Obj:
    def _(self, text):
        return f"obj:{text}"


def test_folded_templates_render_exactly_as_jinja_would():
    values = {"n": 1, "avg": "4,5", "obj": Obj()}
    # "%(count)s results" without its value is Jinja's error: left to Jinja, not folded.
    for folding in (False, True):
        with pytest.raises(KeyError, match="count"):
            environment(folding).get_template("t").render(values)
    envs = [environment(folding) for folding in (False, True)]
    for env in envs:
        env.loader.mapping["t"] = TEMPLATE.replace('|{{ _("%(count)s results") }}', "")
    plain, folded = (env.get_template("t").render(values) for env in envs)
    assert folded == plain
    # A translation is markup (as in Jinja); a keyword value is escaped.
    assert folded == (
        "Beoordeling|Tom & Jerry <b>|Gemiddeld &lt;x&gt; van 5|2 stemmen|1 stem|"
        "Gemiddeld 4,5 van 5|Beoordeling|obj:Rating"
    )


def test_only_literal_calls_are_folded():
    env = environment(True)
    code = env.compile(
        '{{ _("Rating") }}{{ ngettext("%(num)s vote", "%(num)s votes", 2) }}', raw=True
    )
    assert "resolve('_')" not in code and "resolve('ngettext')" not in code
    assert "yield 'Beoordeling2 stemmen'" in code  # one constant, no call at render time
    code = env.compile('{{ _("Average %(average)s of 5", average=avg) }}', raw=True)
    assert "resolve('_')" in code
