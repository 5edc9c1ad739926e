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


def _link_regex(settings: dict) -> re.Pattern:
    # The same pattern Pelican uses (contents.Content._get_intrasite_link_regex).
    marker = settings.get("INTRASITE_LINK_REGEX", "[{|](?P<what>.*?)[|}]")
    return re.compile(
        r"""(?P<markup><[^\>]+(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*)"""
        r"""(?P<quote>["\'])(?P<path>""" + marker + r"""(?P<value>.*?))(?P=quote)""",
        re.X,
    )


def broken_links(body: str, source_dir: str, content_dir: str, settings: dict) -> list[str]:
    """The links of ``body`` (as written, e.g. ``{static}/images/x.jpg``) whose file is missing."""
    if not body or ("{" not in body and "|" not in body):
        return []
    broken = []
    for match in _link_regex(settings).finditer(body):
        what = match.group("what")
        if what not in LINKED:
            continue
        value = match.group("value")
        path = urlparse(value).path
        if not path:
            continue
        candidates = {path, unquote(path), urlparse(html.unescape(value)).path}
        if not any(_exists(c, source_dir, content_dir) for c in candidates):
            broken.append(f"{{{what}}}{value}")
    return broken


def _exists(path: str, source_dir: str, content_dir: str) -> bool:
    if path.startswith("/"):
        target = os.path.join(content_dir, path.lstrip("/"))
    else:
        target = os.path.join(source_dir, path)
    return os.path.isfile(target)
