"""What keeps an article within 14 KB: templates without indentation, JavaScript with short
local names (plugins/assets/files.py) — and neither changes what the page says or does."""

from __future__ import annotations

from jinja2 import Environment

from plugins.assets.bundles import BUNDLES, bundle, bundles
from plugins.assets.files import minify, strip_indentation
from plugins.assets.glue import CompactTemplates

TEMPLATE = """<section class="x"
  data-a="1"{% if flag %} data-b="2"{% endif %}
  data-c="3">
  <p>
    {% if flag %}
    <a href="/">een</a>{% if flag %}
    <a href="/">twee</a>{% endif %}
    {% endif %}
  </p>
</section>
"""


def render(source: str, **values) -> str:
    env = Environment(trim_blocks=True, lstrip_blocks=True, autoescape=True)
    return env.from_string(source).render(**values)


def test_a_template_without_indentation_says_the_same():
    for flag in (True, False):
        compact = render(strip_indentation(TEMPLATE), flag=flag)
        assert " ".join(compact.split()) == " ".join(render(TEMPLATE, flag=flag).split())
        assert len(compact) < len(render(TEMPLATE, flag=flag))
    # Attributes and inline links keep the space between them when a block tag joins lines.
    assert 'data-a="1" data-c="3"' in render(strip_indentation(TEMPLATE), flag=False)
    assert 'data-b="2" data-c="3"' in render(strip_indentation(TEMPLATE), flag=True)
    assert "een</a> <a" in render(strip_indentation(TEMPLATE), flag=True)


def test_the_extension_strips_templates_as_they_load():
    env = Environment(extensions=[CompactTemplates], trim_blocks=True, lstrip_blocks=True)
    assert env.from_string("<ul>\n    <li>x</li>\n</ul>").render() == "<ul>\n<li>x</li>\n</ul>"


def test_javascript_is_minified_with_short_local_names_and_still_runs_the_same():
    source = """(function () {
      "use strict";
      function average(numbers) { var total = 0; numbers.forEach(function (n) { total += n; });
        return total / numbers.length; }
      window.result = average([1, 2, 3]);
    })();"""
    small = minify(source, ".js")
    assert "numbers" not in small and "total" not in small and "window.result" in small
    assert minify(source, ".js") == small  # deterministic
    # A script in newer syntax than ES5 is still minified (whitespace), not broken.
    assert minify("const f = (a) => a + 1;\n\n", ".js") == "const f=(a)=>a+1;"


def test_each_bundle_is_the_parts_it_builds_on_then_its_own(tmp_path):
    static = tmp_path / "static"
    for name in {part for parts in BUNDLES.values() for part in parts}:
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text(f"/* {name} */", encoding="utf-8")  # no final line break
    made = bundles(static)
    assert made["css/podcast.css"] == "/* css/site.css */\n/* css/podcast.css */\n"
    assert made["css/lists.css"].splitlines() == [
        "/* css/site.css */",
        "/* css/podcast.css */",
        "/* css/lists.css */",
    ]
    assert made["js/podcast.js"] == bundle(["/* js/site.js */", "/* js/podcast.js */"])
    (static / "css" / "lists.css").unlink()  # another theme without that part: no such bundle
    assert "css/lists.css" not in bundles(static) and "css/podcast.css" in bundles(static)
