"""Issue 12, findings 1, 2 and 9 (user agents): scores kept rather than recounted, a store of the
ratings service 1.0 migrated, rate limits for reads too, bounded and shared across instances,
and one address with many user agents — against real services on loopback, SQLite and
PostgreSQL. (How fast a read is at 1M votes is measured in benchmarks/service_bench.py.)"""

from __future__ import annotations

import io
import sqlite3

import pytest

from reader_service import admin
from reader_service.backends import open_store
from reader_service.limits import Limit, MemoryCounters, RateLimits
from reader_service.migrations import LATEST
from tests.reader_service_support import (
    request,
    reset_postgres,
    services_started,
    vote,
)

IDS = ["welkom", "les-1"]


@pytest.fixture
def start(tmp_path, database):
    with services_started(tmp_path, IDS, database) as start:
        yield start


def insert_behind_the_stores_back(database: str, rows: list[tuple]) -> None:
    """Votes written straight into the votes table, as no service ever would."""
    sql = "INSERT INTO votes (item_id, score, voter_key, created_at, source) VALUES "
    if database.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(database) as connection:
            connection.cursor().executemany(sql + "(%s, %s, %s, %s, 'web')", rows)
    else:
        with sqlite3.connect(database) as connection:
            connection.executemany(sql + "(?, ?, ?, ?, 'web')", rows)


def run_admin(*args) -> tuple[int, str]:
    out = io.StringIO()
    return admin.main(list(args), out=out), out.getvalue()


# --- finding 1: reads recount all votes ---------------------------------------------------------
def test_a_read_returns_the_kept_score_and_check_finds_what_differs(start, database):
    service = start()
    assert vote(service.url, "welkom", 4)[0] == 201
    # 2,000 votes that bypassed the store: a read that recounted would show 2,001.
    insert_behind_the_stores_back(
        database, [("welkom", 5, f"bypass-{n}", 1_700_000_000) for n in range(2000)]
    )
    status, _, data = request("GET", f"{service.url}/scores/welkom")
    assert (status, data["count"], data["sum"]) == (200, 1, 4)
    status, _, snapshot = request("GET", f"{service.url}/scores")
    assert snapshot["items"]["welkom"]["count"] == 1
    # The admin check recounts and tells; --repair rewrites the kept score from the votes.
    code, text = run_admin("--database", database, "check")
    assert code == 1 and "welkom: kept 1 vote(s)" in text and "the votes say 2001" in text
    code, text = run_admin("--database", database, "check", "--repair")
    assert code == 0 and "repaired the scores of 1 item(s)" in text
    assert run_admin("--database", database, "check") == (
        0,
        "every item's score matches its votes\n",
    )
    status, _, data = request("GET", f"{service.url}/scores/welkom")
    assert (data["count"], data["sum"], data["distribution"]["5"]) == (2001, 10004, 2000)


def test_every_change_keeps_the_scores_exact(start, database):
    service = start(trusted_proxies=["127.0.0.1"])
    for number in range(12):
        forwarded = {"X-Forwarded-For": f"198.51.{number}.7"}
        assert vote(service.url, IDS[number % 2], number % 5 + 1, headers=forwarded)[0] == 201
    store = service.store
    assert store.check() == []
    assert store.delete_votes(since=0, until=2**40) == 12
    assert store.check() == [] and store.scores() == {}


def test_a_store_of_the_ratings_service_1_0_is_migrated(tmp_path):
    database = tmp_path / "old.sqlite3"
    with sqlite3.connect(database) as old:  # the 1.0 schema, verbatim
        old.executescript(
            """CREATE TABLE votes (id INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL,
                score SMALLINT NOT NULL CHECK (score BETWEEN 1 AND 5), voter_key TEXT,
                created_at BIGINT NOT NULL, source TEXT NOT NULL DEFAULT 'web',
                UNIQUE (item_id, voter_key));
            CREATE INDEX votes_created_at ON votes (created_at);
            CREATE TABLE imported_totals (item_id TEXT PRIMARY KEY,
                count INTEGER NOT NULL CHECK (count >= 0),
                total INTEGER NOT NULL CHECK (total >= 0), source TEXT NOT NULL);
            INSERT INTO votes (item_id, score, voter_key, created_at) VALUES
                ('welkom', 5, 'a', 1), ('welkom', 2, 'b', 2), ('les-1', 3, NULL, 3);
            INSERT INTO imported_totals VALUES ('welkom', 4, 18, 'wordpress-postmeta');"""
        )
    store = open_store(str(database))
    try:
        scores = store.scores()
        assert (scores["welkom"].count, scores["welkom"].total) == (6, 25)
        assert scores["welkom"].imported == 4 and scores["welkom"].distribution[2] == 1
        assert (scores["les-1"].count, scores["les-1"].total) == (1, 3)
        with store.transaction() as cur:
            assert store.schema_version(cur) == LATEST
        assert store.check() == []
    finally:
        store.close()
    # Opening it again changes nothing (every migration ran once).
    store = open_store(str(database))
    assert store.scores()["welkom"].count == 6
    store.close()


