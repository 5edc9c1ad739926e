"""Reads/s and votes/s of the reader service at 0, 10k, 100k and 1M stored votes, on SQLite and
PostgreSQL, with one and two instances, as ratios to a bare ASGI app in the same run.

    .venv/bin/python benchmarks/service_bench.py [--seconds 3] [--connections 16] [--no-write]
        [--databases sqlite,postgresql] [--levels 0,10000,100000,1000000] [--instances 1,2]

A run restricted by `--databases`, `--levels` or `--instances` (to compare two versions of the
service quickly) prints its table and leaves RESULTS.md alone.

Everything runs on loopback: a throwaway PostgreSQL cluster (tests/reader_service_support.py),
`python -m reader_service` processes, and a bare ASGI app that answers every request with a
fixed JSON document, served by the same uvicorn configuration (h11 and the slow-client
deadlines) so that the ratio is the cost of the service's own work. The client is one asyncio
process with `--connections` keep-alive connections, spread over the instances.

Votes are seeded straight into the database (one item gets them all: the worst case of the
issue) and the kept score is then rewritten from them; reads are `GET /scores/{that item}` and
`GET /scores`; votes are `POST /votes` from a new reader address each (X-Forwarded-For from
the loopback proxy), spread over 10 items. Each measurement is bounded by `--seconds` and by
`--max-requests`. Goals (issue 12): reads/s at 1M ≥ 0.8 × reads/s at 0; votes/s ≥ 0.2 × the
bare app. The table goes to benchmarks/RESULTS.md, section "Reader service".
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from build_bench import machine  # noqa: E402

from reader_service.backends import open_store  # noqa: E402
from tests.reader_service_support import SITE_ORIGIN, postgres_cluster  # noqa: E402

LEVELS = [0, 10_000, 100_000, 1_000_000]
HOT = "hot"
ITEMS = [HOT] + [f"item-{n}" for n in range(9)]
BARE_BODY = json.dumps({"item": HOT, "count": 0, "sum": 0}).encode()
SECTION = "## Reader service"


# --- the bare baseline ----------------------------------------------------------------------
async def bare_app(scope, receive, send) -> None:
    """Fixed JSON for every request (reads the body of a POST first, as a real app must)."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(BARE_BODY))]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": BARE_BODY})


def serve_bare() -> None:
    import uvicorn

    from reader_service.config import Settings
    from reader_service.server import uvicorn_config

    uvicorn.Server(uvicorn_config(bare_app, Settings(), port=0)).run()


# --- processes ------------------------------------------------------------------------------
class Process:
    """A server process; its port is read from uvicorn's "running on" line."""

    def __init__(self, command: list[str], env: dict):
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        log = []
        for line in self.process.stderr:
            log.append(line)
            found = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                break
        else:
            raise RuntimeError("a server did not start:\n" + "".join(log))
        # Keep reading (a full pipe would block it): the last lines explain errors, if any.
        self.log = collections.deque(log, maxlen=20)
        self.reader = threading.Thread(target=self.log.extend, args=(self.process.stderr,))
        self.reader.daemon = True
        self.reader.start()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def start_service(database: str, manifest: Path) -> Process:
    env = {
        "READER_SERVICE_DATABASE": database,
        "READER_SERVICE_SECRET": "bench-secret-0123456789",
        "READER_SERVICE_MANIFEST": str(manifest),
        "READER_SERVICE_SITE_ORIGIN": SITE_ORIGIN,
        "READER_SERVICE_TRUSTED_PROXIES": "127.0.0.1",
        "READER_SERVICE_RATE_LIMIT": "10000000",
        "READER_SERVICE_READ_RATE_LIMIT": "10000000",
        "READER_SERVICE_ACCESS_LOG": "false",  # the bare app logs nothing either
    }
    return Process([sys.executable, "-m", "reader_service", "--port", "0"], env)


