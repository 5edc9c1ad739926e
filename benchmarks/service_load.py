"""Load and kill run of the ratings service, on loopback only, bounded in size and time.

    .venv/bin/python benchmarks/service_load.py [--clients 200] [--items 25] [--postgres URL]

Starts `python -m reader_service` as its own process (SQLite in a temporary folder, or the
PostgreSQL database you give), lets many concurrent simulated readers (each with its own
address, passed through X-Forwarded-For from a trusted loopback proxy) vote on every item,
kills the service with SIGKILL halfway, restarts it on the same port, and lets the readers
finish: a reader whose request got no answer asks again; 201 (stored now) and 409 (already
stored before the kill) both mean the vote is in. Then it checks that the store holds exactly
the intended votes (count and sum per item) and prints the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader_service.backends import open_store  # noqa: E402
from tests.reader_service_support import SITE_ORIGIN, ServiceProcess, reset_postgres  # noqa: E402


@dataclass
class Outcome:
    created: int = 0  # answered 201
    already: int = 0  # answered 409 after a retry: stored before the kill
    retries: int = 0
    unexpected: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def intended_score(client: int, item: int) -> int:
    return (client * 7 + item * 3) % 5 + 1


def _post(port: int, body: bytes, forwarded: str) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(
            "POST",
            "/votes",
            body=body,
            headers={
                "Content-Type": "application/json",
                "Origin": SITE_ORIGIN,
                "X-Forwarded-For": forwarded,
                "User-Agent": "ratings-load",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None  # no (complete) answer, the service was killed: not acknowledged
    finally:
        connection.close()


def _reader(client: int, items: list[str], port_of, outcome: Outcome, deadline: float) -> None:
    forwarded = f"10.{client // 250}.{client % 250}.1"  # one /24 per reader
    for number, item in enumerate(items):
        body = json.dumps({"item": item, "score": intended_score(client, number)}).encode()
        retried = False
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError("the load run took too long")
            status = _post(port_of(), body, forwarded)
            if status in (201, 409):
                with outcome.lock:
                    if status == 201:
                        outcome.created += 1
                    elif retried:
                        outcome.already += 1
                    else:
                        outcome.unexpected[status] += 1
                break
            if status is not None:
                with outcome.lock:
                    outcome.unexpected[status] += 1
                break
            retried = True
            with outcome.lock:
                outcome.retries += 1
            time.sleep(0.05)


def run_load(
    workdir: Path,
    clients: int,
    item_count: int,
    database: str | None = None,
    kill: bool = True,
    workers: int = 32,
    time_limit: float = 300,
) -> dict:
    """Run the load (and kill) and return the figures; raises AssertionError on any loss."""
    items = [f"item-{n:03d}" for n in range(item_count)]
    manifest = workdir / "manifest.json"
    manifest.write_text(
        json.dumps({"items": [{"id": i, "title": i, "url": f"/{i}/"} for i in items]})
    )
    database = database or str(workdir / "ratings.sqlite3")
    if database.startswith("postgresql://"):
        reset_postgres(database)
    env = {
        "READER_SERVICE_DATABASE": database,
        "READER_SERVICE_SECRET": "load-test-secret-0123456789",
        "READER_SERVICE_MANIFEST": str(manifest),
        "READER_SERVICE_SITE_ORIGIN": SITE_ORIGIN,
        "READER_SERVICE_TRUSTED_PROXIES": "127.0.0.1",
        "READER_SERVICE_RATE_LIMIT": str(item_count * 2),
    }
    service = ServiceProcess(env)
    outcome = Outcome()
    total = clients * item_count
    deadline = time.monotonic() + time_limit
    killed_at = None

    def killer():
        nonlocal killed_at
        while outcome.created < total // 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        killed_at = outcome.created
        service.kill()
        time.sleep(0.3)  # readers meet a closed port for a moment
        service.start()

    started = time.monotonic()
    try:
        kill_thread = threading.Thread(target=killer, daemon=True) if kill else None
        if kill_thread:
            kill_thread.start()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_reader, c, items, lambda: service.port, outcome, deadline)
                for c in range(clients)
            ]
            for future in futures:
                future.result()
        if kill_thread:
            kill_thread.join(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        service.stop()

    store = open_store(database)
    try:
        scores = store.scores()
    finally:
        store.close()
    assert not outcome.unexpected, f"unexpected answers: {dict(outcome.unexpected)}"
    assert outcome.created + outcome.already == total, (outcome.created, outcome.already, total)
    for number, item in enumerate(items):
        expected = [intended_score(c, number) for c in range(clients)]
        got = scores.get(item)
        assert got is not None, f"{item}: no votes stored"
        assert (got.count, got.total) == (len(expected), sum(expected)), (
            f"{item}: stored {got.count} votes / sum {got.total}, "
            f"acknowledged {len(expected)} / {sum(expected)}"
        )
    return {
        "votes": total,
        "acknowledged_201": outcome.created,
        "stored_before_kill_409": outcome.already,
        "retries": outcome.retries,
        "killed_after": killed_at,
        "seconds": round(elapsed, 2),
        "votes_per_second": round(total / elapsed, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--items", type=int, default=25)
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--postgres", help="a postgresql:// URL of a throwaway database")
    parser.add_argument("--no-kill", action="store_true")
    args = parser.parse_args()
    if args.clients * args.items > 20000:
        parser.error("bounded run: at most 20000 votes")
    with tempfile.TemporaryDirectory() as folder:
        figures = run_load(
            Path(folder),
            args.clients,
            args.items,
            database=args.postgres,
            kill=not args.no_kill,
            workers=args.workers,
        )
    for key, value in figures.items():
        print(f"{key:24} {value}")
    print("every acknowledged vote is stored; counts and sums are exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
