"""A static file server for previewing the built site, as a real web host would serve it.

Unlike ``python -m http.server`` (and Pelican's ``--listen``) it answers HTTP Range requests,
which browsers need to seek in audio (chapter links, scrubbing), serves ``404.html`` with
status 404, and sends the MIME types podcast files need. Development only: it binds to
loopback by default and sends ``Cache-Control: no-cache`` so every rebuild shows at once.

    python -m schitter.devserver output --port 8000
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import re
import shutil
import threading
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


class SiteRequestHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **EXTRA_TYPES}
    quiet = False

    def guess_type(self, path):
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
        size = path.stat().st_size
        match = RANGE.match(self.headers.get("Range", "").strip())
        start, end = 0, size - 1
        if match and (match.group(1) or match.group(2)):
            if match.group(1):
                start = int(match.group(1))
                end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
            else:  # "bytes=-N": the last N bytes
                start = max(size - int(match.group(2)), 0)
            if start > end or start >= size:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            self.send_response(HTTPStatus.PARTIAL_CONTENT)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(HTTPStatus.OK)
        stream = path.open("rb")
        stream.seek(start)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        self._remaining = end - start + 1
        return stream

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