# --- the load client ------------------------------------------------------------------------
class Load:
    """Keep-alive connections sending requests back to back for a bounded time and count."""

    def __init__(self, ports: list[int], connections: int, seconds: float, max_requests: int):
        self.ports, self.connections = ports, connections
        self.seconds, self.max_requests = seconds, max_requests
        self.statuses: dict[int, int] = {}
        self.sent = 0

    async def _connection(self, port: int, request_bytes, deadline: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline and self.sent < self.max_requests:
                self.sent += 1
                writer.write(request_bytes(self.sent))
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                await reader.readexactly(length)
                status = int(head[9:12])
                self.statuses[status] = self.statuses.get(status, 0) + 1
        finally:
            writer.close()

    def run(self, request_bytes) -> float:
        """Requests per second answered with 2xx."""

        async def main() -> float:
            started = time.monotonic()
            deadline = started + self.seconds
            await asyncio.gather(
                *(
                    self._connection(self.ports[n % len(self.ports)], request_bytes, deadline)
                    for n in range(self.connections)
                )
            )
            return time.monotonic() - started

        elapsed = asyncio.run(main())
        good = sum(count for status, count in self.statuses.items() if 200 <= status < 300)
        return good / elapsed


def get(path: str):
    data = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    return lambda number: data


VOTER = [0]  # a new reader address for every vote of the whole run


def post_vote(number: int) -> bytes:
    VOTER[0] += 1
    n = VOTER[0]
    body = json.dumps({"item": ITEMS[n % len(ITEMS)], "score": n % 5 + 1}).encode()
    address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
    return (
        f"POST /votes HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {SITE_ORIGIN}\r\n"
        f"Content-Type: application/json\r\nX-Forwarded-For: {address}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


# --- seeding --------------------------------------------------------------------------------
def seed(database: str, first: int, last: int) -> float:
    """Votes number first..last-1 on the hot item, straight into the table; seconds taken."""
    started = time.monotonic()
    now = int(time.time())
    rows = (  # cast within the last day: inside the retention, as a live site's votes are
        (HOT, n % 5 + 1, secrets.token_hex(16) + f"{n:016x}", now - n % 86400)
        for n in range(first, last)
    )
    sql = "INSERT INTO votes (item_id, score, voter_key, created_at, source) VALUES "
    if database.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(database) as connection, connection.cursor() as cur:
            copy_sql = "COPY votes (item_id, score, voter_key, created_at) FROM STDIN"
            with cur.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        import sqlite3

        with sqlite3.connect(database) as connection:
            connection.executemany(sql + "(?, ?, ?, ?, 'web')", rows)
        with sqlite3.connect(database) as connection:
            # A seeding transaction leaves a WAL a live site never has: fold it in now, or the
            # first votes measured would pay for copying it.
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store = open_store(database)
    try:
        with store.transaction() as cur:
            store.refresh_scores(cur, [HOT])
        assert store.score(HOT).count >= last
    finally:
        store.close()
    return time.monotonic() - started


# --- the run --------------------------------------------------------------------------------
KINDS = (("read", lambda: get(f"/scores/{HOT}")), ("snapshot", lambda: get("/scores")))


def rate(ports: list[int], make, args, errors: dict | None = None) -> float:
    load = Load(ports, args.connections, args.seconds, args.max_requests)
    figure = load.run(make)
    if errors is not None:
        for status, count in load.statuses.items():
            if not 200 <= status < 300:
                errors[status] = errors.get(status, 0) + count
    return figure


def measure(ports: list[int], bare_port: int, args) -> dict:
    """`--rounds` rounds of bare app, reads, snapshot and votes, back to back (the machine is
    shared: interleaving keeps a busy moment from favouring one side); medians."""
    samples: dict[str, list[float]] = {"bare": [], "read": [], "snapshot": [], "vote": []}
    errors: dict[int, int] = {}
    for _ in range(args.rounds):
        samples["bare"].append(rate([bare_port], get(f"/scores/{HOT}"), args))
        for name, make in KINDS:
            samples[name].append(rate(ports, make(), args, errors))
        samples["vote"].append(rate(ports, post_vote, args, errors))
    figures = {name: statistics.median(values) for name, values in samples.items()}
    if errors:
        figures["errors"] = errors
    return figures


def run(args) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp, postgres_cluster() as pg:
        manifest = Path(tmp) / "manifest.json"
        items = [{"id": i, "title": i, "url": f"/{i}/"} for i in ITEMS]
        manifest.write_text(json.dumps({"items": items}))
        bare = Process([sys.executable, __file__, "--serve-bare"], {})
        try:
            databases = {"sqlite": ("SQLite", str(Path(tmp) / "bench.sqlite3"))}
            databases["postgresql"] = ("PostgreSQL", pg)
            for kind, database in (databases[name] for name in args.databases):
                open_store(database).close()
                seeded = 0
                for level in args.levels:
                    seconds = seed(database, seeded, level) if level > seeded else 0.0
                    seeded = max(seeded, level)
                    for instances in args.instances:
                        servers = [start_service(database, manifest) for _ in range(instances)]
                        try:
                            figures = measure([s.port for s in servers], bare.port, args)
                        finally:
                            for server in servers:
                                server.stop()
                        if "errors" in figures:  # say why
                            print("".join(servers[0].log), file=sys.stderr)
                        row = {"database": kind, "votes": level, "instances": instances}
                        row.update(figures, seed_seconds=seconds)
                        results.append(row)
                        print(_line(row), flush=True)
        finally:
            bare.stop()
    return results


def _line(row: dict) -> str:
    text = (
        f"{row['database']:10} {row['votes']:>9,} votes  {row['instances']} instance(s): "
        f"reads {row['read']:6.0f}/s ({row['read'] / row['bare']:.2f}×bare), "
        f"snapshot {row['snapshot']:6.0f}/s, votes {row['vote']:6.0f}/s "
        f"({row['vote'] / row['bare']:.2f}×bare); bare {row['bare']:.0f}/s"
    )
    return text + (f"; not 2xx: {row['errors']}" if "errors" in row else "")


def table(results: list[dict], args) -> str:
    lines = [
        "| database | votes stored | instances | reads/s `GET /scores/{id}` | × bare "
        "| reads vs 0 votes (raw; per bare) | `GET /scores`/s | votes/s | × bare |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    zero = {(r["database"], r["instances"]): r for r in results if r["votes"] == 0}
    for r in results:
        z = zero.get((r["database"], r["instances"]), r)  # a run without 0 votes: itself
        per_bare = (r["read"] / r["bare"]) / (z["read"] / z["bare"])
        lines.append(
            f"| {r['database']} | {r['votes']:,} | {r['instances']} | {r['read']:.0f} | "
            f"{r['read'] / r['bare']:.2f} | {r['read'] / z['read']:.2f}; {per_bare:.2f} | "
            f"{r['snapshot']:.0f} | {r['vote']:.0f} | {r['vote'] / r['bare']:.2f} |"
        )
    bare = [r["bare"] for r in results]
    seeding = {r["database"]: r["seed_seconds"] for r in results if r["votes"] == LEVELS[-1]}
    seeded = (
        "Seeding the last 900,000 votes straight into the database took "
        + ", ".join(f"{k} {v:.0f} s" for k, v in seeding.items())
        + ". "
        if seeding
        else ""
    )
    return (
        f"{SECTION}\n\nMeasured by `benchmarks/service_bench.py --seconds {args.seconds:g} "
        f"--rounds {args.rounds} --connections {args.connections}` on {machine()}; the "
        f"client, the servers and other work on this shared machine share the cores.\n\n"
        + "\n".join(lines)
        + "\n\nEvery figure is the median of "
        f"{args.rounds} rounds; a round measures the bare ASGI app (fixed JSON, same uvicorn "
        f"configuration), then reads, snapshot reads and votes, {args.seconds:g} s each, back "
        f"to back, and each ratio divides by the bare figure of its own row (the bare app "
        f"answered {min(bare):.0f}–{max(bare):.0f} requests/s over the run). Votes are new "
        f"readers' votes spread over 10 items; reads are of the item holding all stored votes. "
        + seeded
        + "Goals (issue 12): reads/s at 1M ≥ 0.8 × reads/s at 0; votes/s ≥ 0.2 × the bare "
        "app.\n"
    )


def write_results(text: str) -> None:
    path = ROOT / "benchmarks" / "RESULTS.md"
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECTION in previous:
        before, _, after = previous.partition(SECTION)
        rest = after.find("\n## ")
        previous = before.rstrip() + "\n\n" + text + (after[rest:] if rest >= 0 else "")
    else:
        previous = previous.rstrip() + "\n\n" + text
    path.write_text(previous, encoding="utf-8")


def choices(*allowed: str):
    def parse(text: str) -> list[str]:
        names = [name.strip().lower() for name in text.split(",") if name.strip()]
        if not names or set(names) - set(allowed):
            raise argparse.ArgumentTypeError(f"give some of {', '.join(allowed)}")
        return names

    return parse


def numbers(text: str) -> list[int]:
    try:
        values = sorted({int(value.replace("_", "")) for value in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError("give whole numbers, comma-separated") from None
    if not values or values[0] < 0:
        raise argparse.ArgumentTypeError("give whole numbers ≥ 0, comma-separated")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements per figure")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=200_000, help="per measurement")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    parser.add_argument(
        "--databases",
        type=choices("sqlite", "postgresql"),
        default=["sqlite", "postgresql"],
        help="comma-separated (default both)",
    )
    parser.add_argument(
        "--levels", type=numbers, default=LEVELS, help="stored votes, comma-separated"
    )
    parser.add_argument(
        "--instances", type=numbers, default=[1, 2], help="comma-separated (default 1,2)"
    )
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    partial = (args.databases, args.levels, args.instances) != (
        ["sqlite", "postgresql"],
        LEVELS,
        [1, 2],
    )
    if args.serve_bare:
        serve_bare()
        return
    # A stopped run still stops its servers and its PostgreSQL cluster (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    results = run(args)
    text = table(results, args)
    print("\n" + text)
    if not args.no_write and not partial:
        write_results(text)
        print("written to benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
