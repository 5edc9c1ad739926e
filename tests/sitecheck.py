"""Helpers the tests use to build the site for real and read what came out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests import fixture_site

ROOT = Path(__file__).resolve().parent.parent
AUTHOR_CONTENT = ROOT / "content"  # what the author writes: tests never build it
# As the tasks build: Pelican behind our check of the settings (schitter/build.py).
PELICAN = [sys.executable, "-m", "schitter.build"]

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def run_pelican(
    output: Path,
    settings: str = "pelicanconf.py",
    overrides: dict | None = None,
    content: Path | None = None,
    cache: Path | None = None,
    env: dict | None = None,
    command: list[str] | None = None,
    log_handler: str = "plain",
) -> subprocess.CompletedProcess:
    """Build a site with Pelican's own command line, as `invoke build` does (``command``: a
    wrapper that runs it, e.g. tests/reordered_pelican.py).

    ``content`` is the content folder to build. Without one, a fresh copy of the generated test
    site (tests/fixture_site.py) is written next to the output and built with the settings that
    configure it, under ``overrides``. The author's own ``content/`` is never built by a test:
    ``invoke check`` is the command for that."""
    if content is None:
        content = fixture_site.write_site(fixture_content(output))
        overrides = {**fixture_site.overrides(), **(overrides or {})}
    else:  # a site of the test's own has no course for the demo's signup block (pelicanconf.py)
        overrides = {"NEWSLETTER_COURSE": "", **(overrides or {})}
    if Path(content).resolve().is_relative_to(AUTHOR_CONTENT.resolve()):
        raise AssertionError(
            f"a test must not build the author's content/ ({content}): generate a site instead"
        )
    settings_overrides = {"CACHE_PATH": str(cache or output.parent / f"{output.name}-cache")}
    settings_overrides.update(overrides or {})
    args = [
        *(command or PELICAN),
        str(content),
        "-s",
        str(ROOT / settings),
        "-o",
        str(output),
    ]
    # One -e with every override: Pelican keeps only the last -e option.
    # (Pelican's "plain" handler prints warnings and errors only, whatever the verbosity.)
    args += ["--log-handler", log_handler, "-e"]
    args += [f"{key}={json.dumps(value)}" for key, value in settings_overrides.items()]
    return subprocess.run(
        args,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative path: bytes), to compare two builds."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fixture_content(output: Path) -> Path:
    """Where a build into ``output`` without a content folder of its own writes the generated
    site it builds (a fresh copy per build: a publish build records GUIDs in it)."""
    return output.parent / f"{output.name}-content"


def build(output: Path, **kwargs) -> Path:
    """Build and fail the test with Pelican's own output if the build did not succeed."""
    result = run_pelican(output, **kwargs)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return output


@dataclass
class Page:
    """The parts of an HTML page the tests look at."""

    path: Path
    errors: list[str] = field(default_factory=list)
    links: list[tuple[str, str, dict]] = field(default_factory=list)  # (tag, attr, attrs)
    text: str = ""


class _PageParser(HTMLParser):
    """Checks that every element is closed in order and collects URLs and text."""

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.text_parts: list[str] = []
        self.skip_text = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for attr in ("href", "src", "action", "poster", "data"):
            if attributes.get(attr) is not None:
                self.page.links.append((tag, attr, attributes))
        if attributes.get("srcset"):
            self.page.links.append((tag, "srcset", attributes))
        if tag in {"script", "style"}:
            self.skip_text += 1
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.page.errors.append(
                f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}>"
                f" at line {self.getpos()[0]}"
            )
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag in {"script", "style"}:
            self.skip_text -= 1

    def handle_data(self, data):
        if not self.skip_text:
            self.text_parts.append(data)

    def close(self):
        super().close()
        if self.stack:
            self.page.errors.append(f"unclosed elements at the end: {self.stack}")
        self.page.text = " ".join(" ".join(self.text_parts).split())


def parse_page(path: Path) -> Page:
    page = Page(path)
    source = path.read_text(encoding="utf-8")
    if not source.lstrip().lower().startswith("<!doctype html>"):
        page.errors.append("no <!doctype html>")
    parser = _PageParser(page)
    parser.feed(source)
    parser.close()
    return page


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def resolve_local(output: Path, page: Path, url: str, siteurl: str = "") -> Path | None:
    """The file a same-site URL points at, or None for another site's URL."""
    if siteurl and url.startswith(siteurl):
        url = url[len(siteurl) :] or "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:  # "#fragment" or "?query" on the same page
        return page
    if parts.path.startswith("/"):
        target = output / unquote(parts.path).lstrip("/")
    else:
        target = page.parent / unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target
