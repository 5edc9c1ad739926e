"""Personal course feeds under polling: requests/s of ``GET /course/<token>/feed.xml`` with
10,000 subscribers, as ratios to the same course's static feed file served in the same run.

    .venv/bin/python benchmarks/course_bench.py [--subscribers 10000] [--seconds 3]

Everything runs on loopback: a generated four-lesson course (tests/course_site.py) built by
Pelican, a ``python -m reader_service`` process on SQLite with the subscribers seeded straight
into its store (signed up over the last 30 days), and the baseline: the public ``feed.xml``
served by uvicorn (Starlette's StaticFiles, the same server configuration as the service), so
the ratio is the cost of the personal feed itself. The client is one asyncio process with
``--connections`` keep-alive connections, each request for a random subscriber; bounded by
``--seconds`` and ``--max-requests`` per measurement. Measured:

- 200: a full personal feed (an app's first fetch, or a changed feed);
- 304: the same with ``If-None-Match`` (an app polling hourly, nothing new);
- 404: an unknown token, and the median time of a known vs an unknown token, one request at a
  time (a timing difference would tell an attacker which tokens exist).

The table goes to benchmarks/RESULTS.md, section "Course feeds".
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from build_bench import machine  # noqa: E402
from service_bench import Process  # noqa: E402

from reader_service import course_store  # noqa: E402
from reader_service.backends import open_store  # noqa: E402
from tests.course_site import COURSE, make_course_site  # noqa: E402
from tests.reader_service_support import SITE_ORIGIN, write_manifest  # noqa: E402
from tests.sitecheck import build  # noqa: E402

SECRET = "bench-course-secret-0123456789"
SECTION = "## Course feeds"
DAY = 86400


def serve_static(folder: str) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    from reader_service.config import Settings
    from reader_service.server import uvicorn_config

    app = Starlette(routes=[Mount("/", StaticFiles(directory=folder))])
    uvicorn.Server(uvicorn_config(app, Settings(access_log=False), port=0)).run()


class Load:
    """Keep-alive connections sending requests back to back; counts answers by status."""

    def __init__(self, port: int, connections: int, seconds: float, max_requests: int):
        self.port, self.connections = port, connections
        self.seconds, self.max_requests = seconds, max_requests
        self.statuses: dict[int, int] = {}
        self.sent = 0

    async def _connection(self, make, deadline: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            while time.monotonic() < deadline and self.sent < self.max_requests:
                self.sent += 1
                writer.write(make())
                head = await reader.readuntil(b"\r\n\r\n")
                found = re.search(rb"(?i)content-length: *(\d+)", head)
                await reader.readexactly(int(found.group(1)) if found else 0)
                status = int(head[9:12])
                self.statuses[status] = self.statuses.get(status, 0) + 1
        finally:
            writer.close()

    def run(self, make, want: int) -> float:
        async def main() -> float:
            started = time.monotonic()
            deadline = started + self.seconds
            await asyncio.gather(
                *(self._connection(make, deadline) for _ in range(self.connections))
            )
            return time.monotonic() - started

        elapsed = asyncio.run(main())
        wrong = {s: n for s, n in self.statuses.items() if s != want}
        if wrong:
            raise RuntimeError(f"expected only {want}, got {self.statuses}")
        return self.statuses.get(want, 0) / elapsed


def request(path: str, extra: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()


def seed(database: str, count: int, now: int) -> list[str]:
    """``count`` subscribers signed up over the last 30 days; their tokens."""
    store = open_store(database)
    tokens = [course_store.new_token() for _ in range(count)]
    with store.transaction() as cur:
        cur.executemany(
            "INSERT INTO course_subscribers (token_key, show, signed_up) VALUES (?, ?, ?)",
            [
                (course_store.token_key(SECRET.encode(), t), COURSE, now - (n % 30) * DAY)
                for n, t in enumerate(tokens)
            ],
        )
    store.close()
    return tokens


def etags(port: int, tokens: list[str]) -> dict[str, str]:
    import http.client

    found = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for token in tokens:
        connection.request("GET", f"/course/{token}/feed.xml")
        response = connection.getresponse()
        response.read()
        found[token] = response.getheader("etag")
    connection.close()
    return found


def latencies(port: int, kinds: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Median seconds of one request at a time (keep-alive), the kinds interleaved so that the
    machine's load hits each kind alike."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for n in range(rounds):
        for kind, paths in kinds.items():
            started = time.perf_counter()
            connection.request("GET", paths[n % len(paths)])
            connection.getresponse().read()
            times[kind].append(time.perf_counter() - started)
    connection.close()
    return {kind: statistics.median(values) for kind, values in times.items()}


def near_miss(token: str) -> str:
    """A token that differs from a real one in its last character only."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def run(args) -> str:
    with tempfile.TemporaryDirectory(prefix="schitter-course-bench-") as tmp:
        root = Path(tmp)
        content, overrides = make_course_site(root, service_url="http://127.0.0.1:8001")
        output = build(root / "output", content=content, overrides=overrides)
        database = str(root / "reader.sqlite3")
        now = int(time.time())
        tokens = seed(database, args.subscribers, now)
        env = {
            "READER_SERVICE_DATABASE": database,
            "READER_SERVICE_SECRET": SECRET,
            "READER_SERVICE_MANIFEST": str(write_manifest(root / "manifest.json", [])),
            "READER_SERVICE_SITE_ORIGIN": SITE_ORIGIN,
            "READER_SERVICE_COURSES": str(output / "podcast"),
            "READER_SERVICE_READ_RATE_LIMIT": "10000000",
            "READER_SERVICE_ACCESS_LOG": "false",
        }
        service = Process([sys.executable, "-m", "reader_service", "--port", "0"], env)
        static = Process([sys.executable, __file__, "--serve-static", str(output)], {})
        try:
            polled = random.sample(tokens, min(2000, len(tokens)))
            tags = etags(service.port, polled)

            def load(port, make, want) -> float:
                return Load(port, args.connections, args.seconds, args.max_requests).run(make, want)

            feed = f"/podcast/{COURSE}/feed.xml"
            size = (output / feed.lstrip("/")).stat().st_size
            figures = {
                "static": load(static.port, lambda: request(feed), 200),
                "full": load(
                    service.port,
                    lambda: request(f"/course/{random.choice(tokens)}/feed.xml"),
                    200,
                ),
            }

            def conditional() -> bytes:
                token = random.choice(polled)
                return request(f"/course/{token}/feed.xml", f"If-None-Match: {tags[token]}\r\n")

            figures["304"] = load(service.port, conditional, 304)
            figures["404"] = load(
                service.port, lambda: request(f"/course/{course_store.new_token()}/feed.xml"), 404
            )
            timing = latencies(
                service.port,
                {
                    "random": [f"/course/{course_store.new_token()}/feed.xml" for _ in range(500)],
                    "near": [f"/course/{near_miss(t)}/feed.xml" for t in polled[:500]],
                    "known": [f"/course/{t}/feed.xml" for t in polled[:500]],
                },
                args.rounds,
            )
        finally:
            service.stop()
            static.stop()
    base = figures["static"]
    rows = [
        ("static feed.xml (uvicorn StaticFiles)", base),
        ("personal feed, 200 (full)", figures["full"]),
        ("personal feed, 304 (If-None-Match)", figures["304"]),
        ("unknown token, 404", figures["404"]),
    ]
    lines = [
        SECTION,
        "",
        f"`benchmarks/course_bench.py` — {args.subscribers:,} subscribers, SQLite, "
        f"{args.connections} connections, {args.seconds:g} s per figure; the public feed is "
        f"{size:,} bytes. {machine()}",
        "",
        "| request | requests/s | × static file |",
        "|---|---:|---:|",
        *(f"| {name} | {rate:,.0f} | {rate / base:.2f} |" for name, rate in rows),
        "",
        f"Median time of one request ({args.rounds} of each, interleaved): an unknown random "
        f"token (404) {timing['random'] * 1e3:.3f} ms; a token one character off a real one "
        f"(404) {timing['near'] * 1e3:.3f} ms (difference "
        f"{(timing['near'] - timing['random']) * 1e6:+.0f} µs); a real token (200, the feed "
        f"built) {timing['known'] * 1e3:.3f} ms. The lookup is by the token's HMAC (one "
        "primary-key probe), never a comparison of the token itself, so how close a guess "
        "is shows in no timing.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=1000, help="timed requests per kind")
    parser.add_argument("--serve-static", help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if args.serve_static:
        serve_static(args.serve_static)
        return
    text = run(args)
    print(text)
    if not args.no_write:
        _write(text)


def _write(text: str) -> None:
    path = ROOT / "benchmarks" / "RESULTS.md"
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION in previous:
        before, _, after = previous.partition(SECTION)
        rest = after.find("\n## ")
        previous = before.rstrip() + "\n\n" + text + (after[rest:] if rest >= 0 else "")
    else:
        previous = previous.rstrip() + "\n\n" + text
    path.write_text(previous, encoding="utf-8")


if __name__ == "__main__":
    main()
