"""Group commit: votes that arrive while a commit is in flight share the next transaction, and
every vote keeps its own outcome.

On PostgreSQL (one call of `reader_votes`) observed from the database itself (the `xmin` of a
vote's row is the transaction that wrote it), on a real server and real services on loopback;
on SQLite (statements on the event loop, the commit in a thread) from the store and the file,
with a second connection standing in for another instance that holds the write lock."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
import threading
import time
from collections import Counter

import psycopg

from reader_service.backends import SQLiteStore, open_store
from reader_service.limits import DatabaseCounters, Limit, RateLimits
from reader_service.store import AddressLimit, RateLimited
from tests.reader_service_support import request, reset_postgres, services_started, vote

IDS = ["welkom", "les-1"]


def run_coroutine(coroutine):
    """``asyncio.run`` in a thread of its own: a browser test's Playwright (sync API) may keep an
    event loop running in this worker's main thread for the rest of the session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def writing_transactions(url: str) -> dict[str, set[str]]:
    """Per item, the transactions (xmin) that wrote its votes rows."""
    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT item_id, xmin::text FROM votes").fetchall()
    found: dict[str, set[str]] = {}
    for item, xmin in rows:
        found.setdefault(item, set()).add(xmin)
    return found


def votes_at_once(calls: list) -> list:
    """Run each call in its own thread, all released at the same moment; their results."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(number: int) -> None:
        barrier.wait()
        results[number] = calls[number]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_one_batch_is_one_transaction_and_each_vote_keeps_its_outcome(postgres_url):
    reset_postgres(postgres_url)
    store = open_store(postgres_url)
    try:

        async def cast(votes):
            return await asyncio.gather(
                *(store.vote_async(*v) for v in votes), return_exceptions=True
            )

        # Votes of one loop turn go in one call: a new vote, one of a voter who already voted
        # (before, and twice in the same batch), one address over its 2 votes per item.
        assert run_coroutine(cast([("welkom", 4, "earlier", 100, None, 2)]))[0].count == 1
        before = store.group_commit.commits
        votes = [
            ("welkom", 5, "reader-a", 101, "address-1", 2),
            ("welkom", 1, "earlier", 101, None, 2),  # already voted: refused alone
            ("les-1", 3, "reader-a", 101, "address-1", 2),  # another item: its own count
            ("welkom", 2, "reader-b", 101, "address-1", 2),  # address-1's second for welkom
            ("welkom", 3, "reader-c", 101, "address-1", 2),  # its third: over the limit
            ("welkom", 4, "reader-d", 101, None, 2),
            ("welkom", 5, "reader-d", 101, None, 2),  # the same reader again, same batch
        ]
        outcomes = run_coroutine(cast(votes))
        assert store.group_commit.commits == before + 1
        kinds = [
            "refused" if isinstance(o, AddressLimit) else "duplicate" if o is None else "stored"
            for o in outcomes
        ]
        assert kinds == [
            "stored",
            "duplicate",
            "stored",
            "stored",
            "refused",
            "stored",
            "duplicate",
        ]
        welkom = outcomes[0]  # every stored vote of welkom sees its score after the batch
        assert (welkom.count, welkom.total) == (4, 4 + 5 + 2 + 4)
        assert welkom.distribution == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}
        assert outcomes[3] == outcomes[5] == welkom
        assert (outcomes[2].count, outcomes[2].total) == (1, 3)

        transactions = writing_transactions(postgres_url)
        assert len(transactions["les-1"]) == 1
        assert len(transactions["welkom"]) == 2  # the earlier vote, then the batch
        assert transactions["les-1"] < transactions["welkom"]  # the same transaction
        with psycopg.connect(postgres_url) as connection:
            keys = connection.execute(
                "SELECT voter_key, score FROM votes WHERE item_id = 'welkom' ORDER BY voter_key"
            ).fetchall()
            counted = connection.execute(
                "SELECT item_id, votes FROM address_votes ORDER BY item_id"
            ).fetchall()
        assert keys == [("earlier", 4), ("reader-a", 5), ("reader-b", 2), ("reader-d", 4)]
        assert counted == [("les-1", 1), ("welkom", 2)]  # the refused vote counted nowhere
        assert store.score("welkom") == welkom
    finally:
        store.close()


def test_a_rate_limit_counted_in_the_batch_refuses_only_its_own_vote(postgres_url):
    reset_postgres(postgres_url)
    store = open_store(postgres_url)
    try:
        counters = DatabaseCounters(store, b"test-secret-0123456789")
        limits = RateLimits({"vote": Limit(2, 60)}, counters)
        now = time.time()
        assert limits.allow("vote", "net-a", now=now)  # net-a: 1 of its 2 votes
        # Hits only the database can count travel with their votes, in their transaction.
        hits = [limits.pending("vote", net, now=now) for net in ("net-a", "net-a", "net-b")]
        votes = [("welkom", 5, f"reader-{n}", int(now), None, 3) for n in range(3)]
        before = store.group_commit.commits

        async def cast():
            return await asyncio.gather(
                *(store.vote_async(*v, rate=h) for v, h in zip(votes, hits, strict=True)),
                return_exceptions=True,
            )

        outcomes = run_coroutine(cast())
        assert store.group_commit.commits == before + 1
        assert outcomes[0].count == 2 and outcomes[2].count == 2
        assert isinstance(outcomes[1], RateLimited)  # net-a's third: refused, nothing stored
        assert store.score("welkom").count == 2
        assert counters.local[("vote", "net-a")][0] == 3  # the database's count, now known here
        assert not limits.allow("vote", "net-a", now=now + 1)  # and shared: still over
        assert limits.allow("vote", "net-b", now=now + 1)
    finally:
        store.close()


def test_concurrent_votes_of_one_network_meet_its_rate_limit_exactly(tmp_path, postgres_url):
    reset_postgres(postgres_url)
    with services_started(tmp_path, IDS, postgres_url) as start:
        service = start(trusted_proxies=["127.0.0.1"], rate_limit=5)
        calls = [
            lambda n=n: vote(
                service.url, IDS[n % 2], 3, headers={"X-Forwarded-For": f"192.0.2.{n + 1}"}
            )
            for n in range(16)
        ]
        statuses = Counter(status for status, _, _ in votes_at_once(calls))
        assert statuses == {201: 5, 429: 11}
        counts = [request("GET", f"{service.url}/scores/{i}")[2]["count"] for i in IDS]
        assert sum(counts) == 5


def test_concurrent_votes_share_commits_and_each_gets_its_own_answer(tmp_path, postgres_url):
    reset_postgres(postgres_url)

    def item_of(number: int) -> str:  # the 4 user agents of one address all vote for welkom
        return "welkom" if number >= 12 else IDS[number % 2]

    with services_started(tmp_path, IDS, postgres_url) as start:
        service = start(trusted_proxies=["127.0.0.1"], votes_per_address=2)
        calls = []
        for number in range(16):  # 12 readers of their own, 4 user agents of one address
            address = "198.51.100.7" if number >= 12 else f"198.51.{number}.1"
            headers = {"X-Forwarded-For": address, "User-Agent": f"agent-{number}"}
            calls.append(lambda h=headers, n=number: vote(service.url, item_of(n), 5, headers=h))
        first = votes_at_once(calls)
        commits = service.store.group_commit.commits
        again = votes_at_once(calls)  # everyone has voted: each is refused, alone

        assert Counter(status for status, _, _ in first) == {201: 12 + 2, 409: 2}
        assert all(data["error"]["code"] == "already_voted" for s, _, data in first if s == 409)
        assert [status for status, _, _ in again] == [409] * 16
        stored = 12 + 2
        written_by = set().union(*writing_transactions(postgres_url).values())
        assert len(written_by) < stored  # several votes per transaction, seen by PostgreSQL
        assert commits < 16  # and by the store: fewer calls than votes
        for item in IDS:
            status, _, data = request("GET", f"{service.url}/scores/{item}")
            expected = sum(
                1 for n, (code, _, _) in enumerate(first) if code == 201 and item_of(n) == item
            )
            assert data["count"] == expected and data["sum"] == 5 * expected


def test_two_instances_voting_at_once_count_exactly_their_201s(tmp_path, postgres_url):
    instances = 2
    reset_postgres(postgres_url)
    with services_started(tmp_path, IDS, postgres_url) as start:
        services = [
            start(trusted_proxies=["127.0.0.1"], votes_per_address=3, rate_limit=1000)
            for _ in range(instances)
        ]
        calls = []
        for number in range(48):
            # Every reader sends the same vote to both instances at once (their batches wait
            # for each other's rows), and four readers share an address (its count too).
            reader = number // 2
            address = "203.0.113.9" if reader % 6 == 0 else f"203.0.{reader}.1"
            headers = {"X-Forwarded-For": address, "User-Agent": f"agent-{reader}"}
            url = services[number % instances].url
            calls.append(
                lambda u=url, h=headers, r=reader: vote(u, IDS[r % 2], 1 + r % 5, headers=h)
            )
        results = votes_at_once(calls)
        assert {status for status, _, _ in results} <= {201, 409}
        accepted: Counter = Counter()
        count: Counter = Counter()
        total: Counter = Counter()
        for number, (status, _, _) in enumerate(results):
            reader = number // 2
            if status == 201:
                accepted[reader] += 1
                count[IDS[reader % 2]] += 1
                total[IDS[reader % 2]] += 1 + reader % 5
        assert all(count == 1 for count in accepted.values())  # each reader: exactly one 201
        shared = {reader for reader in range(24) if reader % 6 == 0}
        assert len(shared & set(accepted)) == 3  # the shared address: 3 votes, not 4
        assert len(accepted) == 24 - 1
        for item in IDS:
            status, _, data = request("GET", f"{services[1].url}/scores/{item}")
            assert (data["count"], data["sum"]) == (count[item], total[item])


def test_a_vote_arriving_as_a_group_ends_is_sent_without_waiting_for_another():
    """Found by the benchmark: a vote that came in the same turn of the event loop in which the
    last group's sender saw nothing waiting was sent only when a later vote started a sender;
    with no later vote, never."""
    from reader_service.postgres import GroupCommit

    async def run() -> int:
        commit = GroupCommit(None)

        async def send(votes):
            await asyncio.sleep(0.002)
            return [("stored", n) for n, _ in enumerate(votes)]

        commit.send = send
        loop, stranded = asyncio.get_running_loop(), 0
        for n in range(100):
            first = loop.create_task(commit.vote((n,)))
            await asyncio.sleep(0.001 * (n % 5))
            try:
                await asyncio.wait_for(commit.vote((n, "again")), 1)
            except TimeoutError:
                stranded += 1
            await first
        return stranded

    assert run_coroutine(run()) == 0


# --- SQLite -------------------------------------------------------------------------------
def sqlite_vote(number: int, item: str = "welkom", address: str | None = None) -> tuple:
    """A vote as app.py casts it: item, score, voter key, time, address key, votes per address."""
    address = address or f"voter-{number}"
    return (item, number % 5 + 1, f"voter-{number}", 1_000, f"address-{address}", 2)


def stored_votes(path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT voter_key, score FROM votes ORDER BY id").fetchall()


def test_sqlite_votes_of_one_moment_share_one_commit_and_keep_their_outcomes(tmp_path):
    path = tmp_path / "votes.sqlite3"
    store = SQLiteStore(path).open()
    votes = [sqlite_vote(n) for n in range(12)]
    votes += [sqlite_vote(0)]  # the first reader again: already voted
    votes += [sqlite_vote(20 + n, address="shared") for n in range(3)]  # the 3rd is 1 too many

    async def run() -> list:
        return await asyncio.gather(
            *(store.vote_async(*vote) for vote in votes), return_exceptions=True
        )

    try:
        outcomes = run_coroutine(run())
        assert store.commits == 1  # 16 votes, one transaction
        assert [o.count for o in outcomes[:12]] == list(range(1, 13))
        assert outcomes[12] is None
        assert [o.count for o in outcomes[13:15]] == [13, 14]
        assert isinstance(outcomes[15], AddressLimit)
        # The refused votes rolled back alone: every other vote is on disk, with its score.
        expected = [(v[2], v[1]) for v in votes[:12] + votes[13:15]]
        assert stored_votes(path) == expected
        assert store.score("welkom").count == 14
    finally:
        store.close()


def test_sqlite_a_write_lock_held_elsewhere_never_stops_the_event_loop(tmp_path):
    """Another instance holds the write lock for a while: the vote waits in a thread for it
    (and is stored once it is free) while the loop goes on answering reads."""
    path = tmp_path / "votes.sqlite3"
    store = SQLiteStore(path).open()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    held = 0.6

    async def run() -> tuple:
        loop = asyncio.get_running_loop()
        started = loop.time()
        loop.call_later(held, other.execute, "COMMIT")
        voting = asyncio.ensure_future(store.vote_async(*sqlite_vote(1)))
        ticks = []
        while not voting.done():
            tick = loop.time()
            await asyncio.sleep(0.01)
            ticks.append(loop.time() - tick)
            await store.score_async("welkom")  # a read on the loop meanwhile
        return await voting, loop.time() - started, max(ticks)

    try:
        score, took, longest_tick = run_coroutine(run())
        assert score.count == 1 and stored_votes(path) == [("voter-1", 2)]
        assert took >= held  # it did wait for the lock...
        assert longest_tick < 0.2  # ...but not on the loop
    finally:
        other.close()
        store.close()


def test_sqlite_a_group_whose_statements_fail_answers_each_vote_and_frees_the_store(tmp_path):
    path = tmp_path / "votes.sqlite3"
    store = SQLiteStore(path).open()
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE scores RENAME TO scores_gone")

    async def run(votes) -> list:
        return await asyncio.gather(
            *(store.vote_async(*vote) for vote in votes), return_exceptions=True
        )

    try:
        failed = run_coroutine(run([sqlite_vote(n) for n in range(4)]))
        assert all(isinstance(outcome, sqlite3.OperationalError) for outcome in failed)
        assert stored_votes(path) == []  # the whole group rolled back
        with sqlite3.connect(path) as connection:
            connection.execute("ALTER TABLE scores_gone RENAME TO scores")
        again = run_coroutine(run([sqlite_vote(n) for n in range(4)]))
        assert [outcome.count for outcome in again] == [1, 2, 3, 4]
    finally:
        store.close()
