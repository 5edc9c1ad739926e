"""Links to other files of the site that lead nowhere: ``{filename}`` and ``{static}`` targets.

Pelican resolves ``[les 1]({filename}/cursus/les-1.md)`` and ``![foto]({static}/images/x.jpg)``
when it writes a page, logs "Unable to find …" without naming the article for a target that is
not there, and publishes the link broken. This check looks at every such link of an item as it
was read (before Pelican replaces them) and names the file and the link as written. A target is
found the way Pelican finds it: from the content folder when it starts with ``/``, else from the
item's own folder; percent-encoded and HTML-escaped forms count.
"""

from __future__ import annotations

import html
import os
import re
from urllib.parse import unquote, urlparse

LINKED = ("filename", "static", "attach")
# Every kind of link Pelican replaces ({tag}name, {category}name, … lead to list pages).
PELICAN_LINKS = (*LINKED, "tag", "category", "author", "index")


def _link_regex(settings: dict) -> re.Pattern:
    # The same pattern Pelican uses (contents.Content._get_intrasite_link_regex).
    marker = settings.get("INTRASITE_LINK_REGEX", "[{|](?P<what>.*?)[|}]")
    return re.compile(
        r"""(?P<markup><[^\>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*)"""
        r"""(?P<quote>["\'])(?P<path>""" + marker + r"""(?P<value>.*?))(?P=quote)""",
        re.X,
    )


def _slashed_regex(settings: dict) -> re.Pattern:
    marker = settings.get("INTRASITE_LINK_REGEX", "[{|](?P<what>.*?)[|}]")
    return re.compile(
        r"""(?P<markup><[^\>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*)"""
        r"""(?P<quote>["\'])/(?P<path>""" + marker + r"""(?P<value>.*?))(?P=quote)""",
        re.X,
    )


def unslash(body: str, settings: dict) -> tuple[str, list[str]]:
    """``body`` with ``/{filename}/…`` links read as ``{filename}/…``, and the links written so.

    Pelican only replaces a link that starts with the marker; with a ``/`` in front it publishes
    ``/{filename}/articles/a.md`` literally, a link that leads nowhere."""
    if not body or "/{" not in body and "/|" not in body:
        return body, []
    found = []

    def read(match: re.Match) -> str:
        if match.group("what") not in PELICAN_LINKS:
            return match.group(0)
        found.append("/" + match.group("path"))
        return f"{match.group('markup')}{match.group('quote')}{match.group('path')}" + match.group(
            "quote"
        )

    return _slashed_regex(settings).sub(read, body), found


def broken_links(body: str, source_dir: str, content_dir: str, settings: dict) -> list[str]:
    """The links of ``body`` (as written, e.g. ``{static}/images/x.jpg``) whose file is missing."""
    return unlink_broken(body, source_dir, content_dir, settings)[1]


def unlink_broken(
    body: str, source_dir: str, content_dir: str, settings: dict
) -> tuple[str, list[str]]:
    """``body`` with every broken link written as a plain (percent-encoded) address, and the
    broken links as written. Pelican would leave ``{filename}`` in the page, which is not a
    valid URL; the link stays broken (as reported), but the page stays valid HTML."""
    if not body or ("{" not in body and "|" not in body):
        return body, []
    broken = []

    def defuse(match: re.Match) -> str:
        what = match.group("what")
        value = match.group("value")
        path = urlparse(value).path
        if what not in LINKED or not path:
            return match.group(0)
        candidates = {path, unquote(path), urlparse(html.unescape(value)).path}
        if any(_exists(c, source_dir, content_dir) for c in candidates):
            return match.group(0)
        broken.append(f"{{{what}}}{value}")
        written = match.group("path")
        plain = written.replace("{", "%7B").replace("}", "%7D").replace("|", "%7C")
        return f"{match.group('markup')}{match.group('quote')}{plain}{match.group('quote')}"

    return _link_regex(settings).sub(defuse, body), broken


def _exists(path: str, source_dir: str, content_dir: str) -> bool:
    if path.startswith("/"):
        target = os.path.join(content_dir, path.lstrip("/"))
    else:
        target = os.path.join(source_dir, path)
    return os.path.isfile(target)
