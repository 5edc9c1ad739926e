"""One stylesheet and one script per page, made of the parts that kind of page uses.

A page may load at most 4 files (the page, one stylesheet, one script, the live score) within
14 KB gzipped, so a page cannot load a file per feature; and one file with every feature makes
an article carry the styles of the episode list and the code of the audio player. The theme's
sources are therefore split by what uses them (``theme/static/``): ``site.css``/``site.js``
(every page: header, article, share, rating, comments, newsletter), ``podcast.*`` (the player,
chapters, transcript, subscribe block) and ``lists.css`` (lists of items, a show's page). A
template names the one file its page loads (``stylesheet``/``script`` in base.html); each file
below is written into the output as the parts it builds on followed by its own source, so an
episode's page loads ``podcast.css`` = site.css + podcast.css.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

# output file (under the theme's static folder) → its sources, in order; the last is its own.
BUNDLES: Mapping[str, tuple[str, ...]] = {
    "css/podcast.css": ("css/site.css", "css/podcast.css"),
    "css/lists.css": ("css/site.css", "css/podcast.css", "css/lists.css"),
    "js/podcast.js": ("js/site.js", "js/podcast.js"),
}


def bundle(sources: list[str]) -> str:
    """The sources as one file, in order (each ends with a line break, so no rule or statement
    runs into the next)."""
    return "".join(text if text.endswith("\n") else text + "\n" for text in sources)


def bundles(theme_static: Path) -> dict[str, str]:
    """Every bundle whose sources the theme has, as text (a theme without them gets none)."""
    made = {}
    for name, parts in BUNDLES.items():
        files = [theme_static / part for part in parts]
        if all(path.is_file() for path in files):
            made[name] = bundle([path.read_text(encoding="utf-8") for path in files])
    return made
