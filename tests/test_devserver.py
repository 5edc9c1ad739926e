"""The development server over real loopback HTTP: ranges, revalidation and podcast MIME types,
as RFC 9110 and the Podcast Index chapters spec ask (podcast apps and browsers test against it)."""

from __future__ import annotations

import http.client
import os
from email.utils import formatdate

import pytest

from schitter.devserver import serve_in_background

BODY = bytes(range(256)) * 8  # 2048 bytes


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    (root / "audio").mkdir()
    (root / "audio" / "les.mp3").write_bytes(BODY)
    os.utime(root / "audio" / "les.mp3", (1_700_000_000, 1_700_000_000))
    (root / "les-1").mkdir()
    (root / "les-1" / "chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (root / "data.json").write_text("{}")
    running = serve_in_background(root)
    yield running.server_address[:2]
    running.shutdown()


def request(server, path: str, method: str = "GET", **headers):
    connection = http.client.HTTPConnection(*server, timeout=10)
    connection.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_range_gives_206_with_the_bytes_asked_for(server):
    response, body = request(server, "/audio/les.mp3", Range="bytes=500-599")
    assert response.status == 206
    assert response.getheader("Content-Range") == f"bytes 500-599/{len(BODY)}"
    assert body == BODY[500:600]
    response, body = request(server, "/audio/les.mp3", Range="bytes=-10")
    assert (response.status, body) == (206, BODY[-10:])


def test_a_range_past_the_end_is_416(server):
    response, _ = request(server, "/audio/les.mp3", Range=f"bytes={len(BODY)}-")
    assert response.status == 416
    assert response.getheader("Content-Range") == f"bytes */{len(BODY)}"


def test_an_invalid_range_is_ignored(server):
    """RFC 9110 14.1.1: a last-pos before the first-pos is invalid, so the range is ignored."""
    response, body = request(server, "/audio/les.mp3", Range="bytes=500-100")
    assert response.status == 200 and body == BODY


def test_head_with_a_range_has_no_partial_semantics(server):
    """Range is defined for GET only (RFC 9110 14.2): HEAD describes the whole file."""
    response, body = request(server, "/audio/les.mp3", method="HEAD", Range="bytes=0-99")
    assert response.status == 200
    assert response.getheader("Content-Length") == str(len(BODY))
    assert response.getheader("Content-Range") is None and body == b""


def test_etag_and_if_none_match(server):
    first, _ = request(server, "/audio/les.mp3")
    etag = first.getheader("ETag")
    assert etag and etag.startswith('"') and etag.endswith('"')
    again, body = request(server, "/audio/les.mp3", If_None_Match=etag)
    assert again.status == 304 and body == b""
    assert again.getheader("ETag") == etag
    assert request(server, "/audio/les.mp3", If_None_Match=f'"x", W/{etag}')[0].status == 304
    assert request(server, "/audio/les.mp3", If_None_Match="*")[0].status == 304
    changed, body = request(server, "/audio/les.mp3", If_None_Match='"iets-anders"')
    assert changed.status == 200 and body == BODY


def test_if_modified_since(server):
    first, _ = request(server, "/audio/les.mp3")
    last_modified = first.getheader("Last-Modified")
    assert last_modified == formatdate(1_700_000_000, usegmt=True)
    response, body = request(server, "/audio/les.mp3", If_Modified_Since=last_modified)
    assert response.status == 304 and body == b""
    later = formatdate(1_800_000_000, usegmt=True)
    assert request(server, "/audio/les.mp3", If_Modified_Since=later)[0].status == 304
    older = formatdate(1_600_000_000, usegmt=True)
    assert request(server, "/audio/les.mp3", If_Modified_Since=older)[0].status == 200
    # If-None-Match takes precedence over If-Modified-Since (RFC 9110 13.2.2)
    response, _ = request(
        server, "/audio/les.mp3", If_None_Match='"oud"', If_Modified_Since=last_modified
    )
    assert response.status == 200
    assert request(server, "/audio/les.mp3", If_Modified_Since="geen datum")[0].status == 200


def test_if_range_with_a_stale_validator_sends_the_whole_file(server):
    first, _ = request(server, "/audio/les.mp3")
    etag, last_modified = first.getheader("ETag"), first.getheader("Last-Modified")
    current = request(server, "/audio/les.mp3", Range="bytes=0-9", If_Range=etag)
    assert current[0].status == 206 and current[1] == BODY[:10]
    by_date = request(server, "/audio/les.mp3", Range="bytes=0-9", If_Range=last_modified)
    assert by_date[0].status == 206
    old_date = formatdate(1_600_000_000, usegmt=True)
    for stale in ('"een-oude-etag"', old_date, f"W/{etag}"):  # a weak tag never matches
        response, body = request(server, "/audio/les.mp3", Range="bytes=0-9", If_Range=stale)
        assert response.status == 200 and body == BODY, stale


def test_podcast_mime_types(server):
    response, _ = request(server, "/les-1/chapters.json")
    assert response.getheader("Content-Type") == "application/json+chapters"
    assert request(server, "/data.json")[0].getheader("Content-Type") == "application/json"
    assert request(server, "/audio/les.mp3")[0].getheader("Content-Type") == "audio/mpeg"
