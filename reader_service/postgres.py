"""PostgreSQL behind the store (psycopg 3): a small thread-side pool for everything, and asyncio
connections for the statements on a vote's and a read's path.

A request that waits for psycopg in a worker thread pays for two hand-overs (to the thread and
back, each a switch of the interpreter lock between threads): on this path that cost more CPU
than the statement itself (issue 12: votes/s against a bare app). So votes and score reads use
asyncio connections of their own (psycopg's `AsyncConnection`, autocommit: one statement, one
round trip, one transaction), at most `size` at a time per instance; everything else (imports,
admin, comments, purges) uses the thread-side pool.

Votes are committed in groups (GroupCommit): every commit waits for PostgreSQL's WAL flush
(fsync on), so the votes that arrive while one group is being committed go together in the
next call of `reader_votes` (migrations.py: arrays in, one outcome per vote out), one round
trip and one transaction for all of them. Each vote is answered after that commit; a refused
vote (already voted, the address's votes used up) refuses only itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from collections.abc import AsyncIterator
from contextlib import contextmanager

from .store import AddressLimit, RateLimited, Score, Store, StoreUnavailable


class AsyncPool:
    """Up to `size` asyncio connections, opened when first needed, kept while they work."""

    def __init__(self, url: str, size: int, connect_timeout: int):
        self.url = url
        self.size = size
        self.connect_timeout = connect_timeout
        self.idle: list = []
        self.slots: asyncio.Semaphore | None = None  # bound to the loop that first uses it

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator:
        import psycopg

        if self.slots is None:
            self.slots = asyncio.Semaphore(self.size)
        async with self.slots:
            if self.idle:
                connection = self.idle.pop()
            else:
                connection = await psycopg.AsyncConnection.connect(
                    self.url, autocommit=True, connect_timeout=self.connect_timeout
                )
            try:
                yield connection
            finally:
                if connection.closed or connection.broken:
                    await connection.close()
                else:
                    self.idle.append(connection)

    async def fetchone(self, statement: str, args: tuple):
        async with self.connection() as connection:
            cursor = await connection.execute(statement, args)
            return await cursor.fetchone()

    def close(self) -> None:
        """Close the idle connections (from any thread: libpq's own close, no event loop)."""
        while self.idle:
            self.idle.pop().pgconn.finish()


class GroupCommit:
    """Votes sent to PostgreSQL in groups: one group in flight at a time per instance; the
    votes that arrive meanwhile wait and go together, as arrays, in the next call."""

    GROUP = 256  # votes per call at most
    IN_FLIGHT = 1  # groups committed at once (more split the groups and gained nothing measurable)
    VOTES = (
        "SELECT * FROM reader_votes(%s::text[], %s::int[], %s::text[], %s::bigint[], "
        "%s::text[], %s::int[], %s::text[], %s::int[], %s::float8[], %s::float8[], %s::int[])"
    )
    NO_HIT = (None, 0, 0.0, 0.0, 0)  # a vote whose rate limit was counted before

    def __init__(self, pool: AsyncPool):
        self.pool = pool
        self.waiting: list[tuple[tuple, asyncio.Future]] = []
        self.senders: set[asyncio.Task] = set()
        self.commits = 0  # groups committed, and the votes in them (tests, benchmarks)
        self.committed_votes = 0

    async def vote(self, vote: tuple) -> tuple:
        """`reader_votes`' row for this vote (outcome, hits, score columns), after its commit;
        `vote`: add_vote's arguments, then the rate-limit hit's (bucket, hits, now, expired,
        limit) or NO_HIT."""
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self.waiting.append((vote, answer))
        if len(self.senders) < self.IN_FLIGHT:  # it starts on the loop's next turn: the votes
            sender = loop.create_task(self._send())  # of this turn join
            self.senders.add(sender)
        return await answer

    async def _send(self) -> None:
        try:
            await self._send_waiting()
        finally:
            # Gone from `senders` in the same step as it saw nothing waiting: a done callback
            # would run a turn later, and a vote arriving in between would wait for the next
            # vote to start a sender (found by the benchmark: its last votes never answered).
            self.senders.discard(asyncio.current_task())

    async def _send_waiting(self) -> None:
        while self.waiting:
            group, self.waiting = self.waiting[: self.GROUP], self.waiting[self.GROUP :]
            try:
                rows = await self.send([vote for vote, _ in group])
            except asyncio.CancelledError:  # the loop is shutting down: nobody will answer
                for _, answer in group + self.waiting:
                    answer.cancel()
                self.waiting = []
                raise
            except Exception as error:  # noqa: BLE001 - the commit failed: nobody's vote
                for _, answer in group:
                    if not answer.done():
                        answer.set_exception(error)
                continue
            for (_, answer), row in zip(group, rows, strict=True):
                if not answer.done():  # a client that left: its vote is stored all the same
                    answer.set_result(row)

    async def send(self, votes: list[tuple]) -> list[tuple]:
        """One call, one transaction: each vote's (outcome, score columns), in order."""
        columns = [list(column) for column in zip(*votes, strict=True)]
        async with self.pool.connection() as connection:
            cursor = await connection.execute(self.VOTES, columns)
            rows = await cursor.fetchall()
        if [row[0] for row in rows] != list(range(1, len(votes) + 1)):  # (never: one per vote)
            raise RuntimeError(f"reader_votes answered {len(rows)} rows for {len(votes)} votes")
        self.commits += 1
        self.committed_votes += len(votes)
        return [row[1:] for row in rows]  # o_position 1..n: the order of `votes`


class PostgresStore(Store):
    """A small pool of psycopg connections (one per concurrent request, at most `size`).

    Connections are in autocommit mode: a read is one round trip; writes use an explicit
    transaction.
    """

    kind = "postgresql"
    placeholder = "%s"
    pk = "BIGSERIAL PRIMARY KEY"
    TABLE_EXISTS = (
        "SELECT 1 FROM information_schema.tables "
        "WHERE table_schema = current_schema() AND table_name = ?"
    )

    VOTE = "SELECT * FROM reader_vote(%s, %s, %s, %s, %s, %s)"  # migrations.py

    def __init__(self, url: str, size: int = 8, connect_timeout: int = 10):
        self.size = size
        import psycopg  # only deployments on PostgreSQL need it loaded

        self.errors = (psycopg.Error,)
        self._connect = lambda: psycopg.connect(
            url, autocommit=True, connect_timeout=connect_timeout
        )
        self.pool: queue.LifoQueue = queue.LifoQueue()
        self.semaphore = threading.BoundedSemaphore(size)
        self.async_pool = AsyncPool(url, size, connect_timeout)  # votes and reads
        self.group_commit = GroupCommit(self.async_pool)

    def open(self, now: int | None = None) -> PostgresStore:
        now = int(time.time()) if now is None else now
        try:
            # Several instances may start at once: one migrates, the others wait for it.
            with self.transaction() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(727274)")
                self.migrate(cur, now)
            self.record_start(now)
        except self.errors as error:
            raise StoreUnavailable(str(error).strip()) from None
        return self

    @contextmanager
    def _connection(self):
        with self.semaphore:
            try:
                connection = self.pool.get_nowait()
            except queue.Empty:
                connection = self._connect()
            try:
                yield connection
            finally:
                if connection.closed or connection.broken:
                    connection.close()
                else:
                    self.pool.put(connection)

    @contextmanager
    def transaction(self):
        with (
            self._connection() as connection,
            connection.transaction(),
            connection.cursor() as cur,
        ):
            yield cur

    @contextmanager
    def reading(self):
        with self._connection() as connection, connection.cursor() as cur:
            yield cur

    def add_vote(self, item_id, score, voter_key, now, address_key=None, per_address=0):
        # One statement in autocommit: one round trip and one transaction (migrations.py).
        with self.reading() as cur:
            cur.execute(self.VOTE, (item_id, score, voter_key, now, address_key, per_address))
            return self._vote_outcome(item_id, cur.fetchone())

    async def vote_async(
        self, item_id, score, voter_key, now, address_key=None, per_address=0, rate=None
    ):
        """add_vote from the event loop, in a group commit. With `rate` (a limits.PendingHit)
        the network's hit is counted in the same transaction first: RateLimited when over."""
        vote = (item_id, score, voter_key, now, address_key, per_address)
        if rate is None:
            hit = GroupCommit.NO_HIT
        else:
            hit = (rate.bucket, rate.count, rate.now, rate.now - rate.window, rate.limit)
        outcome, hits, *score_row = await self.group_commit.vote(vote + hit)
        if rate is not None:
            rate.counted(hits)
            if outcome == "rate_limited":
                raise RateLimited(item_id)
        return self._vote_outcome(item_id, (outcome, *score_row))

    async def score_async(self, item_id: str) -> Score:
        row = await self.async_pool.fetchone(self._sql(self.SCORE), (item_id,))
        return Score.from_row(row) if row else Score()

    @staticmethod
    def _vote_outcome(item_id: str, row) -> Score | None:
        outcome, *score_row = row
        if outcome == "duplicate":
            return None
        if outcome == "address_limit":
            raise AddressLimit(item_id)
        return Score.from_row(score_row)

    def hit(self, bucket: str, now: float, window: float, count: int = 1) -> int:
        # One statement in autocommit: one round trip, and the counters are UNLOGGED.
        expired = now - window
        with self.reading() as cur:
            cur.execute(
                "INSERT INTO rate_limits (bucket, started, hits) VALUES (%s, %s, %s) "
                "ON CONFLICT (bucket) DO UPDATE SET "
                "started = CASE WHEN rate_limits.started <= %s THEN excluded.started "
                "ELSE rate_limits.started END, "
                "hits = CASE WHEN rate_limits.started <= %s THEN excluded.hits "
                "ELSE rate_limits.hits + excluded.hits END RETURNING hits",
                (bucket, now, count, expired, expired),
            )
            return int(cur.fetchone()[0])

    def close(self) -> None:
        self.async_pool.close()
        while True:
            try:
                self.pool.get_nowait().close()
            except queue.Empty:
                return
