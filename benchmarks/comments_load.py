"""A burst of comments and `kill -9` of the reader service in the middle of it; no comment that
was acknowledged is lost. Loopback only, bounded in size and time.

    .venv/bin/python benchmarks/comments_load.py [--readers 100] [--comments 5] [--postgres URL]

Starts `python -m reader_service` as its own process, lets concurrent readers (each its own
network, through X-Forwarded-For from a trusted loopback proxy) post comments as plain forms
(the question answered), kills the service with SIGKILL when half are acknowledged, restarts it
on the same port and lets the readers finish. An acknowledged comment is a 303 to
#reactie-ontvangen; a post without an answer is sent again (it may then be stored twice, which
moderation sees; it is never lost). Then every acknowledged comment must be in the store.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader_service import comments_store  # noqa: E402
from reader_service.backends import open_store  # noqa: E402
from reader_service.comments import current_period, question  # noqa: E402
from tests.reader_service_support import SITE_ORIGIN, ServiceProcess, reset_postgres  # noqa: E402

SECRET = "comments-load-secret-0123456789"


def _post(port: int, body: bytes, forwarded: str) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request(
            "POST",
            "/comments",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": SITE_ORIGIN,
                "X-Forwarded-For": forwarded,
            },
        )
        response = connection.getresponse()
        response.read()
        if response.status == 303 and response.getheader("location", "").endswith(
            "#reactie-ontvangen"
        ):
            return 303
        return response.status
    except (OSError, http.client.HTTPException):
        return None  # no (complete) answer: not acknowledged
    finally:
        connection.close()


def run_burst(
    workdir: Path,
    readers: int,
    per_reader: int,
    database: str | None = None,
    workers: int = 32,
    time_limit: float = 300,
) -> dict:
    """Post, kill, restart, finish; raises AssertionError when an acknowledged comment is lost."""
    manifest = workdir / "comments-manifest.json"
    manifest.write_text(json.dumps({"items": [{"id": "welkom", "title": "W", "url": "/w/"}]}))
    database = database or str(workdir / "comments.sqlite3")
    if database.startswith("postgresql://"):
        reset_postgres(database)
    env = {
        "READER_SERVICE_DATABASE": database,
        "READER_SERVICE_SECRET": SECRET,
        "READER_SERVICE_MANIFEST": str(manifest),
        "READER_SERVICE_COMMENTS_MANIFEST": str(manifest),
        "READER_SERVICE_SITE_ORIGIN": SITE_ORIGIN,
        "READER_SERVICE_TRUSTED_PROXIES": "127.0.0.1",
        "READER_SERVICE_COMMENT_RATE_LIMIT": str(per_reader * 3),
    }
    service = ServiceProcess(env)
    asked = question(SECRET.encode(), current_period(time.time()))
    acknowledged: set[str] = set()
    lock = threading.Lock()
    retries = 0
    total = readers * per_reader
    deadline = time.monotonic() + time_limit
    killed_at = None

    def reader(number: int) -> None:
        nonlocal retries
        forwarded = f"10.{number // 250}.{number % 250}.1"
        for count in range(per_reader):
            text = f"reactie {count} van lezer {number}"
            body = urlencode(
                {
                    "item": "welkom",
                    "name": f"Lezer {number}",
                    "body": text,
                    "period": asked.period,
                    "answer": asked.answer,
                }
            ).encode()
            while True:
                assert time.monotonic() < deadline, "the burst took too long"
                status = _post(service.port, body, forwarded)
                if status == 303:
                    with lock:
                        acknowledged.add(text)
                    break
                assert status is None, f"unexpected answer {status}"
                with lock:
                    retries += 1
                time.sleep(0.05)

    def killer() -> None:
        nonlocal killed_at
        while len(acknowledged) < total // 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        killed_at = len(acknowledged)
        service.kill()
        time.sleep(0.3)
        service.start()

    started = time.monotonic()
    try:
        kill_thread = threading.Thread(target=killer, daemon=True)
        kill_thread.start()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for future in [pool.submit(reader, n) for n in range(readers)]:
                future.result()
        kill_thread.join(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        service.stop()
    store = open_store(database)
    try:
        stored = [c.body for c in comments_store.listing(store)]
    finally:
        store.close()
    lost = acknowledged - set(stored)
    assert not lost, f"{len(lost)} acknowledged comment(s) lost, e.g. {sorted(lost)[:3]}"
    assert len(acknowledged) == total
    return {
        "comments": total,
        "stored": len(stored),
        "stored_twice_after_a_retry": len(stored) - len(set(stored)),
        "retries": retries,
        "killed_after": killed_at,
        "seconds": round(elapsed, 2),
        "comments_per_second": round(total / elapsed, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--comments", type=int, default=5, help="per reader")
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--postgres", help="a postgresql:// URL of a throwaway database")
    args = parser.parse_args()
    if args.readers * args.comments > 20000:
        parser.error("bounded run: at most 20000 comments")
    with tempfile.TemporaryDirectory() as folder:
        figures = run_burst(
            Path(folder), args.readers, args.comments, args.postgres, workers=args.workers
        )
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
