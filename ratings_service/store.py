"""Where votes live: SQLite (default, WAL) or PostgreSQL, behind one small interface.

A vote is (item id, score 1–5, voter key, time, source). The voter key is an HMAC of item +
client address + user agent (see guards.py); a UNIQUE (item_id, voter_key) constraint makes the
"one vote per reader per item" rule hold even with several service instances on one PostgreSQL
database. Voter keys are set to NULL after the retention period; NULLs never collide, so
imported votes (which have none) and purged votes stay countable.

Votes imported from WordPress without a per-vote breakdown (WP-PostRatings' ratings_users /
ratings_score post meta) are kept as totals per item in `imported_totals`; they count in the
average and the number of votes, not in the 1–5 distribution.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS votes (
        id {pk},
        item_id TEXT NOT NULL,
        score SMALLINT NOT NULL CHECK (score BETWEEN 1 AND 5),
        voter_key TEXT,
        created_at BIGINT NOT NULL,
        source TEXT NOT NULL DEFAULT 'web',
        UNIQUE (item_id, voter_key)
    )""",
    "CREATE INDEX IF NOT EXISTS votes_created_at ON votes (created_at)",
    """CREATE TABLE IF NOT EXISTS imported_totals (
        item_id TEXT PRIMARY KEY,
        count INTEGER NOT NULL CHECK (count >= 0),
        total INTEGER NOT NULL CHECK (total >= 0),
        source TEXT NOT NULL
    )""",
]


@dataclass
class Score:
    """The aggregate of one item's votes."""

    count: int = 0  # all votes, imported totals included
    total: int = 0  # sum of all scores (so the average is exact: total / count)
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    imported: int = 0  # votes from an import without a per-star breakdown

    @property
    def average(self) -> float | None:
        return self.total / self.count if self.count else None

    def to_json(self) -> dict:
        return {
            "count": self.count,
            "sum": self.total,
            "average": round(self.average, 4) if self.count else None,
            "distribution": {str(star): self.distribution[star] for star in range(1, 6)},
            "without_breakdown": self.imported,
        }


class Store:
    """Common SQL for both databases; subclasses supply connections and the placeholder."""

    placeholder = "?"
    pk = "INTEGER PRIMARY KEY AUTOINCREMENT"
    kind = "sql"

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self.placeholder)

    @contextmanager
    def transaction(self) -> Iterator:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError
        yield

    def create_schema(self) -> None:
        with self.transaction() as cur:
            for statement in SCHEMA:
                cur.execute(statement.format(pk=self.pk))

    def add_vote(self, item_id: str, score: int, voter_key: str | None, now: int) -> bool:
        """Store a vote; False when this voter already voted for this item."""
        with self.transaction() as cur:
            cur.execute(
                self._sql(
                    "INSERT INTO votes (item_id, score, voter_key, created_at, source) "
                    "VALUES (?, ?, ?, ?, 'web') ON CONFLICT (item_id, voter_key) DO NOTHING"
                ),
                (item_id, score, voter_key, now),
            )
            return cur.rowcount == 1

    def add_imported_votes(self, votes: Iterable[tuple[str, int, int]], source: str) -> int:
        """Votes with a known score and time but no voter key (e.g. the wp_ratings log)."""
        rows = [(item, score, None, created, source) for item, score, created in votes]
        with self.transaction() as cur:
            cur.executemany(
                self._sql(
                    "INSERT INTO votes (item_id, score, voter_key, created_at, source) "
                    "VALUES (?, ?, ?, ?, ?)"
                ),
                rows,
            )
        return len(rows)

    def set_imported_total(self, item_id: str, count: int, total: int, source: str) -> None:
        """Replace the imported (breakdown-less) total of an item: importing twice is safe."""
        with self.transaction() as cur:
            cur.execute(self._sql("DELETE FROM imported_totals WHERE item_id = ?"), (item_id,))
            cur.execute(
                self._sql(
                    "INSERT INTO imported_totals (item_id, count, total, source) "
                    "VALUES (?, ?, ?, ?)"
                ),
                (item_id, count, total, source),
            )

    def scores(self, item_id: str | None = None) -> dict[str, Score]:
        where, args = ("WHERE item_id = ?", (item_id,)) if item_id is not None else ("", ())
        result: dict[str, Score] = {}
        with self.transaction() as cur:
            cur.execute(
                self._sql(
                    f"SELECT item_id, score, COUNT(*) FROM votes {where} GROUP BY item_id, score"
                ),
                args,
            )
            for item, score, count in cur.fetchall():
                entry = result.setdefault(item, Score())
                entry.distribution[int(score)] += int(count)
                entry.count += int(count)
                entry.total += int(score) * int(count)
            cur.execute(
                self._sql(f"SELECT item_id, count, total FROM imported_totals {where}"), args
            )
            for item, count, total in cur.fetchall():
                entry = result.setdefault(item, Score())
                entry.count += int(count)
                entry.total += int(total)
                entry.imported += int(count)
        return result

    def purge_voter_keys(self, before: int) -> int:
        """Forget voter keys of votes older than `before` (unix time); returns how many."""
        with self.transaction() as cur:
            cur.execute(
                self._sql(
                    "UPDATE votes SET voter_key = NULL "
                    "WHERE created_at < ? AND voter_key IS NOT NULL"
                ),
                (before,),
            )
            return cur.rowcount

    def votes(self, item_id: str | None = None) -> list[dict]:
        """Every vote (without voter keys), oldest first: the export."""
        where, args = ("WHERE item_id = ?", (item_id,)) if item_id else ("", ())
        with self.transaction() as cur:
            cur.execute(
                self._sql(
                    f"SELECT id, item_id, score, created_at, source FROM votes {where} "
                    "ORDER BY created_at, id"
                ),
                args,
            )
            names = ("id", "item", "score", "created_at", "source")
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def delete_votes(
        self, item_id: str | None = None, since: int | None = None, until: int | None = None
    ) -> int:
        """Delete the votes of an item and/or a time window [since, until); returns how many."""
        clauses, args = [], []
        if item_id:
            clauses.append("item_id = ?")
            args.append(item_id)
        if since is not None:
            clauses.append("created_at >= ?")
            args.append(since)
        if until is not None:
            clauses.append("created_at < ?")
            args.append(until)
        if not clauses:
            raise ValueError("refusing to delete every vote: give an item and/or a time window")
        with self.transaction() as cur:
            cur.execute(self._sql("DELETE FROM votes WHERE " + " AND ".join(clauses)), args)
            deleted = cur.rowcount
            if item_id and since is None and until is None:
                cur.execute(self._sql("DELETE FROM imported_totals WHERE item_id = ?"), (item_id,))
                deleted += cur.rowcount
        return deleted

    def delete_votes_of_source(self, item_id: str, source: str) -> int:
        """Remove an item's votes of one import source (so re-importing replaces them)."""
        with self.transaction() as cur:
            cur.execute(
                self._sql("DELETE FROM votes WHERE item_id = ? AND source = ?"), (item_id, source)
            )
            return cur.rowcount

    def ping(self) -> None:
        with self.transaction() as cur:
            cur.execute("SELECT 1")
            cur.fetchall()

    def close(self) -> None:  # pragma: no cover - implemented by subclasses
        pass


