"""Hostile requests to the ratings service: refused correctly, the service stays up, the store
unchanged (issue 7's ratings corpus; the ordinary abuse cases are in test_ratings_service.py)."""

from __future__ import annotations

import socket
import time
from urllib.parse import quote, urlsplit

import pytest

from ratings_service.config import Settings
from tests.ratings_support import SITE_ORIGIN, ServiceThread, request, vote, write_manifest

IDS = ["welkom", "café-één"]


@pytest.fixture
def service(tmp_path):
    running = ServiceThread(
        Settings(
            database=str(tmp_path / "ratings.sqlite3"),
            secret="test-secret-0123456789",
            manifest=str(write_manifest(tmp_path / "manifest.json", IDS)),
            site_origin=[SITE_ORIGIN],
        )
    )
    yield running
    running.stop()


def connect(service) -> socket.socket:
    parts = urlsplit(service.url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def still_serving(service) -> None:
    status, _, data = request("GET", f"{service.url}/health")
    assert status == 200, data


def test_unicode_ids_from_the_manifest_work_and_others_are_unknown(service):
    status, _, data = vote(service.url, "café-één", 4)
    assert status == 201, data
    status, _, data = request("GET", f"{service.url}/scores/{quote('café-één')}")
    assert (status, data["count"]) == (200, 1)
    status, _, _ = vote(service.url, "cafe-een", 4)  # looks alike, is not the same id
    assert status == 404
    assert [v["item"] for v in service.store.votes()] == ["café-één"]


@pytest.mark.parametrize(
    "item",
    [
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "welkom/../welkom",
        "welkom\x00",
        "/welkom",
        "welkom\r\nX-Injected: 1",
        "<script>alert(1)</script>",
        "w" * 5000,
    ],
)
def test_path_traversal_and_odd_ids_are_unknown_items(service, item):
    status, _, data = vote(service.url, item, 5)
    assert status in (404, 413), data
    assert service.store.votes() == []
    status, headers, _ = request("GET", f"{service.url}/scores/{quote(item, safe='')}")
    assert status in (404, 414), status
    assert "x-injected" not in headers
    still_serving(service)


def test_oversized_headers_are_refused_and_the_service_stays_up(service):
    try:
        status, _, _ = request(
            "POST",
            f"{service.url}/votes",
            {"item": "welkom", "score": 5},
            headers={"X-Padding": "x" * 200_000},
        )
    except ConnectionResetError:  # refused while the client was still sending its headers
        status = "reset"
    assert status in (400, 431, "reset")
    assert service.store.votes() == []
    still_serving(service)


def test_slow_clients_do_not_block_other_readers(service):
    # Slowloris: connections that send a few header bytes and then stall, and a vote whose
    # body never arrives. Meanwhile ordinary readers are served at once.
    stalled = []
    for _ in range(20):
        conn = connect(service)
        conn.sendall(b"POST /votes HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        stalled.append(conn)
    body_never_sent = connect(service)
    body_never_sent.sendall(
        b"POST /votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Origin: " + SITE_ORIGIN.encode() + b'\r\nContent-Length: 40\r\n\r\n{"item": "wel'
    )
    stalled.append(body_never_sent)
    try:
        started = time.monotonic()
        status, _, data = vote(service.url, "welkom", 5)
        assert status == 201, data
        still_serving(service)
        assert time.monotonic() - started < 5
    finally:
        for conn in stalled:
            conn.close()
    time.sleep(0.2)
    assert [(v["item"], v["score"]) for v in service.store.votes()] == [("welkom", 5)]


def test_a_flood_from_one_network_is_limited_and_the_store_stays_exact(tmp_path):
    running = ServiceThread(
        Settings(
            database=str(tmp_path / "ratings.sqlite3"),
            secret="test-secret-0123456789",
            manifest=str(write_manifest(tmp_path / "manifest.json", IDS)),
            site_origin=[SITE_ORIGIN],
            rate_limit=10,
            rate_window=60,
        )
    )
    try:
        statuses = [
            vote(running.url, "welkom", 3, headers={"User-Agent": f"bot-{i}"})[0] for i in range(40)
        ]
        accepted = statuses.count(201)
        assert accepted == 10 and statuses.count(429) == 30
        assert len(running.store.votes()) == accepted
        still_serving(running)
    finally:
        running.stop()
