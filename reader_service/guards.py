"""The guard section: who is sending, from where, how often, what — the checks in one place.

- client address: the socket peer, or the last untrusted hop of X-Forwarded-For when (and only
  when) the peer is one of the configured trusted proxies;
- reader address: the client address, except that an IPv6 address counts as its /64 (one
  household or phone network; privacy addresses rotate inside it);
- voter key: HMAC-SHA256(secret, item | reader address | user agent): one vote per browser;
  the raw address is never stored;
- address key: HMAC-SHA256(secret, "address" | item | reader address): **one address with many
  user agents** still casts at most `votes_per_address` votes per item (default 3: a family or
  an office behind one address can all vote, a script cycling user agents cannot);
- rate limits per client network (/24 IPv4, /48 IPv6): limits.py;
- origin: form posts and JSON votes must come from the site's origin (Origin, else Referer);
- the body: strict JSON (no duplicate keys, nesting at most MAX_JSON_DEPTH); the vote an
  integer 1–5 and nothing else ("5", 4.5, true are refused).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import json
from urllib.parse import urlsplit

# Parsing addresses with ipaddress costs more than the rest of a vote's guards together; the
# same readers come back, so the pure address functions below keep their recent answers.
_remember = functools.lru_cache(maxsize=16384)

MAX_JSON_DEPTH = 4  # a vote is one object; comments may nest a little, never 1,000 deep


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
        if _parsed(hop) is None:
            return address
        if not _is_trusted(hop, proxies):
            return hop
        address = hop
    return address


@_remember
def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address parsed once (an IPv4-mapped IPv6 address as its IPv4 address); None when
    it is not an IP address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _is_trusted(address: str, proxies: list) -> bool:
    return bool(proxies) and _trusted(address, tuple(proxies))


@_remember
def _trusted(address: str, proxies: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)  # as written: a mapped address is not its IPv4 one
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def _prefix(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, bits: int) -> str:
    """The network of `bits` bits around `ip`, written as ipaddress writes it ("a.b.c.0/24")."""
    mask = ((1 << bits) - 1) << (ip.max_prefixlen - bits)
    return f"{type(ip)(int(ip) & mask)}/{bits}"


@_remember
def client_network(address: str) -> str:
    """The network a rate limit counts per: /24 for IPv4, /48 for IPv6."""
    ip = _parsed(address)
    if ip is None:
        return address
    return _prefix(ip, 24 if ip.version == 4 else 48)


@_remember
def reader_address(address: str) -> str:
    """What identifies one reader's connection: the address, an IPv6 one as its /64."""
    ip = _parsed(address)
    if ip is None:
        return address
    return _prefix(ip, 64) if ip.version == 6 else str(ip)


def voter_key(secret: bytes, item_id: str, address: str, user_agent: str) -> str:
    message = f"{item_id}|{reader_address(address)}|{user_agent}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def address_key(secret: bytes, item_id: str, address: str) -> str:
    message = f"address|{item_id}|{reader_address(address)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _no_duplicates(pairs: list) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        twice = sorted({key for key in keys if keys.count(key) > 1})
        raise Refused(400, "bad_request", f"the JSON repeats the key(s) {', '.join(twice)}")
    return dict(pairs)


def _depth(text: str) -> int:
    """How deep arrays and objects nest (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def strict_json(body: bytes):
    """Parse a request body: UTF-8 JSON, no duplicate keys, nesting at most MAX_JSON_DEPTH."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "bad_request", "the body is not UTF-8") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise Refused(400, "bad_request", f"the JSON nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except ValueError:
        raise Refused(400, "bad_request", "the body is not valid JSON") from None


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