class SQLiteStore(Store):
    """One connection behind a lock: SQLite writes one at a time anyway; WAL lets readers in."""

    kind = "sqlite"

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if read_only:
            uri = f"file:{self.path}?mode=ro"
            self.connection = sqlite3.connect(
                uri, uri=True, check_same_thread=False, isolation_level=None
            )
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None
            )
            self.connection.execute("PRAGMA journal_mode = WAL")
            # FULL: a vote acknowledged to the reader is on disk, even after a power cut.
            self.connection.execute("PRAGMA synchronous = FULL")
        self.connection.execute("PRAGMA busy_timeout = 10000")
        self.lock = threading.Lock()
        if not read_only:
            self.create_schema()

    @contextmanager
    def transaction(self):
        with self.lock:
            cur = self.connection.cursor()
            in_tx = not self.connection.in_transaction
            if in_tx:
                cur.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                if in_tx:
                    self.connection.rollback()
                raise
            else:
                if in_tx:
                    self.connection.commit()
            finally:
                cur.close()

    def close(self) -> None:
        self.connection.close()


class PostgresStore(Store):
    """A small pool of psycopg connections (one per concurrent request, at most `size`)."""

    kind = "postgresql"
    placeholder = "%s"
    pk = "BIGSERIAL PRIMARY KEY"

    def __init__(self, url: str, size: int = 8):
        import psycopg  # only deployments on PostgreSQL need it loaded

        self._connect = lambda: psycopg.connect(url, autocommit=False)
        self.pool: queue.LifoQueue = queue.LifoQueue()
        self.semaphore = threading.BoundedSemaphore(size)
        self.create_schema()

    @contextmanager
    def transaction(self):
        with self.semaphore:
            try:
                connection = self.pool.get_nowait()
            except queue.Empty:
                connection = self._connect()
            try:
                with connection.cursor() as cur:
                    yield cur
                connection.commit()
            except BaseException:
                try:
                    connection.rollback()
                except Exception:  # a broken connection is dropped below
                    connection.close()
                raise
            finally:
                if not connection.closed:
                    self.pool.put(connection)

    def create_schema(self) -> None:
        # Several instances may start at once: serialise schema creation with an advisory lock.
        with self.transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(727274)")
            for statement in SCHEMA:
                cur.execute(statement.format(pk=self.pk))

    def close(self) -> None:
        while True:
            try:
                self.pool.get_nowait().close()
            except queue.Empty:
                return


def open_store(database: str, read_only: bool = False) -> Store:
    """A store for a SQLite path or a postgresql:// URL."""
    if database.startswith(("postgresql://", "postgres://")):
        return PostgresStore(database)
    return SQLiteStore(database, read_only=read_only)
