"""What keeps every page small, as pure functions: minifying, an inline favicon, precompression.

- The theme's templates lose their indentation as they are loaded (a page keeps its line breaks,
  so no text runs together; the theme has no ``<pre>`` of its own, and what an author writes
  reaches the page through variables, untouched).
- The theme's CSS and JavaScript are minified in the output (rcssmin; calmjs.parse for the
  JavaScript, which also shortens the names of local variables: about a tenth less gzipped than
  whitespace removal alone, which is what keeps an article within 14 KB; rjsmin if a script is
  not ES5 calmjs can parse; the sources in ``theme/static/`` stay readable). Files are
  replaced, never edited in place, so a hard-linked copy can never change a source file.
- An SVG favicon becomes a ``data:`` URI for the templates, so it costs no request of its own.
- Precompression (publish builds) writes ``.gz`` and ``.br`` copies of text files
  next to them for hosts that serve precompressed files (nginx ``gzip_static``/``brotli_static``,
  Caddy ``precompressed``); a copy is kept only when it is smaller than the original.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import os
import re
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

import brotli
import rcssmin
import rjsmin
from calmjs.parse import es5
from calmjs.parse.exceptions import ECMARegexSyntaxError, ECMASyntaxError
from calmjs.parse.unparsers.es5 import minify_print

COMPRESSIBLE = (".html", ".css", ".js", ".xml", ".json", ".svg", ".txt", ".vtt", ".srt", ".ico")


BLOCK_TAG = re.compile(r"\{%.*?%\}")


def strip_indentation(template_source: str) -> str:
    """A template's source without the spaces that start its lines.

    One space stays where the last line with text ends in a block tag: Jinja's ``trim_blocks``
    drops the line break there (and a block tag alone on a line leaves nothing), so the
    indentation was the only thing between that text and the next line's, e.g. two attributes
    (``data-x="…"{% endif %}`` + ``data-y="…"``) or two words."""
    lines = template_source.split("\n")
    out = [lines[0]]
    joined = _ends_in_block_tag(lines[0])
    for line in lines[1:]:
        stripped = line.lstrip(" \t")
        out.append(" " + stripped if joined and stripped != line else stripped)
        if BLOCK_TAG.sub("", line).strip():  # a line with text (a block tag alone changes nothing)
            joined = _ends_in_block_tag(line)
    return "\n".join(out)


def _ends_in_block_tag(line: str) -> bool:
    return line.rstrip().endswith("%}")


def minify(text: str, suffix: str) -> str:
    if suffix == ".css":
        return rcssmin.cssmin(text)
    try:
        return minify_print(es5(text), obfuscate=True, obfuscate_globals=False)
    except (ECMASyntaxError, ECMARegexSyntaxError):  # newer syntax than ES5: still minified
        return rjsmin.jsmin(text)


@functools.cache
def _minifiers() -> str:
    return ",".join(f"{name}={version(name)}" for name in ("rcssmin", "rjsmin", "calmjs.parse"))


def minify_key(suffix: str, source: bytes) -> str:
    """The digest a minified file is kept under: its source and the minifiers' versions."""
    return hashlib.sha256(f"{suffix}\0{_minifiers()}\0".encode() + source).hexdigest()


def minified(path: Path, cache: Path, ahead: dict | None = None) -> bytes:
    """The minified bytes of the CSS or JavaScript file ``path``, kept in ``cache`` by the
    digest of its source (:func:`minify_key`): a rebuild of an unchanged theme parses no
    JavaScript again (calmjs.parse takes about half a second for the theme's scripts).
    ``ahead``: results being made by the build's workers, by key."""
    source = path.read_bytes()
    key = minify_key(path.suffix, source)
    kept = cache / f"{key}{path.suffix}"
    try:
        return kept.read_bytes()
    except FileNotFoundError:
        pass
    made = (ahead or {}).get(key)
    text = made.result() if made is not None else minify(source.decode("utf-8"), path.suffix)
    data = text.encode("utf-8")
    cache.mkdir(parents=True, exist_ok=True)
    replace(kept, data)
    return data


def svg_data_uri(svg: str) -> str:
    """An SVG as a compact ``data:`` URI (percent-encoded, not base64: it stays smaller)."""
    compact = re.sub(r"<!--.*?-->", "", " ".join(svg.split()))
    compact = re.sub(r">\s+<", "><", compact).replace('"', "'")
    # "#" must be encoded: in a URL it would start the fragment and cut the SVG short; a space
    # too: a URL may not contain one (the Nu HTML Checker reports every page otherwise).
    return "data:image/svg+xml," + quote(compact, safe="'/:=;,-.()")


def replace(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)  # a new inode: hard links to the source are left alone


def gzip_bytes(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as fp:
        fp.write(data)  # mtime=0 and no file name: identical bytes on every build
    return buffer.getvalue()


def precompress(output: Path, formats: tuple[str, ...]) -> None:
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in COMPRESSIBLE:
            continue
        data = path.read_bytes()
        for fmt in formats:
            packed = gzip_bytes(data) if fmt == "gz" else brotli.compress(data, quality=11)
            target = path.with_name(f"{path.name}.{fmt}")
            if len(packed) < len(data):
                replace(target, packed)
            else:
                target.unlink(missing_ok=True)
