"""Where readers' submissions live: SQLite (default, WAL) or PostgreSQL, behind one interface.

A vote is (item id, score 1–5, voter key, time, source). The voter key is an HMAC of item +
reader address + user agent (guards.py); UNIQUE (item_id, voter_key) makes "one vote per reader
per item" hold with any number of service instances on one PostgreSQL database. Voter keys are
set to NULL after the retention period; NULLs never collide, so imported and purged votes stay
countable.

Scores are kept, not recounted: `scores` holds every item's count, sum and 1–5 distribution and
is updated in the same transaction as the vote, so a read costs one primary-key lookup at 0 or
10 million votes. `admin check` recounts the votes and compares. Votes imported from WordPress
without a per-vote breakdown are totals per (source, item) in `imported_totals`; they count in
the average and the number of votes, not in the distribution.

The schema is versioned (migrations.py); opening a store migrates it. The backends (SQLite,
PostgreSQL) are in backends.py and postgres.py; this module is the SQL both speak on a request's
path, store_upkeep.py what the operator's commands and the purge do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio.to_thread

from .migrations import LATEST, MIGRATIONS, SCORE_COLUMNS
from .score import STARS, AddressLimit, RateLimited, Score
from .store_upkeep import Upkeep

__all__ = ["STARS", "AddressLimit", "RateLimited", "Score", "Store", "StoreUnavailable"]


class StoreUnavailable(Exception):
    """The database cannot be opened, read or written; the message says what to fix."""


# A vote's statements (vote_in), written once: the vote, its address's count, its item's score.
VOTE_INSERT = (
    "INSERT INTO votes (item_id, score, voter_key, created_at, source) "
    "VALUES (?, ?, ?, ?, 'web') ON CONFLICT (item_id, voter_key) DO NOTHING"
)
ADDRESS_COUNT = (
    "INSERT INTO address_votes (item_id, address_key, votes, last_at) "
    "VALUES (?, ?, 1, ?) ON CONFLICT (item_id, address_key) DO UPDATE SET "
    "votes = address_votes.votes + 1, last_at = excluded.last_at "
    "WHERE address_votes.votes < ?"
)
SCORE_ADD = {
    star: f"INSERT INTO scores (item_id, count, total, s{star}) VALUES (?, 1, ?, 1) "
    f"ON CONFLICT (item_id) DO UPDATE SET count = scores.count + 1, "
    f"total = scores.total + excluded.total, s{star} = scores.s{star} + 1 "
    f"RETURNING {SCORE_COLUMNS.partition(', ')[2]}"
    for star in STARS
}


class Store(Upkeep):
    """Common SQL for both databases; backends supply connections and the placeholder."""

    placeholder = "?"
    pk = "INTEGER PRIMARY KEY AUTOINCREMENT"
    kind = "sql"

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.placeholder) if self.placeholder != "?" else statement

    @contextmanager
    def transaction(self) -> Iterator:  # pragma: no cover - implemented by backends
        raise NotImplementedError
        yield

    @contextmanager
    def reading(self) -> Iterator:
        """A cursor for reads only (backends may give one that never waits for a writer)."""
        with self.transaction() as cur:
            yield cur

    # --- schema ---------------------------------------------------------------------------
    def schema_version(self, cur) -> int:
        cur.execute(self._sql(self.TABLE_EXISTS), ("schema_version",))
        if cur.fetchone() is None:
            return 0
        cur.execute("SELECT MAX(version) FROM schema_version")
        return int(cur.fetchone()[0] or 0)

    def migrate(self, cur, now: int) -> list[int]:
        """Apply the migrations this store has not had yet (inside the caller's transaction)."""
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
            "applied_at BIGINT NOT NULL, description TEXT NOT NULL)"
        )
        current = self.schema_version(cur)
        if current > LATEST:
            raise RuntimeError(
                f"the store is at schema version {current}, newer than this service "
                f"({LATEST}); run the newer service version"
            )
        applied = []
        for migration in MIGRATIONS[current:]:
            for statement in getattr(migration, self.kind):
                cur.execute(statement.replace("{pk}", self.pk))
            cur.execute(
                self._sql("INSERT INTO schema_version VALUES (?, ?, ?)"),
                (migration.version, now, migration.description),
            )
            applied.append(migration.version)
        return applied

    def record_start(self, now: int) -> None:
        """A real write at start-up: a store that cannot be written must stop the service."""
        with self.transaction() as cur:
            cur.execute(self._sql("DELETE FROM service_meta WHERE name = ?"), ("started_at",))
            cur.execute(
                self._sql("INSERT INTO service_meta (name, value) VALUES (?, ?)"),
                ("started_at", str(now)),
            )

    # --- votes ----------------------------------------------------------------------------
    def add_vote(
        self,
        item_id: str,
        score: int,
        voter_key: str | None,
        now: int,
        address_key: str | None = None,
        per_address: int = 0,
    ) -> Score | None:
        """Store a vote and return the item's new score; None when this voter already voted.

        With an `address_key`, at most `per_address` votes per item come from one address
        (AddressLimit, nothing stored). Vote, address count and score: one transaction.
        """
        with self.transaction() as cur:
            return self.vote_in(cur, item_id, score, voter_key, now, address_key, per_address)

    def vote_in(self, cur, item_id, score, voter_key, now, address_key=None, per_address=0):
        """add_vote's statements, in the caller's transaction."""
        cur.execute(self._sql(VOTE_INSERT), (item_id, score, voter_key, now))
        if cur.rowcount != 1:
            return None
        if address_key is not None:
            cur.execute(self._sql(ADDRESS_COUNT), (item_id, address_key, now, per_address))
            if cur.rowcount != 1:
                raise AddressLimit(item_id)
        cur.execute(self._sql(SCORE_ADD[int(score)]), (item_id, score))
        return Score.from_row(cur.fetchone())

    SCORE = f"SELECT {SCORE_COLUMNS.partition(', ')[2]} FROM scores WHERE item_id = ?"

    def score(self, item_id: str) -> Score:
        with self.reading() as cur:
            cur.execute(self._sql(self.SCORE), (item_id,))
            row = cur.fetchone()
        return Score.from_row(row) if row else Score()

    # --- from the event loop (app.py); a backend that can answers without a thread ---------
    async def vote_async(self, *vote) -> Score | None:
        """add_vote, awaited."""
        return await anyio.to_thread.run_sync(lambda: self.add_vote(*vote))

    async def score_async(self, item_id: str) -> Score:
        """score, awaited."""
        return await anyio.to_thread.run_sync(self.score, item_id)

    def scores(self) -> dict[str, Score]:
        """Every item with votes, from the kept aggregates."""
        with self.reading() as cur:
            cur.execute(f"SELECT {SCORE_COLUMNS} FROM scores WHERE count > 0 ORDER BY item_id")
            return {row[0]: Score.from_row(row[1:]) for row in cur.fetchall()}

    def snapshot(self) -> dict:
        """The JSON document of GET /scores (and of snapshot.scores_snapshot)."""
        return {"items": {item: score.to_json() for item, score in self.scores().items()}}

    # --- rate-limit counters shared by instances (limits.py) --------------------------------
    def hit(self, bucket: str, now: float, window: float, count: int = 1) -> int:
        """Count `count` events in `bucket`; returns the events in its current window."""
        expired = now - window
        with self.transaction() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO rate_limits (bucket, started, hits) VALUES (?, ?, ?) "
                    "ON CONFLICT (bucket) DO UPDATE SET "
                    "started = CASE WHEN rate_limits.started <= ? THEN excluded.started "
                    "ELSE rate_limits.started END, "
                    "hits = CASE WHEN rate_limits.started <= ? THEN excluded.hits "
                    "ELSE rate_limits.hits + excluded.hits END RETURNING hits"
                ),
                (bucket, now, count, expired, expired),
            )
            return int(cur.fetchone()[0])

    def expire_rate_limits(self, before: float) -> int:
        with self.transaction() as cur:
            cur.execute(self._sql("DELETE FROM rate_limits WHERE started <= ?"), (before,))
            return cur.rowcount

    def ping(self) -> None:
        """Reach the tables themselves (not just the server): health."""
        with self.reading() as cur:
            cur.execute("SELECT MAX(version) FROM schema_version")
            cur.fetchall()

    def close(self) -> None:  # pragma: no cover - implemented by backends
        pass
