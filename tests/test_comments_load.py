"""No acknowledged comment is lost when the service is killed with `kill -9` during a burst of
posts (SQLite and PostgreSQL); 1,000 comments on one article come live in one request.

A modest burst here; `benchmarks/comments_load.py` runs a bigger one.
"""

from __future__ import annotations

import time

from benchmarks.comments_load import run_burst
from reader_service import comments_store
from tests.comments_support import comment_services
from tests.reader_service_support import request


def test_no_acknowledged_comment_is_lost_on_kill_9_sqlite(tmp_path):
    figures = run_burst(tmp_path, readers=24, per_reader=5, workers=16, time_limit=120)
    assert figures["comments"] == 120 and figures["killed_after"] >= 60


def test_no_acknowledged_comment_is_lost_on_kill_9_postgresql(tmp_path, postgres_url):
    figures = run_burst(
        tmp_path, readers=24, per_reader=5, database=postgres_url, workers=16, time_limit=120
    )
    assert figures["comments"] == 120 and figures["killed_after"] is not None


def test_a_thousand_comments_come_live_in_one_request(tmp_path):
    with comment_services(tmp_path, ["welkom"]) as start:
        service = start()
        now = int(time.time())
        with service.store.transaction() as cur:
            cur.executemany(
                "INSERT INTO comments (item_id, status, name, body, html, created_at, "
                "approved_at) VALUES ('welkom', 'approved', ?, ?, ?, ?, ?)",
                [
                    (f"Lezer {n}", f"Reactie {n}", f"<p>Reactie {n}</p>", now + n, now + n)
                    for n in range(1000)
                ],
            )
        started = time.perf_counter()
        status, _, live = request("GET", f"{service.url}/comments/welkom")
        elapsed = time.perf_counter() - started
        assert status == 200 and len(live["comments"]) == 1000
        assert [c["name"] for c in live["comments"][:2]] == ["Lezer 0", "Lezer 1"]
        print(f"1,000 comments in one live request: {elapsed * 1000:.0f} ms")
        assert comments_store.count(service.store) == 1000
