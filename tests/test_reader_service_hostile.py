"""Hostile requests to the ratings service: refused correctly, the service stays up, the store
unchanged (issue 7's ratings corpus; the ordinary abuse cases are in test_reader_service.py)."""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import quote, urlsplit

import pytest

from reader_service.config import ConfigError, Settings, load_settings
from tests.reader_service_support import (
    SITE_ORIGIN,
    ServiceProcess,
    request,
    services_started,
    vote,
    write_manifest,
)

IDS = ["welkom", "café-één"]


@pytest.fixture
def service(start_service):
    return start_service()


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


def test_a_flood_from_one_network_is_limited_and_the_store_stays_exact(start_service):
    running = start_service(rate_limit=10, rate_window=60, votes_per_address=1000)
    statuses = [
        vote(running.url, "welkom", 3, headers={"User-Agent": f"bot-{i}"})[0] for i in range(40)
    ]
    accepted = statuses.count(201)
    assert accepted == 10 and statuses.count(429) == 30
    assert len(running.store.votes()) == accepted
    still_serving(running)


# --- slow clients: deadlines for the request head and body (reader_service/server.py) --------
# Short deadlines keep these tests quick; what they check is behaviour (answered and closed
# once the deadline passed, not before), not speed. SLACK absorbs a busy CI machine.
SLACK = 3.0
VOTE_HEAD = (
    b"POST /votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Origin: " + SITE_ORIGIN.encode() + b"\r\n"
)


@pytest.fixture
def start_service(tmp_path):
    """Start a service with some settings changed; every one started is stopped afterwards."""
    with services_started(tmp_path, IDS) as start:
        yield start


