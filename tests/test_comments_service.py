"""The comments endpoints of the reader service over real HTTP on loopback: posting with and
without JavaScript, every spam guard (each refused, nothing stored), the live JSON, the
snapshot, the hostile corpus kept inert, replies, closing, auto-approval, and PostgreSQL."""

from __future__ import annotations

import time

import lxml.html
import pytest

from reader_service import comments_store
from reader_service.comments import ALLOWED_TAGS, CONTROL, render, sanitise
from tests.comments_support import (
    answer,
    comment_form,
    comment_json,
    comment_services,
    fresh_form,
)
from tests.reader_service_support import SITE_ORIGIN, postgres_cluster, request
from tests.test_hardening_injection import ATTR, CDATA, CLOSE, CONTROLS, EMOJI, RTL, SCRIPT

IDS = ["welkom", "oud"]
# The project's injection corpus (test_hardening_injection.py) and what comments add to it.
HOSTILE = [
    f"{SCRIPT} {ATTR} {CDATA} {RTL}omgekeerd {EMOJI} bel{CONTROLS}!",
    f"Samenvatting {CLOSE} {ATTR} {CDATA} {EMOJI}{CONTROLS}",
    "<script>alert(window.__pwned=1)</script>",
    '"><img src=x onerror=alert(window.__pwned=1)>',
    "[klik](javascript:alert(window.__pwned=1))",
    '<a href="https://e.nl" onclick="alert(1)">x</a>',
    "![plaatje](https://e.nl/x.png)",
    "<iframe src=https://e.nl></iframe>",
    "]]> </script> <!-- \u202eomgekeerd 🎉",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
]


@pytest.fixture
def start(tmp_path):
    with comment_services(tmp_path, IDS) as start:
        yield start


def stored(service) -> list:
    return comments_store.listing(service.store)


def test_json_comment_is_held_for_moderation(start):
    service = start()
    status, _, data = comment_json(service.url, "welkom", body="Hallo **allemaal**")
    assert status == 202, data
    assert data["status"] == "pending"
    assert data["comment"]["html"] == "<p>Hallo <strong>allemaal</strong></p>"
    assert "email" not in data["comment"]
    [comment] = stored(service)
    assert (comment.item, comment.status) == ("welkom", "pending")
    # Pending comments are in neither the live JSON nor the snapshot.
    assert request("GET", f"{service.url}/comments/welkom")[2]["comments"] == []
    assert request("GET", f"{service.url}/comments")[2]["items"] == {}


def test_form_post_without_javascript_redirects_back_with_a_fragment(start):
    service = start()
    status, headers, _ = comment_form(service.url, "welkom", email="Jan@Example.NL")
    assert status == 303
    assert headers["location"] == f"{SITE_ORIGIN}/welkom/#reactie-ontvangen"
    [comment] = stored(service)
    assert comment.email == "jan@example.nl"


def test_approved_comments_are_live_and_in_the_snapshot_without_email(start):
    service = start()
    comment_json(service.url, "welkom", email="jan@example.nl", website="jan.example")
    [pending] = stored(service)
    before = int(time.time()) - 1
    comments_store.set_status(service.store, pending.id, "approved", int(time.time()))
    status, _, live = request("GET", f"{service.url}/comments/welkom")
    assert status == 200
    [public] = live["comments"]
    assert public["website"] == "https://jan.example"
    assert "email" not in public and "body" not in public
    assert live["form"]["token"] and {"period", "first", "result"} <= set(live["form"]["question"])
    since = f"{service.url}/comments/welkom?since="
    assert request("GET", f"{since}{before + 100}")[2]["comments"] == []
    assert len(request("GET", f"{since}{before}")[2]["comments"]) == 1
    _, _, snapshot = request("GET", f"{service.url}/comments")
    assert snapshot["items"]["welkom"][0]["id"] == pending.id
    assert "jan@example.nl" not in str(snapshot)


# --- spam: each refused with the documented error, nothing stored ----------------------------
def test_honeypot_filled_is_refused(start):
    service = start()
    status, _, data = comment_json(service.url, "welkom", homepage="https://spam.example")
    assert (status, data["error"]["code"]) == (422, "spam_suspected")
    status, headers, _ = comment_form(service.url, "welkom", homepage="https://spam.example")
    assert (status, headers["location"].split("#")[1]) == (303, "reactie-mislukt")
    assert stored(service) == []


def test_sent_too_fast_is_refused(start):
    service = start(comment_min_seconds=30)
    status, _, data = comment_json(service.url, "welkom")
    assert (status, data["error"]["code"]) == (422, "too_fast")
    assert stored(service) == []