# --- finding 1 (reads unlimited) and 2 (per-instance, unbounded limiter) -------------------
def test_reads_are_rate_limited_too(start):
    service = start(read_rate_limit=5, trusted_proxies=["127.0.0.1"])
    reader = {"X-Forwarded-For": "203.0.113.5"}
    statuses = [request("GET", f"{service.url}/scores/welkom", headers=reader)[0] for _ in range(4)]
    statuses.append(request("GET", f"{service.url}/scores", headers=reader)[0])
    status, headers, data = request("GET", f"{service.url}/scores/welkom", headers=reader)
    assert statuses == [200] * 5
    assert status == 429 and data["error"]["code"] == "rate_limited"
    assert headers["content-type"] == "application/json"
    other = {"X-Forwarded-For": "198.51.100.5"}  # another network reads on
    assert request("GET", f"{service.url}/scores/welkom", headers=other)[0] == 200


def test_two_instances_on_postgresql_share_one_rate_limit(tmp_path, postgres_url):
    reset_postgres(postgres_url)
    with services_started(tmp_path, IDS, postgres_url) as start:
        first = start(rate_limit=3, trusted_proxies=["127.0.0.1"])
        second = start(rate_limit=3, trusted_proxies=["127.0.0.1"])
        statuses = []
        for number in range(8):  # eight readers of one /24, alternating between instances
            service = (first, second)[number % 2]
            forwarded = {"X-Forwarded-For": f"203.0.113.{number + 1}"}
            statuses.append(vote(service.url, "welkom", 4, headers=forwarded)[0])
        assert statuses == [201, 201, 201] + [429] * 5
        status, _, data = request("GET", f"{second.url}/scores/welkom")
        assert data["count"] == 3


def test_memory_counters_forget_expired_networks_and_stay_bounded():
    counters = MemoryCounters(max_networks=100)
    limits = RateLimits({"vote": Limit(2, 60)}, counters)
    allowed = [  # a flood from 1,000 networks within one window
        limits.allow("vote", f"net-{number}", now=1000.0 + number / 1000) for number in range(1000)
    ]
    assert len(counters.counters) == 101  # 100 networks + the shared overflow counter
    # Newcomers beyond the bound share one counter with the same limit ...
    assert allowed[:100] == [True] * 100 and allowed[100:] == [True, True] + [False] * 898
    assert not limits.allow("vote", "net-new", now=1001.5)
    # ... the known networks keep their own.
    assert limits.allow("vote", "net-5", now=1001.5)
    assert not limits.allow("vote", "net-5", now=1001.6)
    # Once the window has passed, one request drops every expired counter (from the front,
    # never by scanning them all) and the network starts afresh.
    assert limits.allow("vote", "net-5", now=1100.0)
    assert list(counters.counters) == [("vote", "net-5")]


# --- finding 9: one address, many user agents ----------------------------------------------
def test_one_address_with_many_user_agents_casts_at_most_votes_per_address(start):
    service = start(votes_per_address=3, rate_limit=1000)
    statuses = [
        vote(service.url, "welkom", 5, headers={"User-Agent": f"browser-{n}"})[0] for n in range(35)
    ]
    assert statuses.count(201) == 3 and statuses.count(409) == 32
    status, _, data = vote(service.url, "welkom", 5, headers={"User-Agent": "one more"})
    assert status == 409 and "from your address" in data["error"]["message"]
    assert request("GET", f"{service.url}/scores/welkom")[2]["count"] == 3
    # Another item is another count; the rule is per item.
    assert vote(service.url, "les-1", 4, headers={"User-Agent": "browser-0"})[0] == 201