def vote_bytes(item: str, score: int) -> bytes:
    body = json.dumps({"item": item, "score": score}).encode()
    return VOTE_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_response(conn: socket.socket) -> tuple[int, dict, bytes]:
    """One HTTP response from a raw socket (with Content-Length), leaving the socket open."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        assert chunk, f"the connection closed mid-response: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    while len(body) < int(headers.get("content-length", 0)):
        chunk = conn.recv(4096)
        assert chunk, "the connection closed mid-body"
        body += chunk
    return int(status_line.split()[1]), headers, body


def wait_for_close(conn: socket.socket, within: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    conn.settimeout(within)
    data = b""
    try:
        while chunk := conn.recv(4096):
            data += chunk
    except TimeoutError:
        raise AssertionError(f"still open after {within} s; received {data!r}") from None
    except ConnectionResetError:
        pass  # closed as well; whatever arrived before the reset is in data
    return data, time.monotonic() - started


def assert_timed_out(data: bytes, waited: float, timeout: float, part: str) -> None:
    assert waited >= timeout - 0.2, f"closed after {waited:.2f} s, before the {timeout} s deadline"
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), data
    assert b"\r\nconnection: close" in head.lower()
    error = json.loads(body)["error"]
    assert (error["status"], error["code"]) == (408, "request_timeout")
    assert part in error["message"]


@pytest.mark.parametrize(
    "partial",
    [
        b"GET /hea",  # half a request line
        b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: appl",  # half the headers
        VOTE_HEAD,  # every header but the blank line that ends them
    ],
)
def test_a_stalled_request_head_gets_408_and_is_closed(start_service, partial):
    service = start_service(header_timeout=1, body_timeout=5)
    conn = connect(service)
    sent = time.monotonic()
    conn.sendall(partial)
    # Meanwhile a well-behaved reader and voter are answered at once.
    still_serving(service)
    status, _, data = vote(service.url, "welkom", 4)
    assert status == 201, data
    data, _ = wait_for_close(conn, within=1 + SLACK)
    conn.close()
    assert_timed_out(data, time.monotonic() - sent, 1, "request head")  # since it was sent
    assert [(v["item"], v["score"]) for v in service.store.votes()] == [("welkom", 4)]
    still_serving(service)


def test_a_head_trickled_byte_by_byte_still_meets_the_deadline(start_service):
    # Slowloris proper: a byte every 0.2 s is progress, but the deadline does not move.
    service = start_service(header_timeout=1)
    conn = connect(service)
    started = time.monotonic()
    received = b""
    for byte in b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"x" * 100:
        try:
            conn.sendall(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        conn.settimeout(0.2)
        try:
            received = conn.recv(4096)
        except TimeoutError:
            continue
        break
    waited = time.monotonic() - started
    rest, _ = wait_for_close(conn, within=SLACK)
    conn.close()
    assert waited < 1 + SLACK, "the trickle was never cut off"
    assert_timed_out(received + rest, waited, 1, "request head")
    still_serving(service)


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(start_service):
    service = start_service(header_timeout=1)
    conn = connect(service)
    data, waited = wait_for_close(conn, within=1 + SLACK)
    conn.close()
    assert data == b"" and waited >= 0.8
    still_serving(service)


def test_a_stalled_vote_body_gets_408_and_nothing_is_stored(start_service):
    service = start_service(header_timeout=5, body_timeout=1)
    conn = connect(service)
    sent = time.monotonic()
    conn.sendall(VOTE_HEAD + b"Content-Length: 40\r\n\r\n" + '{"item": "café-één", "sc'.encode())
    status, _, data = vote(service.url, "welkom", 5)  # someone else votes meanwhile
    assert status == 201, data
    data, _ = wait_for_close(conn, within=1 + SLACK)
    conn.close()
    assert_timed_out(data, time.monotonic() - sent, 1, "request body")
    assert [(v["item"], v["score"]) for v in service.store.votes()] == [("welkom", 5)]
    status, _, data = request("GET", f"{service.url}/scores/{quote('café-één')}")
    assert (status, data["count"]) == (200, 0)


def test_an_idle_keep_alive_connection_is_closed_after_the_head_deadline(start_service):
    service = start_service(header_timeout=1)
    conn = connect(service)
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status, headers, _ = read_response(conn)
    assert status == 200 and headers.get("connection") != "close"
    # The deadline runs from the previous response: a second request in time is served.
    time.sleep(0.5)
    conn.sendall(vote_bytes("welkom", 3))
    status, _, body = read_response(conn)
    assert status == 201, body
    # Then nothing more: closed without a word (there is no request to answer).
    data, waited = wait_for_close(conn, within=1 + SLACK)
    conn.close()
    assert data == b"" and waited >= 0.8
    assert [(v["item"], v["score"]) for v in service.store.votes()] == [("welkom", 3)]


def test_a_slow_client_that_finishes_in_time_is_served(start_service):
    service = start_service(header_timeout=3, body_timeout=3)
    body = json.dumps({"item": "welkom", "score": 2}).encode()
    head = VOTE_HEAD + b"Content-Length: %d\r\n\r\n" % len(body)
    conn = connect(service)
    for part in (head[:10], head[10:60], head[60:]):  # the head over about a second
        conn.sendall(part)
        time.sleep(0.4)
    for part in (body[:5], body[5:15], body[15:]):  # and the body too
        conn.sendall(part)
        time.sleep(0.3)
    status, _, answer = read_response(conn)
    conn.close()
    assert status == 201, answer
    assert json.loads(answer)["count"] == 1
    assert [(v["item"], v["score"]) for v in service.store.votes()] == [("welkom", 2)]


def test_connections_over_max_connections_get_503_until_others_close(start_service):
    service = start_service(header_timeout=1, max_connections=3)
    stalled = [connect(service) for _ in range(3)]
    for conn in stalled:
        conn.sendall(b"GET /health HTTP/1.1\r\n")
    time.sleep(0.2)  # let the service accept them
    status, _, _ = request("GET", f"{service.url}/health")
    assert status == 503
    for conn in stalled:  # the deadline frees them ...
        data, _ = wait_for_close(conn, within=1 + SLACK)
        conn.close()
        assert data.startswith(b"HTTP/1.1 408 ")
    still_serving(service)  # ... and the service serves again


def test_slow_client_settings_come_from_the_environment_and_are_checked():
    settings = load_settings(
        environ={
            "READER_SERVICE_HEADER_TIMEOUT": "2.5",
            "READER_SERVICE_BODY_TIMEOUT": "4",
            "READER_SERVICE_MAX_CONNECTIONS": "0",
        }
    )
    assert (settings.header_timeout, settings.body_timeout, settings.max_connections) == (
        2.5,
        4.0,
        0,
    )
    assert Settings().header_timeout == Settings().body_timeout == 10
    for wrong in ({"header_timeout": "soon"}, {"body_timeout": 0}, {"max_connections": -1}):
        with pytest.raises(ConfigError, match=next(iter(wrong))):
            Settings(**wrong)


def test_the_service_process_applies_the_head_deadline(tmp_path):
    # `python -m reader_service` (what make serve and production run) uses the same protocol.
    service = ServiceProcess(
        {
            "READER_SERVICE_DATABASE": str(tmp_path / "ratings.sqlite3"),
            "READER_SERVICE_SECRET": "test-secret-0123456789",
            "READER_SERVICE_MANIFEST": str(write_manifest(tmp_path / "manifest.json", IDS)),
            "READER_SERVICE_HEADER_TIMEOUT": "1",
        }
    )
    try:
        conn = connect(service)
        conn.sendall(b"GET /health HT")
        data, waited = wait_for_close(conn, within=1 + SLACK)
        conn.close()
        assert_timed_out(data, waited, 1, "request head")
        still_serving(service)
    finally:
        service.stop()
