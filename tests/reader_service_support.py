"""Helpers for the star ratings tests: a real service on loopback, a throwaway PostgreSQL
cluster, plain HTTP requests, and a small content folder with every kind of rateable item."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import uvicorn
from PIL import Image

from reader_service.app import create_app
from reader_service.config import Settings
from reader_service.server import uvicorn_config
from tests import audio_fixtures as af

ROOT = Path(__file__).resolve().parent.parent
SITE_ORIGIN = "http://127.0.0.1:8000"
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def write_manifest(path: Path, ids: list[str]) -> Path:
    items = [{"id": i, "title": i.title(), "url": f"/{i}/"} for i in ids]
    path.write_text(json.dumps({"version": 1, "items": items}))
    return path


class ServiceThread:
    """The ratings app served by uvicorn in a thread, on a free loopback port."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.app = create_app(settings)
        config = uvicorn_config(self.app, settings, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            assert time.monotonic() < deadline, "the ratings service did not start"
            assert self.thread.is_alive(), "the ratings service thread died"
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    @property
    def store(self):
        return self.app.state.service.store

    def wait_for_item(self, item_id: str, seconds: float = 10) -> None:
        """Until the service knows ``item_id``: it reads a rebuilt site's manifest file within
        a second (manifest.py), and a page loaded before that gets 503 for its live score."""
        deadline = time.monotonic() + seconds
        while self.app.state.service.manifest.get(item_id) is None:
            assert time.monotonic() < deadline, f"the service never saw {item_id} in its manifest"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.store.close()


def request(
    method: str,
    url: str,
    body: bytes | str | dict | None = None,
    headers: dict | None = None,
    origin: str | None = SITE_ORIGIN,
):
    """One HTTP request without following redirects: (status, headers, parsed JSON or text)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = dict(headers or {})
    if origin:
        headers.setdefault("Origin", origin)
    if isinstance(body, dict):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    content_type = response.getheader("content-type", "")
    data = json.loads(raw) if raw and content_type.startswith("application/json") else raw
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def vote(url: str, item: str, score, **kwargs):
    return request("POST", f"{url}/votes", {"item": item, "score": score}, **kwargs)


def eventually(attempt, within: float = 10.0, pause: float = 0.1):
    """Call `attempt` until it returns something true (the manifest is re-read in the
    background: a second for a file); that value, or the last one after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = attempt()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(pause)


# --- PostgreSQL ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_cluster():
    """A throwaway PostgreSQL server (initdb + pg_ctl) on loopback; yields its database URL."""
    assert PG_BIN, "PostgreSQL is missing: `apt-get install postgresql`"
    bin_dir = PG_BIN[-1]
    base = Path(tempfile.mkdtemp(prefix="schitter-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        base.chmod(0o700)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args):
        result = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}\n{result.stderr}"

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=on"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-o",
        options,
        "-l",
        str(base / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


def reset_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "DROP TABLE IF EXISTS votes, imported_totals, scores, address_votes, rate_limits, "
            "service_meta, schema_version, comments, comment_tokens, "
            "course_subscribers"
        )


# --- the service as its own process (for kill -9) ------------------------------------------
class ServiceProcess:
    """`python -m reader_service` as a child process, configured by READER_SERVICE_* variables."""

    def __init__(self, env: dict, port: int = 0):
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.port = port
        self.log: list[str] = []  # everything it wrote to stderr (its log)
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reader_service", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20
        for line in self.process.stderr:
            self.log.append(line)
            found = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                break
            assert time.monotonic() < deadline, "the reader service did not start"
        else:
            raise AssertionError(f"the reader service exited before it listened: {self.log}")
        # Keep reading its log so a full pipe never blocks it.
        threading.Thread(target=self._keep_reading, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.port}"

    def _keep_reading(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def run_service(env: dict, *args: str, module: str = "reader_service", cwd=ROOT):
    """`python -m reader_service …` (or `module`) to its end: the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- content ----------------------------------------------------------------------------------
ARTICLES = {
    "articles/welkom.md": """Title: Welkom </script> bij de community
Date: 2026-01-05 10:00
Category: Communities
Slug: welkom
Summary: Een artikel om te beoordelen.

Tekst van het artikel.
""",
    "articles/verhuisd.md": """Title: Een artikel met een nieuwe slug
Date: 2026-01-06 10:00
Category: Communities
Slug: nieuwe-naam
Rating-Id: oude-naam

Tekst.
""",
    "cursus/les-1.md": """Title: Les 1: Het fundament
Date: 2026-01-07 10:00
Category: Cursus
Slug: les-1-het-fundament
Episode: 1
Audio: audio/les-1.mp3

De eerste les.
""",
    "podcast/aflevering-1.md": """Title: Aflevering 1: Beginnen
Date: 2026-01-08 10:00
Category: Podcast
Slug: aflevering-1
Audio: audio/aflevering-1.mp3

De eerste aflevering.
""",
}
ITEM_IDS = ["aflevering-1", "les-1-het-fundament", "oude-naam", "welkom"]


def make_content(folder: Path) -> Path:
    for name, text in ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    # The site's default link-preview image (sharing checks that it exists).
    (folder / "images").mkdir(exist_ok=True)
    Image.new("RGB", (1200, 630), "teal").save(folder / "images" / "standaard-deelafbeelding.jpg")
    # A lesson and an episode of pelicanconf's two shows (their artwork, their audio): the
    # podcast decides what is a lesson and an episode, and the widget asks for "deze les".
    for cover in ("cursus-cover.jpg", "podcast-cover.jpg"):
        Image.new("RGB", (1400, 1400), "navy").save(folder / "images" / cover)
    for audio in ("les-1.mp3", "aflevering-1.mp3"):
        af.write(folder / "audio" / audio, af.tag(af.encode(2.0, bitrate=32), title=audio))
    # The icons base.html links to, so a browser meets no 404.
    (folder / "extra").mkdir(exist_ok=True)
    (folder / "extra" / "favicon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
    )
    (folder / "extra" / "favicon.ico").write_bytes(
        bytes.fromhex("0000010001000101000001002000300000001600000028000000010000000200")
        + bytes.fromhex("0000010020000000000000000000000000000000000000000000000000000000")
        + bytes(8)
    )
    return folder


@contextmanager
def services_started(folder: Path, ids: list[str], database: str | None = None):
    """``start(**settings)`` for tests: each call starts a ratings service on loopback (SQLite in
    ``folder`` unless ``database`` is given) with those settings changed; all are stopped at
    the end."""
    started: list[ServiceThread] = []

    def start(**changes) -> ServiceThread:
        values = {
            "database": database or str(folder / f"ratings-{len(started)}.sqlite3"),
            "secret": "test-secret-0123456789",
            "site_origin": [SITE_ORIGIN],
            **changes,
        }
        if "manifest" not in changes:
            values["manifest"] = str(write_manifest(folder / "manifest.json", ids))
        settings = Settings(**values)
        started.append(ServiceThread(settings))
        return started[-1]

    try:
        yield start
    finally:
        for running in started:
            running.stop()
