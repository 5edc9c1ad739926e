"""The two databases behind the store: SQLite (one file, WAL; here) and PostgreSQL (psycopg 3;
postgres.py), and `open_store`, which picks one.

Opening a store checks that it can be used before the service answers anyone: SQLite files are
integrity-checked (`PRAGMA quick_check`: a damaged file with a valid header is refused, not
discovered by the first reader), the schema is migrated, and one real write is committed (a
read-only file system or a read-only role fails here, not on the first vote).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager
from pathlib import Path

from .postgres import PostgresStore
from .store import AddressLimit, Score, Store, StoreUnavailable

__all__ = ["PostgresStore", "SQLiteStore", "StoreUnavailable", "is_postgres", "open_store"]


BUSY_TIMEOUT_MS = 10000  # how long a thread waits for another process's write lock


class SQLiteStore(Store):
    """A writer connection behind a lock (SQLite writes one at a time anyway) and reader
    connections of their own, which WAL lets read while a vote is being written.

    The service's votes (`vote_async`) are committed in groups: with synchronous=FULL every
    commit waits for the disk, so the votes that arrive while one group commits wait and go
    together into the next transaction, each in a savepoint (a refused vote rolls back alone),
    with one commit. Each vote is answered after that commit: a vote acknowledged is still a
    vote on disk, at a fraction of the fsyncs. (`add_vote`, from a thread: one transaction.)

    From the event loop (`vote_async`, `score_async`) the statements run on the loop itself
    and only the commit, which waits for the disk, in a thread: a vote's statements take
    microseconds, while handing each to a thread made the two threads take turns at the GIL
    for every statement (about half a vote's CPU time). A write lock that another process
    holds (a second instance, the admin CLI) is never waited for on the loop: a thread waits
    for it, up to the busy timeout. Reads on the loop use a connection that never waits
    either; a busy one reads in a thread.
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
            self.loop_reader = self._connect(f"file:{self.path}?mode=ro", uri=True, wait=False)
        except (sqlite3.Error, OSError) as error:
            raise StoreUnavailable(f"{self.path}: {error}") from None
        self.lock = threading.Lock()
        self.read_lock = threading.Lock()
        # Per event loop, the votes for its next group, (vote, future); a loop is a key
        # while a group of its votes is open or committing.
        self.waiting: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.loop_read_lock = threading.Lock()
        self.commits = 0  # transactions that stored votes (tests: votes share commits)

    @staticmethod
    def _connect(target, uri: bool = False, wait: bool = True) -> sqlite3.Connection:
        connection = sqlite3.connect(target, uri=uri, check_same_thread=False, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS if wait else 0}")
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

    async def vote_async(self, *vote) -> Score | None:
        if self.read_only:
            raise StoreUnavailable(f"{self.path} is open read-only")
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        waiting = self.waiting.get(loop)
        if waiting is None:
            self.waiting[loop] = waiting = []
            # After the other requests of this turn of the loop: their votes join the group.
            loop.call_soon(self._next_group, loop)
        waiting.append((vote, answer))
        return await answer

    def _next_group(self, loop: asyncio.AbstractEventLoop) -> None:
        """Open a transaction for the waiting votes: here, or in a thread when the write lock
        is taken; the group is what waits once the transaction is open (votes that came while
        another instance held the lock join it)."""
        if not self.waiting[loop]:
            del self.waiting[loop]
            return
        if self._begin_here():
            self._run_group(loop, self._take(loop))
            return

        def begun_or_not(done) -> None:
            if done.exception() is None:
                self._run_group(loop, self._take(loop))
            else:  # the lock stayed taken past the busy timeout, or the file failed
                _settle([(future, False, done.exception()) for _, future in self._take(loop)])
                self._next_group(loop)

        loop.run_in_executor(None, self._begin_waiting).add_done_callback(begun_or_not)

    def _take(self, loop: asyncio.AbstractEventLoop) -> list:
        waiting = self.waiting[loop]
        group = waiting[: self.GROUP]
        del waiting[: self.GROUP]
        return group

    def _run_group(self, loop: asyncio.AbstractEventLoop, group: list) -> None:
        """The group's statements in the open transaction, here; the commit in a thread."""
        try:
            outcomes = self._votes_in(group)
        except BaseException as error:  # noqa: BLE001 - a statement failed: nobody's vote
            self._roll_back()
            _settle([(future, False, error) for _, future in group])
            self._next_group(loop)
            return

        def committed_or_not(done) -> None:
            error = done.exception()
            stored = [(False, error)] * len(group) if error else outcomes
            futures = (future for _, future in group)
            _settle([(future, *outcome) for future, outcome in zip(futures, stored, strict=True)])
            self._next_group(loop)

        loop.run_in_executor(None, self._commit).add_done_callback(committed_or_not)

    def _begin_here(self) -> bool:
        """The write lock, without waiting: False when a thread of ours or another process
        holds it."""
        if not self.lock.acquire(blocking=False):
            return False
        try:
            self.connection.execute("PRAGMA busy_timeout = 0")
            try:
                self.connection.execute("BEGIN IMMEDIATE")
            finally:
                self.connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except sqlite3.OperationalError as error:
            self.lock.release()
            if _busy(error):  # another process writes
                return False
            raise
        except BaseException:
            self.lock.release()
            raise
        return True

    def _begin_waiting(self) -> None:
        """The write lock, waiting for it (in a thread), up to the busy timeout."""
        self.lock.acquire()
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.lock.release()
            raise

    def _commit(self) -> None:
        try:
            self.connection.commit()
            self.commits += 1
        except BaseException:
            self.connection.rollback()
            raise
        finally:
            self.lock.release()

    def _roll_back(self) -> None:
        try:
            self.connection.rollback()
        finally:
            self.lock.release()

    def _votes_in(self, group: list) -> list:
        """Each vote of the group in a savepoint of the open transaction: (stored, outcome)."""
        outcomes = []
        cur = self.connection.cursor()
        try:
            for vote, _ in group:
                cur.execute("SAVEPOINT vote")
                try:
                    outcomes.append((True, self.vote_in(cur, *vote)))
                except (AddressLimit, sqlite3.IntegrityError) as refused:
                    cur.execute("ROLLBACK TO vote")
                    outcomes.append((False, refused))
                cur.execute("RELEASE vote")
        finally:
            cur.close()
        return outcomes

    async def score_async(self, item_id: str) -> Score:
        if self.loop_read_lock.acquire(blocking=False):  # free unless another loop reads
            try:
                row = self.loop_reader.execute(self.SCORE, (item_id,)).fetchone()
                return Score.from_row(row) if row else Score()
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
            finally:
                self.loop_read_lock.release()
        return await super().score_async(item_id)  # busy: a thread waits for it

    @contextmanager
    def reading(self):
        with self.read_lock:
            cur = self.reader.cursor()
            try:
                yield cur
            finally:
                cur.close()

    def close(self) -> None:
        self.loop_reader.close()
        self.reader.close()
        self.connection.close()


def _busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection has the lock (worth waiting for)."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


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
