"""The guard section: who is voting, from where, how often, for what — all checks in one place.

- client address: the socket peer, or the last untrusted hop of X-Forwarded-For when (and only
  when) the peer is one of the configured trusted proxies;
- voter key: HMAC-SHA256(secret, item | address | user agent) — the raw address is never stored;
- rate limit: a sliding window per client network (/24 for IPv4, /48 for IPv6), in memory;
- origin: form posts and JSON votes must come from the site's origin (Origin, else Referer);
- the manifest: only ids the site published can be voted on;
- the vote itself: an integer 1–5 and nothing else ("5", 4.5, true are refused).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import threading
import time
import urllib.request
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class Refused(Exception):
    """A request the service turns down: HTTP status, machine-readable code, English text."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def client_address(peer: str | None, forwarded_for: str | None, proxies: list) -> str:
    """The reader's address; X-Forwarded-For only counts when it comes from a trusted proxy."""
    address = peer or "0.0.0.0"
    if not forwarded_for or not _is_trusted(address, proxies):
        return address
    # Walk from the nearest hop back; the first address that is not one of our proxies is
    # the client (anything further left was written by the client and proves nothing).
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address
        if not _is_trusted(hop, proxies):
            return hop
        address = hop
    return address


def _is_trusted(address: str, proxies: list) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_network(address: str) -> str:
    """The network a rate limit counts per: /24 for IPv4, /48 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def voter_key(secret: bytes, item_id: str, address: str, user_agent: str) -> str:
    message = f"{item_id}|{address}|{user_agent}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


class RateLimiter:
    """At most `limit` events per `window` seconds per key (a sliding window, in memory)."""

    def __init__(self, limit: int, window: float):
        self.limit = limit
        self.window = window
        self.events: dict[str, deque] = {}
        self.lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self.lock:
            events = self.events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self.events) > 100_000:  # forget idle networks so memory stays bounded
                for idle in [k for k, v in self.events.items() if not v]:
                    del self.events[idle]
            return True


def check_origin(origin: str | None, referer: str | None, allowed: list[str]) -> None:
    """Refuse a vote that does not come from the site (CSRF from other sites)."""
    if origin and origin != "null":
        if origin.rstrip("/") in allowed:
            return
        raise Refused(403, "foreign_origin", f"votes from {origin} are not accepted")
    if referer:
        parts = urlsplit(referer)
        if f"{parts.scheme}://{parts.netloc}" in allowed:
            return
        raise Refused(403, "foreign_origin", "votes from other sites are not accepted")
    raise Refused(403, "foreign_origin", "a vote needs an Origin or Referer header of the site")


def parse_score(value) -> int:
    """Only a JSON integer 1–5 (bool is an int subclass in Python: refused explicitly)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(422, "invalid_score", "score must be a whole number from 1 to 5")
    if not 1 <= value <= 5:
        raise Refused(422, "invalid_score", "score must be a whole number from 1 to 5")
    return value


def parse_form_score(value: str | None) -> int:
    """A form sends text; only the exact digits 1–5 count."""
    if value is None or value not in {"1", "2", "3", "4", "5"}:
        raise Refused(422, "invalid_score", "choose from 1 to 5 stars")
    return int(value)


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    url: str


class Manifest:
    """The site's rateable items, read from the file (re-read when it changes) or a URL."""

    url_ttl = 60.0

    def __init__(self, source: str):
        self.source = source
        self.items: dict[str, Item] = {}
        self._stamp: object = None
        self._fetched = 0.0
        self.lock = threading.Lock()

    def _load(self) -> None:
        if self.source.startswith(("http://", "https://")):
            if self._stamp is not None and time.monotonic() - self._fetched < self.url_ttl:
                return
            with urllib.request.urlopen(self.source, timeout=10) as response:
                data = json.load(response)
            self._fetched = time.monotonic()
            self._stamp = self._fetched
        else:
            path = Path(self.source)
            stat = path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp == self._stamp:
                return
            data = json.loads(path.read_text(encoding="utf-8"))
            self._stamp = stamp
        self.items = {
            entry["id"]: Item(entry["id"], entry.get("title", ""), entry.get("url", ""))
            for entry in data.get("items", [])
        }

    def get(self, item_id: str) -> Item | None:
        with self.lock:
            try:
                self._load()
            except (OSError, ValueError, KeyError) as error:
                if not self.items:
                    raise Refused(
                        503, "manifest_unavailable", f"the site's item list is unavailable: {error}"
                    ) from None
        return self.items.get(item_id)
