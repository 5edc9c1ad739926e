"""A card is rendered once per build and article, and reused on every list (plugins/fragments)."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from plugins.fragments.glue import install


class Generator:
    """What the step needs of a Pelican generator: its context, settings and Jinja env."""

    def __init__(self, tmp_path, context=None):
        self.context = {} if context is None else context
        self.settings = {"PATH": str(tmp_path)}
        self.env = Environment(
            autoescape=True,
            loader=DictLoader(
                {
                    "card.html": "<{{ article.name }}:{{ render() }}:{{ first }}:{{ SITEURL }}>",
                    "list.html": "{% for a in items %}{{ once('card.html', a, first=loop.first) }}"
                    "{% endfor %}",
                }
            ),
        )


class Article:
    def __init__(self, name):
        self.name = name


def test_each_card_is_rendered_once_per_build_and_values(tmp_path):
    renders = []
    generator = Generator(tmp_path)
    install(generator)
    generator.env.globals["render"] = lambda: renders.append(1) or len(renders)
    a, b = Article("a"), Article("<b>")
    page = generator.env.get_template("list.html")
    first = page.render(items=[a, b], SITEURL="")
    second = page.render(items=[a, b], SITEURL="")
    assert first == second == "<a:1:True:><&lt;b&gt;:2:False:>"
    assert len(renders) == 2
    assert page.render(items=[b, a], SITEURL="") == "<&lt;b&gt;:3:True:><a:4:False:>"
    # Another SITEURL (RELATIVE_URLS: it differs per page): rendered again.
    assert page.render(items=[a], SITEURL="..") == "<a:5:True:..>"
    # Another generator of the same build shares the cache; a new build renders afresh.
    other = Generator(tmp_path, context=generator.context)
    install(other)
    other.env.globals["render"] = generator.env.globals["render"]
    assert other.env.get_template("list.html").render(items=[a], SITEURL="") == "<a:1:True:>"
    fresh = Generator(tmp_path)
    install(fresh)
    fresh.env.globals["render"] = generator.env.globals["render"]
    assert fresh.env.get_template("list.html").render(items=[a], SITEURL="") == "<a:6:True:>"
