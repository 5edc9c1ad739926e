"""Rate limits: at most `limit` requests of one kind per client network per `window` seconds.

A counter per (action, network) starts at the network's first request and is reset once its
window has passed (a fixed window per network: the first request of a burst opens it, so a
limit of 30 means at most 30 in any window that starts with a request).

Two places to keep the counters, chosen by the database:

- **PostgreSQL**: in the database (an UNLOGGED table), so every instance on it shares one count;
  two instances allow as many votes as one. Far from its limit a network's hits are added to
  the database in batches (at least every SYNC seconds, and only while the count plus what is
  unsent stays under a quarter of the limit); from a quarter of the limit on, every request is
  counted in the database, so the limit itself holds exactly across instances. Expired rows are
  deleted every `window` seconds. A vote's hit that the database must count is counted in the
  vote's own transaction (`pending`: PostgresStore.vote_async), not by a round trip of its own.
- **SQLite** (one instance): in memory, in insertion order, so expired counters are dropped
  from the front in O(1) per request and never scanned. At most `max_networks` counters are
  kept: once that many networks are active within one window, every further network shares one
  overflow counter with the same limit. Memory stays bounded under a flood from many networks;
  the readers who pay are the newcomers during that flood, never the known ones.

Actions are strings ("vote", "read"; comments and sign-ups add their own).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

OVERFLOW = "(overflow)"


@dataclass(frozen=True)
class Limit:
    limit: int
    window: float


class MemoryCounters:
    """Bounded, expiring counters in this process (SQLite deployments: one instance)."""

    shared = False

    def __init__(self, max_networks: int = 100_000):
        self.max_networks = max_networks
        self.longest = 0.0  # the longest window of any action (set by RateLimits)
        self.counters: OrderedDict[tuple[str, str], list] = OrderedDict()  # key → [start, hits]
        self.lock = threading.Lock()

    def hit_here(self, action: str, network: str, window: float, now: float, limit: int = 0):
        return self.hit(action, network, window, now, limit)  # always here: O(1) in memory

    def hit(self, action: str, network: str, window: float, now: float, limit: int = 0) -> int:
        key = (action, network)
        with self.lock:
            self._expire(now, window)
            counter = self.counters.get(key)
            if counter is None:
                if len(self.counters) >= self.max_networks:
                    key = (action, OVERFLOW)
                    counter = self.counters.get(key)
                if counter is None:
                    counter = self.counters[key] = [now, 0]
            elif counter[0] <= now - window:  # (only when the front was not expired yet)
                counter[0], counter[1] = now, 0
                self.counters.move_to_end(key)
            counter[1] += 1
            return counter[1]

    def _expire(self, now: float, window: float) -> None:
        # The oldest start is at the front. Actions may have different windows: a counter is
        # dropped when the longest window has passed; a shorter one is reset on its next hit.
        counters = self.counters
        while counters:
            key, (started, _) = next(iter(counters.items()))
            if started > now - max(window, self.longest):
                break
            del counters[key]


class DatabaseCounters:
    """Counters in the store's database, shared by every instance (PostgreSQL). A counter is
    named by an HMAC of the network, never the network itself (nothing of a reader's address
    is written down)."""

    shared = True
    SYNC = 0.1  # seconds a batch of hits far below the limit may wait before it is counted

    def __init__(self, store, secret: bytes, max_networks: int = 100_000):
        self.store = store
        self.secret = secret
        self.max_networks = max_networks
        self.longest = 0.0
        self.next_expiry = 0.0
        self.lock = threading.Lock()
        # key → [count in the database when last seen, time of that, hits not yet sent]
        self.local: dict[tuple[str, str], list] = {}

    def hit_here(self, action: str, network: str, window: float, now: float, limit: int = 0):
        """The count when this hit can wait in the batch (no database, no thread: the event
        loop may call it); None when only the database can count it (call `hit`)."""
        with self.lock:
            if now >= self.next_expiry:
                return None
            return self._batched(self.local.get((action, network)), now, limit)

    def _batched(self, seen: list | None, now: float, limit: int) -> int | None:
        """Add the hit to the batch when the count is fresh and far below the limit."""
        if seen is not None and now - seen[1] < self.SYNC and (seen[0] + seen[2] + 1) * 4 < limit:
            seen[2] += 1
            return seen[0] + seen[2]
        return None

    def hit(self, action: str, network: str, window: float, now: float, limit: int = 0) -> int:
        self._maybe_expire(now)
        with self.lock:
            batched = self._batched(self.local.get((action, network)), now, limit)
        if batched is not None:
            return batched
        pending = self.pending(action, network, window, now, limit)
        count = self.store.hit(pending.bucket, now, window, pending.count)
        pending.counted(count)
        return count

    def pending(self, action: str, network: str, window: float, now: float, limit: int):
        """This hit and the batch's unsent ones, to be counted in the database (by `hit`, or
        by the transaction of the vote itself: PostgresStore.vote_async)."""
        with self.lock:
            seen = self.local.get((action, network))
            unsent = seen[2] if seen is not None else 0
            if seen is not None:
                seen[2] = 0
        name = hmac.new(self.secret, f"{action}|{network}".encode(), hashlib.sha256)
        bucket = f"{action}|{name.hexdigest()[:32]}"
        return PendingHit(self, (action, network), bucket, now, window, unsent + 1, limit)

    def _counted(self, key: tuple[str, str], count: int, now: float) -> None:
        with self.lock:
            if len(self.local) >= self.max_networks and key not in self.local:
                self.local.clear()  # only a cache of the database's counts: cheap to rebuild
            entry = self.local.setdefault(key, [0, 0.0, 0])
            entry[0], entry[1] = count, now

    def _maybe_expire(self, now: float) -> None:
        with self.lock:
            if now < self.next_expiry:
                return
            self.next_expiry = now + self.longest
        self.store.expire_rate_limits(now - self.longest)


@dataclass
class PendingHit:
    """Hits of one network that only the database can count (DatabaseCounters.pending)."""

    counters: DatabaseCounters
    key: tuple[str, str]
    bucket: str
    now: float
    window: float
    count: int
    limit: int

    def counted(self, count: int) -> None:
        """The database counted them: `count` is the network's count in its window now."""
        self.counters._counted(self.key, count, self.now)


class RateLimits:
    """The limits per action, over one kind of counters."""

    def __init__(self, limits: dict[str, Limit], counters):
        self.limits = limits
        self.counters = counters
        counters.longest = max(limit.window for limit in limits.values())

    def allow_here(self, action: str, network: str, now: float | None = None) -> bool | None:
        """`allow` when it needs no database (the event loop may call it); None when it does:
        then call `allow` in a thread."""
        limit = self.limits[action]
        now = time.time() if now is None else now
        count = self.counters.hit_here(action, network, limit.window, now, limit.limit)
        return None if count is None else count <= limit.limit

    def pending(self, action: str, network: str, now: float | None = None) -> PendingHit | None:
        """When `allow_here` could not tell: the hit for the database to count in the
        request's own transaction; None when it must go through `allow` (in a thread)."""
        limit = self.limits[action]
        now = time.time() if now is None else now
        if not self.counters.shared or now >= self.counters.next_expiry:
            return None  # (the expiry of old counters is due: `allow` does it)
        return self.counters.pending(action, network, limit.window, now, limit.limit)

    def allow(self, action: str, network: str, now: float | None = None) -> bool:
        """Count this request; False when the network is over the action's limit."""
        limit = self.limits[action]
        now = time.time() if now is None else now
        return self.counters.hit(action, network, limit.window, now, limit.limit) <= limit.limit
