"""No vote is lost: concurrent readers on loopback, `kill -9` of the service mid-load, restart.

A modest count here; `benchmarks/service_load.py` runs the full load.
"""

from __future__ import annotations

from benchmarks.service_load import run_load


def test_every_acknowledged_vote_survives_kill_9_on_sqlite(tmp_path):
    figures = run_load(tmp_path, clients=24, item_count=10, workers=16, time_limit=120)
    assert figures["votes"] == 240
    assert figures["killed_after"] is not None and figures["killed_after"] >= 120


def test_every_acknowledged_vote_survives_kill_9_on_postgresql(tmp_path, postgres_url):
    figures = run_load(
        tmp_path, clients=24, item_count=10, database=postgres_url, workers=16, time_limit=120
    )
    assert figures["votes"] == 240 and figures["killed_after"] is not None
