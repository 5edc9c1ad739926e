"""The site's manifest of items readers may rate: refreshed in the background, never on a request.

The manifest (`ratings/manifest.json`, written by the build) is a file path or a URL. One
thread re-reads it: a file every FILE_INTERVAL seconds (cheap: only when its size or time
changed), a URL every `manifest_refresh` seconds. A read that fails or returns something that
is not a manifest keeps the last good copy; a URL is then retried with exponential backoff (up
to `manifest_refresh` × 8). Requests only look at the last good copy, so a manifest URL that hangs
or answers garbage can never hold up a vote, a score or /health. (A file is simply checked
every second: a rebuilt site's new items can be voted on a second later.)

`status()` is what /health reports: 503 when the manifest is missing (never read) or stale
(the last good read is older than `manifest_max_age`); a failed refresh while a recent copy is
in use is reported in the 200 answer (a manifest URL that fails once does not take every
instance out of a load balancer at the same moment).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

FILE_INTERVAL = 1.0
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    url: str


class ManifestError(ValueError):
    """The manifest could not be read or is not a manifest."""


def parse_manifest(data) -> dict[str, Item]:
    """Items by id; ManifestError for anything that is not `{"items": [{"id": …}, …]}`."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ManifestError('not a manifest: expected {"items": [{"id": …, "url": …}, …]}')
    items = {}
    for number, entry in enumerate(data["items"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise ManifestError(f"items[{number}] has no id")
        title, url = entry.get("title", ""), entry.get("url", "")
        if not isinstance(title, str) or not isinstance(url, str):
            raise ManifestError(f"items[{number}]: title and url must be text")
        items[entry["id"]] = Item(entry["id"], title, url)
    return items


def fetch_url(url: str, timeout: float) -> bytes:
    """The body, within `timeout` seconds overall (a server trickling bytes is cut off too)."""
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            raise ManifestError(f"HTTP {response.status}")
        body = b""
        while chunk := response.read(65536):
            body += chunk
            if len(body) > MAX_BYTES:
                raise ManifestError(f"larger than {MAX_BYTES} bytes")
            if time.monotonic() > deadline:
                raise ManifestError(f"not complete within {timeout:g} s")
    return body


class Manifest:
    """The last good copy of the manifest, and the thread that keeps it fresh."""

    def __init__(self, source: str, refresh: float = 60.0, max_age: float = 900.0, parse=None):
        self.source = source
        self.parse = parse or parse_manifest  # comments read their own manifest's fields
        self.is_url = source.startswith(("http://", "https://"))
        self.interval = refresh if self.is_url else FILE_INTERVAL
        self.timeout = min(10.0, refresh)
        self.max_age = max_age
        self.items: dict[str, Item] | None = None  # None: never read successfully
        self.document: object = None  # the last good manifest as read (e.g. its "answer")
        self.last_good = 0.0  # time.monotonic() of the last successful read or check
        self.error: str | None = None
        self._stamp: object = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- what requests use --------------------------------------------------------------
    @property
    def available(self) -> bool:
        return self.items is not None

    def get(self, item_id: str) -> Item | None:
        items = self.items
        return items.get(item_id) if items is not None else None

    def status(self) -> tuple[bool, str | None]:
        """(usable, problem): unusable when never read or older than max_age; a problem also
        when the last refresh failed while a recent good copy is still in use."""
        if self.items is None:
            why = self.error or "not read yet"
            return False, f"the site's manifest {self.source} is unavailable: {why}"
        age = time.monotonic() - self.last_good
        if age > self.max_age:
            return False, f"the site's manifest is stale: read {age:.0f} s ago ({self.error})"
        if self.error:
            return (
                True,
                f"the last refresh failed ({self.error}); using the copy of {age:.0f} s ago",
            )
        return True, None

    # --- refreshing ---------------------------------------------------------------------
    def refresh(self) -> bool:
        """Read the source once; True when it gave a good manifest (new or unchanged)."""
        try:
            if self.is_url:
                data = json.loads(fetch_url(self.source, self.timeout))
            else:
                path = Path(self.source)
                stat = path.stat()
                stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
                if stamp == self._stamp and self.items is not None:
                    self.last_good = time.monotonic()
                    return True
                data = json.loads(path.read_bytes())
                self._stamp = stamp
            self.items = self.parse(data)
            self.document = data
        except (OSError, ValueError) as error:  # ManifestError, JSON, HTTP and socket errors
            self.error = str(error) or type(error).__name__
            self._stamp = None
            return False
        self.last_good = time.monotonic()
        self.error = None
        return True

    def start(self) -> None:
        self.refresh()
        self._thread = threading.Thread(target=self._run, name="manifest", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        delay = self.interval
        while not self._stop.wait(delay):
            if self.refresh() or not self.is_url:
                delay = self.interval  # (a file costs a stat: no reason to back off)
            else:  # back off, but keep trying at least every 8 intervals
                delay = min(delay * 2, self.interval * 8)
