"""Pages rendered by two processes (issue 18, build cost): the same site, the same report, the
same failure, whichever process rendered a page (plugins/output/split.py).

The builds run Pelican's command line, as an author does; ``BUILD_PROCESSES = 1`` renders every
page in the build's own process, the baseline each comparison is made against.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from plugins.core.problems import Report
from plugins.output.split import AT_LEAST, Page, render_shared
from tests import fixture_site
from tests.sitecheck import PELICAN, ROOT, run_pelican, tree

ARTICLE = (
    "Title: Artikel {n}\nDate: 2026-02-{day:02d} 09:00\nCategory: {category}\n"
    "Tags: buurt, {tag}\nSummary: Over de *buurt* {n}.\n\n"
    "Tekst van artikel {n}, met een [link](https://example.org/{n}).\n\n## Kop {n}\n\nSlot.\n"
)
SECOND = "pages were rendered by a second process"


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("split") / "content"
    articles = fixture_site.write_many_articles(
        content,
        AT_LEAST,
        lambda n: ARTICLE.format(
            n=n, day=n % 28 + 1, category=("Buurt", "Leden")[n % 2], tag=f"thema-{n % 6}"
        ),
    )
    # One problem the report must carry, whoever renders: an article without a date.
    (articles / "zonder-datum.md").write_text("Title: Zonder datum\n\nTekst.\n", encoding="utf-8")
    return content


def build(content: Path, out: Path, processes: int, theme: Path | None = None):
    overrides = {
        "SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE,
        "RATINGS_STORE": "",
        "BUILD_PROCESSES": processes,
    }
    if theme is not None:
        overrides["THEME"] = str(theme)
    return run_pelican(
        out,
        content=content,
        overrides=overrides,
        command=[*PELICAN, "--debug"],
        log_handler="rich",
        env={"COLUMNS": "200"},
    )


def output(result) -> str:
    return result.stdout + result.stderr


def problems(result) -> list[str]:
    return sorted(line for line in output(result).splitlines() if line.startswith("  - "))


def test_two_processes_render_the_site_exactly_as_one_would(content, tmp_path):
    alone = build(content, tmp_path / "alone", processes=1)
    shared = build(content, tmp_path / "shared", processes=2)
    assert alone.returncode == shared.returncode == 0, output(shared)
    said = [line for line in output(shared).splitlines() if SECOND in line]
    assert said, output(shared)
    there, _, pages = said[0].split(SECOND)[0].split()[-3:]
    assert int(there) >= int(pages) // 2 >= AT_LEAST // 2  # half of every page of the site
    assert SECOND not in output(alone)
    assert tree(tmp_path / "shared") == tree(tmp_path / "alone")
    assert problems(shared) == problems(alone) and problems(alone)


@pytest.mark.parametrize("broken", ["artikel-07", "artikel-08"])  # one in either share
def test_a_page_that_breaks_fails_the_build_as_it_would_in_one_process(content, tmp_path, broken):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "{% block content %}",
            "{% block content %}{% if article.slug == '" + broken + "' %}{{ 1 // 0 }}{% endif %}",
            1,
        ),
        encoding="utf-8",
    )
    alone = build(content, tmp_path / "alone", processes=1, theme=theme)
    shared = build(content, tmp_path / "shared", processes=2, theme=theme)
    assert alone.returncode == shared.returncode != 0
    assert "ZeroDivisionError" in output(alone) and "ZeroDivisionError" in output(shared)


class Template:
    """A stand-in for a Jinja template: renders its context's text (and does what it says)."""

    def __init__(self, act=None):
        self.act = act

    def render(self, context: dict) -> str:
        if self.act:
            self.act(context)
        return context["text"]


def pages_in(folder: Path, template: Template, count: int = AT_LEAST) -> list[Page]:
    return [
        Page(str(folder / f"p{n}.html"), template, {"text": f"pagina {n}"}) for n in range(count)
    ]


def write(path: str, data: bytes) -> None:
    Path(path).write_bytes(data)


def test_the_copy_logs_and_reports_through_the_build(tmp_path, caplog):
    build_pid = os.getpid()
    report = Report()

    def act(context):
        if os.getpid() != build_pid:  # only in the copy
            logging.getLogger("pelican.schitter.test").warning("copy saw %s", context["text"])
            report.add("content/a.md", "title", f"from the copy: {context['text']}", "none")

    with caplog.at_level(logging.WARNING, logger="pelican.schitter.test"):
        there = render_shared(pages_in(tmp_path, Template(act)), write, write, report)
    assert there == AT_LEAST // 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"p{n}.html" for n in range(AT_LEAST)
    )
    assert (tmp_path / "p1.html").read_text() == "pagina 1"  # rendered by the copy
    copied = sorted(r.getMessage() for r in caplog.records if r.name == "pelican.schitter.test")
    assert copied == sorted(f"copy saw pagina {n}" for n in range(1, AT_LEAST, 2))
    assert len(report.problems) == AT_LEAST // 2


def test_a_copy_that_dies_leaves_its_share_to_the_build(tmp_path):
    build_pid = os.getpid()

    def act(context):
        if os.getpid() != build_pid:
            os._exit(3)  # the copy breaks off in its first page

    there = render_shared(pages_in(tmp_path, Template(act)), write, write, Report())
    assert there == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"p{n}.html" for n in range(AT_LEAST)
    )


def test_few_pages_are_rendered_in_the_build_alone(tmp_path):
    build_pid = os.getpid()
    seen: set[int] = set()
    pages = pages_in(tmp_path, Template(lambda context: seen.add(os.getpid())), AT_LEAST - 1)
    assert render_shared(pages, write, write, Report()) == 0
    assert seen == {build_pid} and len(list(tmp_path.iterdir())) == AT_LEAST - 1
