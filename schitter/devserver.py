"""A static file server for previewing the built site, as a real web host would serve it.

Unlike ``python -m http.server`` (and Pelican's ``--listen``) it answers HTTP Range requests,
which browsers need to seek in audio (chapter links, scrubbing), serves ``404.html`` with
status 404, and sends the MIME types podcast files need (``chapters.json`` as
``application/json+chapters``). Development only: it binds to loopback by default and sends
``Cache-Control: no-cache`` so every rebuild shows at once.

Podcast apps and browsers revalidate what they fetched, so the server answers as RFC 9110 asks:
an ``ETag`` and ``Last-Modified`` on every file, ``304 Not Modified`` for a matching
``If-None-Match`` (or, without it, ``If-Modified-Since``), and a ``Range`` is honoured only for
``GET``, only when it is valid (``bytes=500-100`` is ignored: the whole file), and only while an
``If-Range`` validator still matches (a stale one gets the whole new file, not a piece of it).

    python -m schitter.devserver output --port 8000
"""

from __future__ import annotations

import argparse
import email.utils
import json
import mimetypes
import os
import re
import shutil
import threading
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, unquote

EXTRA_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/x-m4a",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".xml": "application/xml",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
    ".css": "text/css",
}
RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
CHAPTERS_TYPE = "application/json+chapters"  # Podcast Index JSON chapters
UNSATISFIABLE = (-1, -1)


@dataclass(frozen=True)
class Validators:
    etag: str  # strong: changes with every write (size and modification time in ns)
    last_modified: str  # HTTP date, whole seconds


def entity_tag(stat: os.stat_result) -> str:
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'


def _etags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def _http_date(value: str) -> int | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return int(parsed.timestamp()) if parsed.tzinfo is not None else None


def not_modified(headers, validators: Validators, mtime: int) -> bool:
    """Whether the client's copy is current (RFC 9110 13.2.2: If-None-Match wins)."""
    none_match = headers.get("If-None-Match")
    if none_match is not None:
        tags = _etags(none_match)
        weak = {tag.removeprefix("W/") for tag in tags}  # weak comparison for GET/HEAD
        return "*" in tags or validators.etag in weak
    since = _http_date(headers.get("If-Modified-Since", ""))
    return since is not None and mtime <= since


def if_range_holds(headers, validators: Validators) -> bool:
    """If-Range: a range is sent only while the validator is the current one (strong match)."""
    value = headers.get("If-Range")
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == validators.etag
    return value == validators.last_modified


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte of a valid single range; None to ignore the header (send it
    all); UNSATISFIABLE when it is valid but starts past the end."""
    match = RANGE.match(header.strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if first:
        start = int(first)
        if last and int(last) < start:
            return None  # invalid syntax (RFC 9110 14.1.1): ignored, not an error
        if start >= size:
            return UNSATISFIABLE
        return start, min(int(last), size - 1) if last else size - 1
    if int(last) == 0:  # "bytes=-0": no bytes at all
        return UNSATISFIABLE
    return max(size - int(last), 0), size - 1


class SiteRequestHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}
    quiet = False

    def guess_type(self, path):
        if Path(str(path)).name.lower().endswith("chapters.json"):
            return CHAPTERS_TYPE
        suffix = Path(str(path)).suffix.lower()
        if suffix in EXTRA_TYPES:
            return EXTRA_TYPES[suffix]
        return mimetypes.guess_type(str(path))[0] or "application/octet-stream"

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not self.path.split("?", 1)[0].endswith("/"):
            return super().send_head()  # the standard redirect to "dir/"
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return self._send_not_found()
        stat = path.stat()
        size = stat.st_size
        validators = Validators(entity_tag(stat), self.date_time_string(int(stat.st_mtime)))
        if not_modified(self.headers, validators, int(stat.st_mtime)):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._send_validators(validators)
            self.end_headers()
            return None
        # Range handling is defined for GET only (RFC 9110 14.2): HEAD and others get it all.
        wanted = byte_range(self.headers.get("Range", ""), size) if self.command == "GET" else None
        if wanted is not None and not if_range_holds(self.headers, validators):
            wanted = None  # the client's copy is stale: send the whole new representation
        if wanted == UNSATISFIABLE:
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        start, end = wanted if wanted is not None else (0, size - 1)
        if wanted is not None:
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(HTTPStatus.OK)
        stream = path.open("rb")
        stream.seek(start)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(max(end - start + 1, 0)))
        self.send_header("Accept-Ranges", "bytes")
        self._send_validators(validators)
        self.end_headers()
        self._remaining = max(end - start + 1, 0)
        return stream

    def _send_validators(self, validators: Validators) -> None:
        self.send_header("ETag", validators.etag)
        self.send_header("Last-Modified", validators.last_modified)

    def copyfile(self, source, outputfile):
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            return shutil.copyfileobj(source, outputfile)
        while remaining > 0:
            chunk = source.read(min(64 * 1024, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)
        return None

    def _send_not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"<h1>404</h1>"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)

    # Old WordPress addresses with a query string (/?p=123): a static page cannot answer
    # them, the web server does (the nginx/Caddy snippets the redirects plugin writes next to
    # the site). This server answers them from the same map, so `invoke check-redirects`
    # checks the development site as the real host will serve it.
    def do_GET(self):
        if not self._send_query_redirect():
            super().do_GET()

    def do_HEAD(self):
        if not self._send_query_redirect():
            super().do_HEAD()

    def _send_query_redirect(self) -> bool:
        target = query_redirect(Path(self.directory), self.path)
        if target is None:
            return False
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return True


REDIRECT_MAP = "redirects/map.json"  # written by plugins/redirects


def query_redirect(root: Path, request_path: str) -> str | None:
    """The new address for an old ``/path?key=value`` address, as the server snippets answer
    it: the first of the map's query keys that the request carries decides."""
    if "?" not in request_path:
        return None
    path, query = request_path.split("?", 1)
    try:
        queries = json.loads((root / REDIRECT_MAP).read_text(encoding="utf-8"))["queries"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    by_key = queries.get(unquote(path)) or {}
    arguments = dict(parse_qsl(query, keep_blank_values=True))
    for key, targets in by_key.items():
        if key in arguments and arguments[key] in targets:
            return targets[arguments[key]]
    return None


def make_server(
    root: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False
) -> ThreadingHTTPServer:
    """A server for ``root`` (not yet serving); port 0 picks a free port."""
    handler = partial(type("Handler", (SiteRequestHandler,), {"quiet": quiet}), directory=str(root))
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve_in_background(root, host: str = "127.0.0.1", port: int = 0, quiet: bool = True):
    """Start serving ``root`` in a thread; returns the server (its URL: ``url_of(server)``)."""
    server = make_server(root, host, port, quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default="output", help="folder to serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--quiet", action="store_true", help="no request log")
    args = parser.parse_args(argv)
    Path(args.root).mkdir(parents=True, exist_ok=True)
    server = make_server(args.root, args.host, args.port, args.quiet)
    print(f"Serving {args.root}/ on {url_of(server)}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
