"""Issue 12, findings 5–9: a hanging manifest URL freezes nothing, no reader address in any log,
settings checked in one place with secrets never printed, every error the documented JSON, a
store that cannot be used stops the start, and strict request framing and JSON.

Where the database takes part, a test runs on SQLite and on a real PostgreSQL server (the
`database` fixture of conftest.py); settings checks never reach a database."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import re
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from reader_service import admin
from reader_service.backends import open_store
from reader_service.config import ConfigError, Settings, load_settings
from tests.reader_service_support import (
    SITE_ORIGIN,
    ServiceProcess,
    ServiceThread,
    eventually,
    postgres_cluster,
    request,
    reset_postgres,
    run_service,
    services_started,
    vote,
    write_manifest,
)

IDS = ["welkom", "les-1"]
SECRET = "test-secret-0123456789"


@pytest.fixture
def start(tmp_path, database):
    with services_started(tmp_path, IDS, database) as start:
        yield start


def is_postgres(database: str) -> bool:
    return database.startswith("postgresql://")


@contextlib.contextmanager
def sql(database: str):
    """A connection of its own to the service's database, committed at the end (an operator's
    or another program's changes behind the service's back)."""
    if is_postgres(database):
        import psycopg

        with psycopg.connect(database, autocommit=True) as connection:
            yield connection
    else:
        connection = sqlite3.connect(database, isolation_level=None)
        try:
            yield connection
        finally:
            connection.close()


def connect(service) -> socket.socket:
    port = int(service.url.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=10)


# --- finding 5: a manifest URL that hangs -------------------------------------------------
class HangingSite(http.server.ThreadingHTTPServer):
    """Serves the manifest while `answering` is set; otherwise holds every request open."""

    daemon_threads = True

    def __init__(self, manifest: bytes):
        self.manifest = manifest
        self.answering = threading.Event()
        self.answering.set()
        self.released = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler) -> None:  # noqa: N805 - the handler's own self
                if not self.answering.is_set():
                    self.released.wait(30)  # hang (the service gives up long before)
                    return
                handler.send_response(200)
                handler.send_header("Content-Type", "application/json")
                handler.send_header("Content-Length", str(len(self.manifest)))
                handler.end_headers()
                handler.wfile.write(self.manifest)

            def log_message(handler, *args) -> None:  # noqa: N805
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server_address[1]}/ratings/manifest.json"


def test_a_hanging_manifest_url_freezes_nothing_and_health_tells(start):
    items = [{"id": i, "title": i, "url": f"/{i}/"} for i in IDS]
    site = HangingSite(json.dumps({"items": items}).encode())
    try:
        service = start(manifest=site.url, manifest_refresh=1, manifest_max_age=5)
        assert request("GET", f"{service.url}/health")[0] == 200
        site.answering.clear()  # from now on every fetch of the manifest hangs
        status, _, data = eventually(  # a failed refresh is told, the copy still in use
            lambda: "manifest_problem" in (r := request("GET", f"{service.url}/health"))[2] and r
        )
        assert status == 200 and "the last refresh failed" in data["manifest_problem"]
        statuses = []
        for number in range(12):  # over three seconds: several refreshes hang meanwhile
            headers = {"User-Agent": f"reader-{number}"}
            statuses.append(vote(service.url, "welkom", 4, headers=headers)[0])
            statuses.append(request("GET", f"{service.url}/scores/les-1")[0])
            time.sleep(0.25)
        assert statuses.count(201) == 3 and statuses.count(409) == 9  # votes_per_address
        assert statuses[1::2] == [200] * 12  # the last good copy answers every read
        status, _, data = eventually(  # older than manifest_max_age: stale, 503
            lambda: (r := request("GET", f"{service.url}/health"))[0] == 503 and r, within=10
        )
        assert data["error"]["code"] == "manifest_unavailable"
        assert "stale" in data["error"]["message"]
        site.answering.set()  # the site answers again: healthy again, without a restart
        assert eventually(lambda: request("GET", f"{service.url}/health")[0] == 200, within=20)
    finally:
        site.released.set()
        site.shutdown()


@pytest.mark.parametrize("bad", ["[]", '{"items": null}', '{"items": [{"title": "no id"}]}'])
def test_a_bad_manifest_is_a_json_503_and_the_last_good_copy_is_kept(tmp_path, start, bad):
    manifest = tmp_path / "bad-manifest.json"
    manifest.write_text(bad)
    service = start(manifest=str(manifest), manifest_max_age=2)
    status, headers, data = vote(service.url, "welkom", 5)
    assert status == 503 and headers["content-type"] == "application/json"
    assert (
        data["error"]["code"] == "manifest_unavailable" and "manifest" in data["error"]["message"]
    )
    status, _, data = request("GET", f"{service.url}/health")
    assert status == 503 and data["error"]["code"] == "manifest_unavailable"
    assert "not a manifest" in data["error"]["message"] or "has no id" in data["error"]["message"]
    write_manifest(manifest, IDS)
    assert eventually(lambda: request("GET", f"{service.url}/health")[0] == 200)
    manifest.write_text(bad)  # broken again: the items stay votable, health says why
    assert eventually(lambda: "manifest_problem" in request("GET", f"{service.url}/health")[2])
    assert vote(service.url, "welkom", 5)[0] == 201
    assert eventually(lambda: request("GET", f"{service.url}/health")[0] == 503)  # stale
    assert vote(service.url, "les-1", 5)[0] == 201  # still the last good copy


# --- finding 6: readers' addresses in the access log --------------------------------------
def test_no_reader_address_in_any_log_line(tmp_path, database):
    service = ServiceProcess(
        {
            "READER_SERVICE_DATABASE": database,
            "READER_SERVICE_SECRET": SECRET,
            "READER_SERVICE_MANIFEST": str(write_manifest(tmp_path / "m.json", IDS)),
            "READER_SERVICE_TRUSTED_PROXIES": "127.0.0.1",
            "READER_SERVICE_HEADER_TIMEOUT": "1",
        }
    )
    try:
        forwarded = {"X-Forwarded-For": "203.0.113.77"}
        assert vote(service.url, "welkom", 5, headers=forwarded)[0] == 201
        assert vote(service.url, "welkom", 5, headers=forwarded)[0] == 409
        assert request("GET", f"{service.url}/health")[0] == 200
        conn = connect(service)
        conn.sendall(b"GET /hea")  # a 408 is logged too
        conn.settimeout(5)
        assert conn.recv(100).startswith(b"HTTP/1.1 408")
        conn.close()
    finally:
        service.stop()
    time.sleep(0.2)
    log = "".join(service.log)
    assert '"POST /votes HTTP/1.1" 201' in log and '"POST /votes HTTP/1.1" 409' in log
    assert '"GET /health HTTP/1.1" 200' in log and "408" in log
    assert "203.0.113" not in log
    for line in service.log:
        line = line.replace(database, "")  # the start-up line names the PostgreSQL server
        if "running on http://127.0.0.1" not in line:  # uvicorn's own listening address
            assert not re.search(r"\b127\.0\.0\.1\b|\b\d+\.\d+\.\d+\.\d+:\d+", line), line


# --- finding 7: settings that defeat the guards -------------------------------------------
@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"retention_days": -1}, "retention_days (READER_SERVICE_RETENTION_DAYS) = -1"),
        ({"retention_days": 0}, "from 1 to 3650 days"),
        ({"max_body": -1}, "max_body"),
        ({"rate_limit": 0}, "rate_limit"),
        ({"read_rate_limit": "many"}, "read_rate_limit"),
        ({"port": 70000}, "from 0 to 65535"),
        ({"site_origin": []}, "site_origin"),
        ({"site_origin": 5}, "site_origin"),
        ({"trusted_proxies": 5}, "trusted_proxies"),
        ({"votes_per_address": 0.5}, "votes_per_address"),
        ({"access_log": "perhaps"}, "access_log"),
    ],
)
def test_settings_that_defeat_the_guards_are_refused(changes, words):
    with pytest.raises(ConfigError, match=re.escape(words)):
        Settings(**changes)


def test_a_short_secret_is_refused_without_printing_it():
    with pytest.raises(ConfigError) as refused:
        Settings(secret="Zq9-kort")
    assert "at least 16" in str(refused.value) and "Zq9-kort" not in str(refused.value)


def test_the_service_refuses_bad_settings_in_one_line_without_secrets(tmp_path):
    base = {"READER_SERVICE_SECRET_FILE": str(tmp_path / "secret")}
    result = run_service(base, "--port", "70000", cwd=tmp_path)
    assert result.returncode == 2 and "port" in result.stderr and "65535" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    result = run_service({**base, "READER_SERVICE_RETENTION_DAYS": "-1"}, cwd=tmp_path)
    assert result.returncode == 2 and "retention_days" in result.stderr
    url = "postgresql://sanne:Geheim1@127.0.0.1:1/r?password=Geheim2&sslpassword=Geheim3"
    result = run_service({**base, "READER_SERVICE_DATABASE": url}, cwd=tmp_path)
    assert result.returncode == 2 and "cannot use the database" in result.stderr
    assert "Geheim" not in result.stderr and "Traceback" not in result.stderr
    assert "postgresql://sanne:***@127.0.0.1:1/r?password=***" in result.stderr


def test_the_old_ratings_variables_still_work_and_are_reported_deprecated():
    warnings: list[str] = []
    settings = load_settings(
        environ={"RATINGS_RATE_LIMIT": "7", "RATINGS_PORT": "9", "READER_SERVICE_PORT": "10"},
        warnings=warnings,
    )
    assert (settings.rate_limit, settings.port) == (7, 10)  # the new name wins
    assert warnings == [
        "RATINGS_RATE_LIMIT is deprecated; rename it to READER_SERVICE_RATE_LIMIT "
        "(the old name will stop working in a later version)"
    ]


# --- finding 8: errors that are not JSON; stores that cannot be used ------------------------
def test_deep_json_is_a_json_400(start):
    service = start()
    for body in ("[" * 1000 + "]" * 1000, '{"item": "welkom", "score": 5, "x": [[[[[1]]]]]}'):
        status, headers, data = request(
            "POST", f"{service.url}/votes", body, headers={"Content-Type": "application/json"}
        )
        assert (status, headers["content-type"]) == (400, "application/json")
        assert "nests deeper" in data["error"]["message"]
    assert service.store.votes() == []


SECRET_WORDS = "disk on fire at /srv/geheim"  # what the database says; never a reader's


def assert_documented_error(answer, status: int, code: str, message: str) -> None:
    """Exactly the documented JSON body, as JSON, and nothing of the exception behind it."""
    got, headers, data = answer
    assert (got, headers["content-type"]) == (status, "application/json"), answer
    assert data == {"error": {"status": status, "code": code, "message": message}}
    assert headers["cache-control"] == "no-store"


DOWN = (503, "database_unavailable", "the database is unavailable")
OUR_BUG = (500, "internal_error", "something went wrong on our side")


def test_a_database_failing_during_requests_answers_the_documented_json(start, database):
    service = start()
    assert vote(service.url, "welkom", 5)[0] == 201
    # 1. Every write fails inside the database: a trigger raises while the vote is stored.
    with sql(database) as db:
        if is_postgres(database):
            db.execute(
                "CREATE OR REPLACE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$BEGIN RAISE EXCEPTION '{SECRET_WORDS}'; END$$"
            )
            db.execute(
                "CREATE TRIGGER fail BEFORE INSERT OR UPDATE ON scores "
                "FOR EACH ROW EXECUTE FUNCTION fail()"
            )
        else:
            for event in ("INSERT", "UPDATE"):
                db.execute(
                    f"CREATE TRIGGER fail_{event} BEFORE {event} ON scores "
                    f"BEGIN SELECT RAISE(ABORT, '{SECRET_WORDS}'); END"
                )
    for number in range(3):  # a new item's row and an existing one's; the writer survives
        answer = vote(
            service.url, ("welkom", "les-1")[number % 2], 4, headers={"User-Agent": f"{number}"}
        )
        assert_documented_error(answer, *DOWN)
    assert len(service.store.votes()) == 1  # the failed votes left nothing behind
    # 2. Reads fail inside the database: the table is gone while the service runs.
    with sql(database) as db:
        if is_postgres(database):
            db.execute("DROP TRIGGER fail ON scores")
        else:
            db.execute("DROP TRIGGER fail_INSERT")
            db.execute("DROP TRIGGER fail_UPDATE")
        db.execute("ALTER TABLE scores RENAME TO scores_away")
    for path in ("/scores/welkom", "/scores"):
        assert_documented_error(request("GET", service.url + path), *DOWN)
    # 3. The database answers, with what no store of ours wrote: our code fails, a real 500.
    with sql(database) as db:
        db.execute("ALTER TABLE scores_away RENAME TO scores")
        if is_postgres(database):
            db.execute("ALTER TABLE scores ALTER COLUMN count TYPE TEXT")
        db.execute("UPDATE scores SET count = 'veel' WHERE item_id = 'welkom'")
    assert_documented_error(request("GET", f"{service.url}/scores/welkom"), *OUR_BUG)
    # The database healed: the same running service answers again.
    with sql(database) as db:
        db.execute("UPDATE scores SET count = '1' WHERE item_id = 'welkom'")
    assert request("GET", f"{service.url}/scores/welkom")[2]["count"] == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request, tmp_path):
    """A database this test alone may bring down: a SQLite file, or a PostgreSQL server of its
    own (stopping the shared one would stop the other tests' database)."""
    if request.param == "sqlite":
        yield str(tmp_path / "down.sqlite3"), None
        return
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(postgres_cluster()), stack


def test_a_database_that_goes_down_answers_json_503_and_health_tells(tmp_path, own_database):
    database, cluster = own_database
    service = ServiceThread(
        Settings(
            database=database,
            secret=SECRET,
            manifest=str(write_manifest(tmp_path / "m.json", IDS)),
            site_origin=[SITE_ORIGIN],
        )
    )
    try:
        assert vote(service.url, "welkom", 5)[0] == 201
        assert request("GET", f"{service.url}/health")[0] == 200
        if cluster is not None:
            cluster.close()  # the PostgreSQL server is stopped (pg_ctl stop -m immediate)
        else:
            with sql(database) as db:  # the SQLite file loses what the service needs
                db.execute("DROP TABLE scores")
                db.execute("DROP TABLE schema_version")
        for answer in (
            vote(service.url, "welkom", 4, headers={"User-Agent": "b"}),
            request("GET", f"{service.url}/scores/welkom"),
            request("GET", f"{service.url}/health"),
        ):
            assert_documented_error(answer, *DOWN)
            assert answer[1]["retry-after"] == "30"
    finally:
        service.stop()


def refuses_to_start(tmp_path: Path, database: str, *words: str) -> None:
    env = {
        "READER_SERVICE_DATABASE": database,
        "READER_SERVICE_SECRET": SECRET,
        "READER_SERVICE_MANIFEST": str(write_manifest(tmp_path / "m.json", IDS)),
    }
    result = run_service(env, "--port", "0")
    assert result.returncode == 2, result.stderr
    assert "cannot use the database" in result.stderr and "Traceback" not in result.stderr
    assert any(word in result.stderr for word in words), result.stderr


def test_a_damaged_sqlite_file_with_a_valid_header_stops_the_start(tmp_path):
    database = tmp_path / "damaged.sqlite3"
    store = open_store(str(database))
    for number in range(3000):
        store.add_vote("welkom", number % 5 + 1, f"voter-{number}-" + "x" * 60, 1_700_000_000)
    store.close()
    data = bytearray(database.read_bytes())
    assert data.startswith(b"SQLite format 3\x00") and len(data) > 40000
    data[20000:36000] = b"\xa5" * 16000  # pages in the middle, the header intact
    database.write_bytes(bytes(data))
    refuses_to_start(tmp_path, str(database), "damaged", "malformed")


def test_a_store_on_a_read_only_file_system_stops_the_start(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = os.geteuid() == 0
    if mounted:  # root may write anything: a file system mounted read-only stops even root
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "none", str(folder)], check=True)
    try:
        open_store(str(folder / "r.sqlite3")).close()
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            for path in (folder, *folder.iterdir()):
                path.chmod(0o555 if path.is_dir() else 0o444)
        refuses_to_start(
            tmp_path, str(folder / "r.sqlite3"), "readonly", "read-only", "unable to open"
        )
        refuses_to_start(tmp_path, str(tmp_path), "unable to open", "directory")  # a folder
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_a_read_only_postgresql_role_stops_the_start(tmp_path, postgres_url):
    reset_postgres(postgres_url)
    open_store(postgres_url).close()  # a migrated store, which this role may only read
    with sql(postgres_url) as db:
        db.execute("DROP ROLE IF EXISTS lezer")
        db.execute("CREATE ROLE lezer LOGIN")
        db.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO lezer")
    reader = postgres_url.replace("postgres@", "lezer@", 1)
    refuses_to_start(tmp_path, reader, "permission denied")


