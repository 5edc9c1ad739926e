"""PostgreSQL from the event loop: the statements on a vote's and a read's path, without a thread.

A request that waits for psycopg in a worker thread pays for two hand-overs (to the thread and
back, each a switch of the interpreter lock between threads): on this path that cost more CPU
than the statement itself (issue 12: votes/s against a bare app). So votes and score reads use
asyncio connections of their own (psycopg's `AsyncConnection`, autocommit: one statement, one
round trip, one transaction), at most `size` at a time per instance; everything else (imports,
admin, comments, purges) keeps the store's thread-side pool.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


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