def test_wrong_answer_is_refused(start):
    service = start()
    form = fresh_form(service.url, "welkom")
    wrong = str(answer(form["question"]) + 1)
    status, _, data = comment_json(service.url, "welkom", form=form, answer=wrong)
    assert (status, data["error"]["code"]) == (422, "wrong_answer")
    status, headers, _ = comment_form(service.url, "welkom", answer="zeven")
    assert (status, headers["location"].split("#")[1]) == (303, "reactie-vraag-fout")
    status, headers, _ = comment_form(service.url, "welkom", period="12")
    assert headers["location"].endswith("#reactie-vraag-fout")  # a question from 1970
    assert stored(service) == []


def test_replayed_token_is_refused(start):
    service = start()
    form = fresh_form(service.url, "welkom")
    assert comment_json(service.url, "welkom", form=form)[0] == 202
    status, _, data = comment_json(service.url, "welkom", form=form, body="Nog eens")
    assert (status, data["error"]["code"]) == (409, "token_used")
    forged = form["token"].rsplit(".", 1)[0] + ".0123456789abcdef0123456789abcdef"
    status, _, data = comment_json(service.url, "welkom", form={**form, "token": forged})
    assert (status, data["error"]["code"]) == (403, "bad_token")
    status, _, data = comment_json(service.url, "welkom", form={**form, "token": ""})
    assert (status, data["error"]["code"]) == (403, "bad_token")
    assert len(stored(service)) == 1


def test_cross_origin_post_is_refused(start):
    service = start()
    form = fresh_form(service.url, "welkom")
    body = {
        "item": "welkom",
        "name": "X",
        "body": "spam",
        "token": form["token"],
        "period": str(form["question"]["period"]),
        "answer": str(answer(form["question"])),
    }
    status, _, data = request(
        "POST", f"{service.url}/comments", body, origin="https://evil.example"
    )
    assert (status, data["error"]["code"]) == (403, "foreign_origin")
    status, _, data = request("POST", f"{service.url}/comments", body, origin=None)
    assert status == 403
    assert stored(service) == []


def test_flood_from_one_network_is_rate_limited(start):
    service = start(comment_rate_limit=3)
    results = [comment_json(service.url, "welkom", body=f"nummer {n}")[0] for n in range(3)]
    assert results == [202, 202, 202]
    status, _, data = comment_json(service.url, "welkom", body="nummer 4")
    assert (status, data["error"]["code"]) == (429, "rate_limited")
    status, headers, _ = comment_form(service.url, "welkom", body="nummer 5")
    assert headers["location"].endswith("#reactie-te-veel")
    assert len(stored(service)) == 3


def test_bad_fields_are_refused(start):
    service = start()
    wrong = (
        {"name": ""},
        {"body": "   "},
        {"email": "geen-adres"},
        {"website": "javascript:x"},
        {"body": "x" * 5001},
        {"name": 5},
        {"parent": "abc"},
    )
    for fields in wrong:
        status, _, data = comment_json(service.url, "welkom", **fields)
        assert (status, data["error"]["code"]) == (422, "invalid_comment"), fields
    form = fresh_form(service.url, "welkom")
    status, _, data = comment_json(service.url, "niet-bestaand", form=form)
    assert (status, data["error"]["code"]) == (404, "unknown_item")
    status, _, data = request(
        "POST", f"{service.url}/comments", "x", headers={"Content-Type": "text/plain"}
    )
    assert status == 415
    assert stored(service) == []


def test_closed_item_takes_no_comments(start):
    service = start(closes={"oud": int(time.time()) - 10})
    status, _, data = comment_json(service.url, "oud")
    assert (status, data["error"]["code"]) == (403, "comments_closed")
    assert comment_form(service.url, "oud")[1]["location"].endswith("#reactie-gesloten")
    assert request("GET", f"{service.url}/comments/oud")[2]["open"] is False
    assert stored(service) == []


# --- replies and auto-approval ----------------------------------------------------------------
def test_replies_are_one_level_deep_and_only_to_approved_comments(start):
    service = start()
    comment_json(service.url, "welkom")
    [first] = stored(service)
    status, _, data = comment_json(service.url, "welkom", parent=first.id)
    assert (status, data["error"]["code"]) == (422, "invalid_parent")  # still pending
    comments_store.set_status(service.store, first.id, "approved", int(time.time()))
    status, _, data = comment_json(service.url, "welkom", parent=first.id, body="Eens!")
    assert status == 202 and data["comment"]["parent"] == first.id
    reply = data["comment"]["id"]
    comments_store.set_status(service.store, reply, "approved", int(time.time()))
    status, _, data = comment_json(service.url, "welkom", parent=reply, body="Dieper")
    assert data["comment"]["parent"] == first.id  # a reply to a reply joins the same thread
    status, _, data = comment_json(service.url, "oud", parent=first.id)
    assert (status, data["error"]["code"]) == (422, "invalid_parent")  # another page