def test_admin_refuses_a_missing_store_and_an_unwritable_export(tmp_path, capsys):
    missing = tmp_path / "tpyo.sqlite3"
    assert admin.main(["--database", str(missing), "stats"], out=io.StringIO()) == 2
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
    database = str(tmp_path / "r.sqlite3")
    open_store(database).close()
    target = tmp_path / "no-such-folder" / "votes.csv"
    result = run_service(
        {}, "--database", database, "export", "--output", str(target), module="reader_service.admin"
    )
    assert result.returncode == 2 and f"cannot write {target}" in result.stderr
    assert "Traceback" not in result.stderr


# --- finding 9: request framing and duplicate keys ----------------------------------------
def test_content_length_with_transfer_encoding_is_400_and_the_connection_closed(start):
    service = start()
    body = b'{"item":"welkom","score":3}'
    conn = connect(service)
    conn.sendall(
        b"POST /votes HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + SITE_ORIGIN.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"
        b"\r\n" + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"  # smuggled behind it: never served
    )
    received = b""
    while chunk := conn.recv(4096):  # until the service closes the connection
        received += chunk
    conn.close()
    head, _, rest = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ") and b"connection: close" in head.lower()
    assert json.loads(rest)["error"]["code"] == "bad_request"
    assert b"HTTP/1.1 200" not in received
    assert service.store.votes() == []


def test_duplicate_json_keys_are_refused(start):
    service = start()
    status, _, data = request(
        "POST",
        f"{service.url}/votes",
        '{"item": "welkom", "score": 5, "score": 1}',
        headers={"Content-Type": "application/json"},
    )
    assert status == 400 and "score" in data["error"]["message"]
    assert service.store.votes() == []
