"""The ratings service over real HTTP on 127.0.0.1, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import sqlite3

import pytest

from reader_service.backends import open_store
from reader_service.config import ConfigError, Settings, load_settings
from reader_service.guards import client_address, client_network
from tests.reader_service_support import (
    ROOT,
    SITE_ORIGIN,
    ServiceThread,
    eventually,
    request,
    reset_postgres,
    services_started,
    vote,
    write_manifest,
)

IDS = ["welkom", "les-1-het-fundament", "aflevering-1"]


@pytest.fixture
def make_service(tmp_path, database):
    with services_started(tmp_path, IDS, database) as start:
        yield start


@pytest.fixture
def service(make_service):
    return make_service()


def score_of(service, item):
    status, _, data = request("GET", f"{service.url}/scores/{item}")
    assert status == 200
    return data


def test_a_vote_is_stored_and_scored(service):
    status, headers, data = vote(service.url, "welkom", 4)
    assert status == 201, data
    assert data["count"] == 1 and data["sum"] == 4 and data["average"] == 4.0
    assert data["distribution"]["4"] == 1
    assert headers["access-control-allow-origin"] == SITE_ORIGIN
    vote(service.url, "welkom", 5, headers={"User-Agent": "another browser"})
    assert score_of(service, "welkom")["average"] == 4.5
    status, _, snapshot = request("GET", f"{service.url}/scores")
    assert status == 200
    assert snapshot["items"]["welkom"]["count"] == 2


def test_a_second_vote_of_the_same_reader_is_refused(service):
    assert vote(service.url, "welkom", 5)[0] == 201
    status, _, data = vote(service.url, "welkom", 1)
    assert status == 409 and data["error"]["code"] == "already_voted"
    assert score_of(service, "welkom")["sum"] == 5
    assert score_of(service, "welkom")["count"] == 1
    # The same reader may still rate another item.
    assert vote(service.url, "aflevering-1", 3)[0] == 201


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"item": "welkom", "score": 0}, 422),
        ({"item": "welkom", "score": 6}, 422),
        ({"item": "welkom", "score": "5"}, 422),
        ({"item": "welkom", "score": 4.5}, 422),
        ({"item": "welkom", "score": 5.0}, 422),
        ({"item": "welkom", "score": True}, 422),
        ({"item": "welkom", "score": None}, 422),
        ({"item": "niet-bestaand", "score": 5}, 404),
        ({"item": 5, "score": 5}, 400),
        ({"score": 5}, 400),
        ("[1, 2]", 400),
        ("{not json", 400),
        ("x" * 5000, 413),
    ],
)
def test_bad_votes_are_refused_and_nothing_is_stored(service, body, status):
    headers = {"Content-Type": "application/json"}
    got, _, data = request("POST", f"{service.url}/votes", body, headers=headers)
    assert got == status, data
    assert data["error"]["status"] == status and data["error"]["message"]
    assert service.store.votes() == []


def test_a_huge_body_without_content_length_is_refused(service):
    def chunks():
        for _ in range(100):
            yield b'{"item": "welkom", "score": 5, "padding": "' + b"x" * 1000 + b'"}'

    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", int(service.url.rsplit(":", 1)[1]))
    connection.request(
        "POST",
        "/votes",
        body=chunks(),
        headers={"Content-Type": "application/json", "Origin": SITE_ORIGIN},
        encode_chunked=True,
    )
    response = connection.getresponse()
    assert response.status == 413
    connection.close()
    assert service.store.votes() == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "http://127.0.0.1:8000.evil.example"},
        {"Referer": "https://evil.example/page"},
        {},
    ],
)
def test_votes_from_other_sites_are_refused(service, headers):
    for content_type, body in [
        ("application/json", json.dumps({"item": "welkom", "score": 5})),
        ("application/x-www-form-urlencoded", "item=welkom&score=5"),
    ]:
        status, _, data = request(
            "POST",
            f"{service.url}/votes",
            body,
            headers={"Content-Type": content_type, **headers},
            origin=None,
        )
        assert status == 403, data
        assert data["error"]["code"] == "foreign_origin"
    assert service.store.votes() == []


def test_cors_allows_only_the_site(service):
    allowed = request(
        "OPTIONS",
        f"{service.url}/votes",
        headers={
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert allowed[0] == 200 and allowed[1]["access-control-allow-origin"] == SITE_ORIGIN
    foreign = request(
        "OPTIONS",
        f"{service.url}/votes",
        headers={"Access-Control-Request-Method": "POST"},
        origin="https://evil.example",
    )
    assert foreign[0] == 400
    assert "access-control-allow-origin" not in foreign[1]
    status, headers, _ = request(
        "GET", f"{service.url}/scores/welkom", origin="https://evil.example"
    )
    assert status == 200 and "access-control-allow-origin" not in headers


def test_form_post_without_javascript_redirects_back_to_the_article(service):
    form = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": SITE_ORIGIN + "/welkom/",
    }
    status, headers, _ = request(
        "POST", f"{service.url}/votes", "item=welkom&score=4", headers=form, origin=None
    )
    assert status == 303
    assert headers["location"] == f"{SITE_ORIGIN}/welkom/#bedankt"
    assert score_of(service, "welkom")["count"] == 1
    status, headers, _ = request(
        "POST", f"{service.url}/votes", "item=welkom&score=2", headers=form, origin=None
    )
    assert (status, headers["location"]) == (303, f"{SITE_ORIGIN}/welkom/#al-gestemd")
    status, headers, _ = request(
        "POST", f"{service.url}/votes", "item=les-1-het-fundament", headers=form, origin=None
    )
    assert (status, headers["location"]) == (
        303,
        f"{SITE_ORIGIN}/les-1-het-fundament/#stem-mislukt",
    )
    status, headers, _ = request(
        "POST", f"{service.url}/votes", "item=welkom&score=4.0", headers=form, origin=None
    )
    assert headers["location"].endswith("#al-gestemd") or headers["location"].endswith(
        "#stem-mislukt"
    )
    assert score_of(service, "welkom")["sum"] == 4


def test_rate_limit_per_network(make_service):
    service = make_service(rate_limit=3, trusted_proxies=["127.0.0.1"])
    statuses = []
    for number in range(5):  # five readers in one /24
        forwarded = {"X-Forwarded-For": f"203.0.113.{number + 1}"}
        statuses.append(vote(service.url, "welkom", 5, headers=forwarded)[0])
    assert statuses == [201, 201, 201, 429, 429]
    other_network = {"X-Forwarded-For": "198.51.100.7"}
    assert vote(service.url, "welkom", 5, headers=other_network)[0] == 201
    assert score_of(service, "welkom")["count"] == 4


def test_forwarded_for_is_ignored_unless_from_a_trusted_proxy(make_service):
    service = make_service()  # no trusted proxies: a reader cannot pose as many
    assert vote(service.url, "welkom", 5, headers={"X-Forwarded-For": "203.0.113.1"})[0] == 201
    assert vote(service.url, "welkom", 5, headers={"X-Forwarded-For": "198.51.100.1"})[0] == 409


def test_voter_keys_are_hashes_and_are_purged(make_service, database):
    service = make_service(trusted_proxies=["127.0.0.1"])
    vote(service.url, "welkom", 5, headers={"X-Forwarded-For": "203.0.113.77"})
    store = service.store
    with store.transaction() as cur:
        cur.execute("SELECT voter_key FROM votes")
        keys = [row[0] for row in cur.fetchall()]
    assert len(keys) == 1 and len(keys[0]) == 64 and "203.0.113" not in keys[0]
    assert store.purge_voter_keys(before=10**12) == 1
    # After the retention the reader may vote again (the old vote still counts).
    assert vote(service.url, "welkom", 3, headers={"X-Forwarded-For": "203.0.113.77"})[0] == 201
    assert score_of(service, "welkom")["count"] == 2


def test_health_openapi_and_unknown_endpoints(service):
    status, _, data = request("GET", f"{service.url}/health")
    assert status == 200 and data["status"] == "ok"
    assert data["database"] in ("sqlite", "postgresql")
    status, _, document = request("GET", f"{service.url}/openapi.json")
    assert status == 200 and document["openapi"].startswith("3.")
    assert {"/health", "/scores", "/scores/{item}", "/votes"} <= set(document["paths"])
    assert request("GET", f"{service.url}/scores/niet-bestaand")[0] == 404
    assert request("GET", f"{service.url}/nergens")[0] == 404
    assert request("GET", f"{service.url}/votes")[0] == 405


def test_unsupported_content_type(service):
    status, _, data = request(
        "POST", f"{service.url}/votes", "score=5", headers={"Content-Type": "text/plain"}
    )
    assert status == 415 and data["error"]["code"] == "unsupported_media_type"


def test_manifest_is_reread_when_the_site_is_rebuilt(service, tmp_path):
    assert vote(service.url, "nieuw-artikel", 5)[0] == 404
    write_manifest(tmp_path / "manifest.json", [*IDS, "nieuw-artikel"])
    assert eventually(lambda: vote(service.url, "nieuw-artikel", 5)[0] == 201, within=5)


# --- pure parts and settings --------------------------------------------------------------------
def test_client_address_and_network():
    proxies = Settings(trusted_proxies=["10.0.0.0/8"]).proxy_networks
    assert client_address("203.0.113.5", "1.2.3.4", proxies) == "203.0.113.5"
    assert client_address("10.0.0.2", "1.2.3.4", proxies) == "1.2.3.4"
    assert client_address("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.9", proxies) == "1.2.3.4"
    assert client_network("203.0.113.77") == "203.0.113.0/24"
    assert client_network("2001:db8:1:2:3::1") == "2001:db8:1::/48"


def test_settings_from_env_and_toml(tmp_path):
    config = tmp_path / "ratings.toml"
    config.write_text('database = "/srv/r.sqlite3"\nsite_origin = ["https://example.nl"]\n')
    settings = load_settings(str(config), environ={"READER_SERVICE_RATE_LIMIT": "7"})
    assert settings.database == "/srv/r.sqlite3" and settings.rate_limit == 7
    assert settings.site_origin == ["https://example.nl"]
    config.write_text('databse = "x"\n')
    with pytest.raises(ConfigError, match="databse"):
        load_settings(str(config), environ={})
    with pytest.raises(ConfigError, match="site_origin"):
        Settings(site_origin=["example.nl/path"])
    secret_file = tmp_path / "sub" / "secret"
    key = Settings(secret_file=str(secret_file)).secret_key()
    assert len(key) == 64 and (secret_file.stat().st_mode & 0o777) == 0o600
    assert Settings(secret_file=str(secret_file)).secret_key() == key


def test_sqlite_store_uses_wal(tmp_path):
    store = open_store(str(tmp_path / "r.sqlite3"))
    store.close()
    with sqlite3.connect(tmp_path / "r.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_service_command_reports_a_bad_database_clearly(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "READER_SERVICE_DATABASE": "postgresql://sanne:geheim@127.0.0.1:1/ratings",
        "READER_SERVICE_SECRET_FILE": str(tmp_path / "secret"),
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-m", "reader_service"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=str(tmp_path.parent),
    )
    assert result.returncode == 2
    assert "cannot use the database" in result.stderr and "READER_SERVICE_DATABASE" in result.stderr
    assert "geheim" not in result.stderr and "Traceback" not in result.stderr


def test_manifest_from_the_published_site_url(tmp_path):
    from schitter.devserver import serve_in_background, url_of

    site = tmp_path / "site"
    (site / "ratings").mkdir(parents=True)
    write_manifest(site / "ratings" / "manifest.json", ["welkom"])
    server = serve_in_background(site)
    service = ServiceThread(
        Settings(
            database=str(tmp_path / "r.sqlite3"),
            secret="test-secret-0123456789",
            manifest=url_of(server).rstrip("/") + "/ratings/manifest.json",
        )
    )
    try:
        assert vote(service.url, "welkom", 4)[0] == 201
        assert vote(service.url, "onbekend", 4)[0] == 404
    finally:
        service.stop()
        server.shutdown()


def test_missing_manifest_is_a_clear_503(tmp_path):
    service = ServiceThread(
        Settings(
            database=str(tmp_path / "r.sqlite3"),
            secret="test-secret-0123456789",
            manifest=str(tmp_path / "not-built-yet.json"),
        )
    )
    try:
        status, _, data = vote(service.url, "welkom", 4)
        assert status == 503 and data["error"]["code"] == "manifest_unavailable"
        write_manifest(tmp_path / "not-built-yet.json", ["welkom"])
        # picked up once the site is built
        assert eventually(lambda: vote(service.url, "welkom", 4)[0] == 201, within=5)
    finally:
        service.stop()


def test_admin_and_import_on_postgresql(postgres_url, tmp_path):
    import io

    from reader_service import admin

    reset_postgres(postgres_url)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("wordpress,rating_id\n42,welkom\n")
    postmeta = tmp_path / "postmeta.csv"
    postmeta.write_text(
        "post_id,meta_key,meta_value\n42,ratings_users,4\n42,ratings_score,18\n43,ratings_users,1\n43,ratings_score,3\n"
    )
    out = io.StringIO()
    code = admin.main(
        [
            "--database",
            postgres_url,
            "import-wordpress",
            "--mapping",
            str(mapping),
            "--postmeta",
            str(postmeta),
        ],
        out=out,
    )
    assert code == 0, out.getvalue()
    store = open_store(postgres_url)
    try:
        assert store.add_vote("welkom", 2, "reader", 1_700_000_000)
        score = store.scores()["welkom"]
        assert (score.count, score.total, score.imported) == (5, 20, 4)
        assert store.delete_votes("welkom") == 2  # the vote and the imported total
        assert store.scores() == {}
    finally:
        store.close()