def test_auto_approve_for_readers_with_an_approved_comment(start):
    service = start(auto_approve_returning=True)
    comment_json(service.url, "welkom", email="anna@example.nl")
    [first] = stored(service)
    assert first.status == "pending"
    comments_store.set_status(service.store, first.id, "approved", int(time.time()))
    status, _, data = comment_json(service.url, "welkom", email="ANNA@example.nl", body="Weer ik")
    assert (status, data["status"]) == (201, "approved")
    status, _, data = comment_json(service.url, "welkom", email="bob@example.nl")
    assert data["status"] == "pending"


# --- safe HTML ---------------------------------------------------------------------------------
def assert_inert(html: str, text: str = "") -> None:
    """Only the subset's elements and attributes; links only to http(s)/mailto."""
    fragment = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for element in fragment.iter():
        assert element.tag in ALLOWED_TAGS | {"div"}, (text, html)
        assert set(element.attrib) <= {"href", "rel"}, (text, html)
        if element.tag == "a":
            assert element.get("href").startswith(("https://", "http://", "mailto:"))
            assert element.get("rel") == "nofollow ugc noopener"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_inert_html(text):
    html = render(text)
    assert_inert(html, text)
    assert sanitise(html) == html  # sanitising again changes nothing


def test_links_get_nofollow_ugc_noopener():
    assert render("[site](https://example.nl)") == (
        '<p><a href="https://example.nl" rel="nofollow ugc noopener">site</a></p>'
    )


def test_hostile_names_and_websites_stay_text_in_the_live_json(start):
    service = start(comment_rate_limit=100)
    for text in HOSTILE:
        status, _, data = comment_json(service.url, "welkom", name=text[:80], body=text)
        assert status == 202, data
    status, _, data = comment_json(service.url, "welkom", website='https://e.nl/"><script>')
    assert (status, data["error"]["code"]) == (422, "invalid_comment")
    for comment in stored(service):
        comments_store.set_status(service.store, comment.id, "approved", int(time.time()))
    status, headers, live = request("GET", f"{service.url}/comments/welkom")
    assert headers["content-type"].startswith("application/json")
    for comment in live["comments"]:
        assert_inert(comment["html"])
    # Kept as text (control characters removed: they are no text, and XML cannot carry them).
    assert {c["name"] for c in live["comments"]} >= {CONTROL.sub("", t[:80]) for t in HOSTILE}


def test_comments_on_postgresql(tmp_path):
    with postgres_cluster() as url, comment_services(tmp_path, IDS, database=url) as start:
        service = start()
        assert comment_json(service.url, "welkom", email="p@example.nl")[0] == 202
        [comment] = stored(service)
        approved = comments_store.set_status(service.store, comment.id, "approved", 5)
        assert approved.approved_at == 5
        status, _, live = request("GET", f"{service.url}/comments/welkom")
        assert [c["id"] for c in live["comments"]] == [comment.id]
        form = fresh_form(service.url, "welkom")
        assert comment_json(service.url, "welkom", form=form)[0] == 202
        assert comment_json(service.url, "welkom", form=form)[0] == 409  # replay, across the pool
        assert comments_store.delete_by_email(service.store, "P@example.nl") == 1


def test_openapi_describes_the_comments_endpoints(start):
    service = start()
    status, _, document = request("GET", f"{service.url}/openapi.json")
    assert status == 200
    assert {"/comments", "/comments/{item}", "/comments/moderate"} <= set(document["paths"])
    assert (
        "wrong_answer" in document["paths"]["/comments"]["post"]["responses"]["422"]["description"]
    )


def test_network_keys_are_forgotten_after_the_retention(start):
    service = start()
    comment_json(service.url, "welkom")
    [comment] = stored(service)
    with service.store.reading() as cur:
        cur.execute("SELECT network_key FROM comments")
        key = cur.fetchone()[0]
    assert key and "127.0.0" not in key  # an HMAC, never the address
    assert comments_store.forget_network_keys(service.store, comment.created_at) == 0
    assert comments_store.forget_network_keys(service.store, comment.created_at + 1) == 1
    with service.store.reading() as cur:
        cur.execute("SELECT network_key FROM comments")
        assert cur.fetchone()[0] is None
