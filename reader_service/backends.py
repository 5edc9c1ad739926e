"""The two databases behind the store: SQLite (one file, WAL; here) and PostgreSQL (psycopg 3;
postgres.py), and `open_store`, which picks one.

Opening a store checks that it can be used before the service answers anyone: SQLite files are
integrity-checked (`PRAGMA quick_check`: a damaged file with a valid header is refused, not
discovered by the first reader), the schema is migrated, and one real write is committed (a
read-only file system or a read-only role fails here, not on the first vote).
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
import time
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

from .postgres import PostgresStore
from .store import AddressLimit, Score, Store, StoreUnavailable

__all__ = ["PostgresStore", "SQLiteStore", "StoreUnavailable", "is_postgres", "open_store"]


class SQLiteStore(Store):
    """A writer connection behind a lock (SQLite writes one at a time anyway) and a reader
    connection of its own, which WAL lets read while a vote is being written.

    Votes are committed in groups: with synchronous=FULL every commit waits for the disk, so
    one writer thread takes every vote waiting at that moment, runs each in a savepoint of one
    transaction (a refused vote rolls back alone) and commits once. Each vote is answered
    after that commit: a vote acknowledged is still a vote on disk, at a fraction of the fsyncs.
    """

    GROUP = 256  # votes per commit at most

    kind = "sqlite"
    TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"

    def __init__(self, path: str | Path, read_only: bool = False, create: bool = True):
        self.path = Path(path)
        self.read_only = read_only
        if not self.path.exists() and (read_only or not create):
            raise StoreUnavailable(f"{self.path} does not exist (check the path)")
        try:
            if read_only:
                self.connection = self._connect(f"file:{self.path}?mode=ro", uri=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.connection = self._connect(self.path)
                self.connection.execute("PRAGMA journal_mode = WAL")
                # FULL: a vote acknowledged to the reader is on disk, even after a power cut.
                self.connection.execute("PRAGMA synchronous = FULL")
            self.reader = self._connect(f"file:{self.path}?mode=ro", uri=True)
        except (sqlite3.Error, OSError) as error:
            raise StoreUnavailable(f"{self.path}: {error}") from None
        self.lock = threading.Lock()
        self.read_lock = threading.Lock()
        self.pending: queue.SimpleQueue = queue.SimpleQueue()
        self.writer: threading.Thread | None = None
        self.writer_lock = threading.Lock()

    @staticmethod
    def _connect(target, uri: bool = False) -> sqlite3.Connection:
        connection = sqlite3.connect(target, uri=uri, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 10000")
        return connection

    def open(self, now: int | None = None) -> SQLiteStore:
        """Check, migrate and write once; StoreUnavailable when the file is unusable."""
        now = int(time.time()) if now is None else now
        try:
            problems = [row[0] for row in self.connection.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise StoreUnavailable(f"{self.path} is damaged: {'; '.join(problems)}")
            if not self.read_only:
                with self.transaction() as cur:
                    self.migrate(cur, now)
                self.record_start(now)
        except sqlite3.Error as error:
            raise StoreUnavailable(f"{self.path}: {error}") from None
        return self

    @contextmanager
    def transaction(self):
        with self.lock:
            cur = self.connection.cursor()
            cur.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                self.connection.rollback()
                raise
            else:
                self.connection.commit()
            finally:
                cur.close()

    def add_vote(self, *vote, **named):
        answer: Future = Future()
        self._queue(vote, named, answer)
        return answer.result()

    async def vote_async(self, *vote) -> Score | None:
        # No thread of the service waits for the disk: the writer answers the loop's future,
        # the whole group in one call (one wake-up of the loop per commit, not per vote).
        answer = asyncio.get_running_loop().create_future()
        self._queue(vote, {}, answer)
        return await answer

    def _queue(self, vote: tuple, named: dict, answer) -> None:
        """Queue a vote for the next group commit; `answer` (a Future: the thread's or the
        event loop's) gets add_vote's outcome."""
        if self.read_only:
            raise StoreUnavailable(f"{self.path} is open read-only")
        self.pending.put((vote, named, answer))
        with self.writer_lock:
            if self.writer is None or not self.writer.is_alive():
                self.writer = threading.Thread(target=self._write_votes, daemon=True)
                self.writer.start()

    def _write_votes(self) -> None:
        while True:
            try:
                group = [self.pending.get(timeout=5)]
            except queue.Empty:
                with self.writer_lock:  # idle: end; the next vote starts a new writer
                    if self.pending.empty():
                        self.writer = None
                        return
                continue
            while len(group) < self.GROUP:
                try:
                    group.append(self.pending.get_nowait())
                except queue.Empty:
                    break
            outcomes = []
            try:
                with self.transaction() as cur:
                    for vote, named, _ in group:
                        cur.execute("SAVEPOINT vote")
                        try:
                            outcomes.append((True, self.vote_in(cur, *vote, **named)))
                        except (AddressLimit, sqlite3.IntegrityError) as refused:
                            cur.execute("ROLLBACK TO vote")
                            outcomes.append((False, refused))
                        cur.execute("RELEASE vote")
            except BaseException as error:  # noqa: BLE001 - the commit failed: nobody's vote
                outcomes = [(False, error)] * len(group)
            answers = zip((answer for _, _, answer in group), outcomes, strict=True)
            _answer([(answer, *outcome) for answer, outcome in answers])

    @contextmanager
    def reading(self):
        with self.read_lock:
            cur = self.reader.cursor()
            try:
                yield cur
            finally:
                cur.close()

    def close(self) -> None:
        self.reader.close()
        self.connection.close()


def _answer(answers: list) -> None:
    """Settle each (future, stored, outcome): thread futures here, each event loop's futures
    in one call on that loop (asyncio futures may only be touched from their loop)."""
    loops: dict = {}
    for answer in answers:
        if isinstance(answer[0], asyncio.Future):
            loops.setdefault(answer[0].get_loop(), []).append(answer)
        else:
            _settle([answer])
    for loop, settled in loops.items():
        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody is waiting
            loop.call_soon_threadsafe(_settle, settled)


def _settle(answers: list) -> None:
    for future, stored, outcome in answers:
        if future.cancelled():  # the client left; its vote is stored (or not) all the same
            continue
        if stored:
            future.set_result(outcome)
        else:
            future.set_exception(outcome)


def is_postgres(database: str) -> bool:
    return database.startswith(("postgresql://", "postgres://"))


def open_store(database: str, read_only: bool = False, create: bool = True, pool: int = 8) -> Store:
    """A checked, migrated store for a SQLite path or a postgresql:// URL.

    `create=False` refuses a SQLite path that does not exist (the admin CLI: a mistyped path
    must not silently become an empty store). Raises StoreUnavailable.
    """
    if is_postgres(database):
        return PostgresStore(database, size=pool).open()
    store = SQLiteStore(database, read_only=read_only, create=create)
    try:
        return store.open()
    except BaseException:
        store.close()
        raise
