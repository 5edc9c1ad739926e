"""Drip courses (issue 17): the build's course feed and manifest, and the personal feeds the
reader service serves from them, read by real podcast parsers at day 0, 6, 7, 21 and 30."""

from __future__ import annotations

import io
import json
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import feedparser
import podcastparser
import pytest
from lxml import etree

from plugins.podcast.drip import Drip, read_drip
from reader_service import course_store
from reader_service.config import Settings
from tests.course_site import COURSE, DOMAIN, Clock, CourseService, make_course_site
from tests.reader_service_support import SITE_ORIGIN, free_port, request, write_manifest
from tests.sitecheck import build, run_pelican

DAY = 86400
T0 = 1_780_000_000  # the first sign-up, in the service's clock
NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Where the site says the service is (the build's PODCAST_COURSE_SERVICE_URL): the URLs the
# service hands out; the test's service itself listens on a free port.
PUBLIC_SERVICE = "http://127.0.0.1:8001"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("course-site")
    content, overrides = make_course_site(root)
    return build(root / "output", content=content, overrides=overrides)


@pytest.fixture(scope="module")
def public(site):
    """GUID → (enclosure URL) of the public feed."""
    tree = etree.parse(str(site / "podcast" / COURSE / "feed.xml"))
    return {item.findtext("guid"): item.find("enclosure").get("url") for item in tree.iter("item")}


@pytest.fixture()
def service(site, tmp_path):
    clock = Clock(T0)
    settings = Settings(
        database=str(tmp_path / "reader.sqlite3"),
        secret="s" * 32,
        manifest=str(write_manifest(tmp_path / "manifest.json", [])),
        courses=str(site / "podcast"),
        rate_limit=5,
        access_log=False,
    )
    running = CourseService(settings, clock)
    yield running, clock
    running.stop()


def sign_up(url: str, **fields) -> tuple[int, dict, object]:
    body = urlencode({"consent": "yes", "email": "", "website": "", **fields})
    return request("POST", f"{url}/course/{COURSE}/signup", body, headers=FORM)


def token_of(location: str) -> str:
    return urlsplit(location).path.split("/")[2]


def fetch(url: str, token: str, headers: dict | None = None):
    return request("GET", f"{url}/course/{token}/feed.xml", headers=headers, origin=None)


# --- The setting ------------------------------------------------------------------------------


def test_drip_setting_forms():
    assert read_drip("S", 7) == (Drip(7, "keep"), [])
    assert read_drip("S", {"interval_days": 3, "public_feed": "block"}) == (Drip(3, "block"), [])
    assert read_drip("S", None) == (None, [])
    for wrong in (0, True, "7", {"interval_days": 7.5}, {"public_feed": "hide"}, {"every": 7}):
        drip, problems = read_drip("S", wrong)
        assert drip is None and len(problems) == 1
        setting, message, fix = problems[0]
        assert setting == 'S["drip"]' and message and fix


def test_a_wrong_drip_is_one_report_line(tmp_path):
    content, overrides = make_course_site(tmp_path)
    overrides["PODCAST_SHOWS"][COURSE]["drip"] = {"interval_days": 0}
    result = run_pelican(tmp_path / "output", content=content, overrides=overrides)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if '["drip"]' in line]
    # one problem (printed where it is found, and again in the report at the end)
    assert len({line.strip().removeprefix("- ") for line in lines}) == 1, result.stdout
    assert "interval_days is 0" in lines[0] and "—" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output" / "podcast" / COURSE / "course.json").exists()


# --- The build's files ----------------------------------------------------------------------


def test_course_feed_is_the_feed_code_blocked_without_locked(site, public):
    course = etree.parse(str(site / "podcast" / COURSE / "course-feed.xml"))
    channel = course.find("channel")
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    assert channel.findtext("podcast:block", namespaces=NS) == "yes"
    assert channel.find("podcast:locked", NS) is None
    assert {item.findtext("guid") for item in channel.iter("item")} == set(public)
    # the public feed stays as it was ("public_feed": "keep")
    public_channel = etree.parse(str(site / "podcast" / COURSE / "feed.xml")).find("channel")
    assert public_channel.find("itunes:block", NS) is None
    manifest = json.loads((site / "podcast" / COURSE / "course.json").read_text())
    assert [lesson["position"] for lesson in manifest["lessons"]] == [1, 2, 3, 4]
    assert [lesson["title"] for lesson in manifest["lessons"]] == [f"Les {n}" for n in (1, 2, 3, 4)]
    assert [lesson["opens_after"] for lesson in manifest["lessons"]] == [
        0,
        7 * DAY,
        14 * DAY,
        21 * DAY,
    ]
    assert {lesson["guid"] for lesson in manifest["lessons"]} == set(public)


def test_public_feed_blocked_when_the_author_says_so(tmp_path):
    content, overrides = make_course_site(tmp_path, public_feed="block")
    output = build(tmp_path / "output", content=content, overrides=overrides)
    channel = etree.parse(str(output / "podcast" / COURSE / "feed.xml")).find("channel")
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    assert channel.findtext("podcast:block", namespaces=NS) == "yes"
    page = (output / "podcast" / COURSE / "index.html").read_text()
    assert 'action="http://127.0.0.1:8001/course/audiocursus/signup"' in page
    assert 'feed-url"' not in page  # no public subscribe block for a blocked feed


# --- Personal feeds -------------------------------------------------------------------------


@pytest.mark.parametrize("day, lessons", [(0, 1), (6, 1), (7, 2), (21, 4), (30, 4)])
def test_personal_feed_by_day_in_real_parsers(service, public, day, lessons):
    running, clock = service
    status, headers, _ = sign_up(running.url)
    assert status == 303
    token = token_of(headers["location"])
    clock.now = T0 + day * DAY
    status, headers, body = fetch(running.url, token)
    assert status == 200 and headers["content-type"].startswith("application/rss+xml")
    parsed = podcastparser.parse(f"{running.url}/course/{token}/feed.xml", io.BytesIO(body))
    episodes = [e for e in parsed["episodes"] if e["guid"] in public]
    assert len(episodes) == lessons
    by_guid = {e["guid"]: e for e in episodes}
    order = list(public)  # the public feed lists the newest first
    order.reverse()
    for position, guid in enumerate(order[:lessons], start=1):
        assert by_guid[guid]["published"] == T0 + (position - 1) * 7 * DAY
        assert [e["url"] for e in by_guid[guid]["enclosures"]] == [public[guid]]
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    lesson_entries = [e for e in feed.entries if e.id in public]
    assert len(lesson_entries) == lessons
    for entry in lesson_entries:
        position = order.index(entry.id) + 1
        assert parsedate_to_datetime(entry.published).timestamp() == T0 + (position - 1) * 7 * DAY
    notices = [e.id for e in feed.entries if e.id not in public]
    assert notices[-1].endswith(":welcome")  # the oldest item: day 0
    assert (notices[0].endswith(":ended")) == (day >= 28)
    channel = etree.fromstring(body).find("channel")
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    assert channel.findtext("podcast:block", namespaces=NS) == "yes"
    assert channel.find("podcast:locked", NS) is None and b"locked" not in body
    self_link = channel.find("atom:link[@rel='self']", NS).get("href")
    assert self_link == f"{PUBLIC_SERVICE}/course/{token}/feed.xml"


def test_each_subscriber_has_their_own_schedule(service):
    running, clock = service
    first = token_of(sign_up(running.url)[1]["location"])
    clock.now = T0 + 10 * DAY
    second = token_of(sign_up(running.url)[1]["location"])
    assert first != second
    assert fetch(running.url, first)[2].count(b"<enclosure") == 2
    assert fetch(running.url, second)[2].count(b"<enclosure") == 1


def test_polling_is_cheap_etag_and_last_modified(service):
    running, clock = service
    token = token_of(sign_up(running.url)[1]["location"])
    clock.now = T0 + 3 * DAY
    status, headers, _ = fetch(running.url, token)
    etag, modified = headers["etag"], headers["last-modified"]
    assert parsedate_to_datetime(modified).timestamp() == T0  # the newest item: the welcome
    assert fetch(running.url, token, {"If-None-Match": etag})[0] == 304
    assert fetch(running.url, token, {"If-Modified-Since": modified})[0] == 304
    clock.now = T0 + 7 * DAY  # lesson 2 opens: the validators change
    status, headers, _ = fetch(running.url, token, {"If-None-Match": etag})
    assert status == 200 and headers["etag"] != etag
    assert parsedate_to_datetime(headers["last-modified"]).timestamp() == T0 + 7 * DAY


def test_revoked_feed_says_so_then_answers_410_and_unknown_404(service):
    running, clock = service
    token = token_of(sign_up(running.url)[1]["location"])
    key = course_store.token_key(running.service.secret, token)
    clock.now = T0 + 8 * DAY
    assert course_store.revoke(running.service.store, key[:12], int(clock.now)) == 1
    clock.now = T0 + 14 * DAY  # in the grace period: no new lesson (3 opens), a last item
    status, _, body = fetch(running.url, token)
    feed = feedparser.parse(body)
    assert status == 200 and body.count(b"<enclosure") == 2
    assert feed.entries[0].id.endswith(":revoked")
    clock.now = T0 + 8 * DAY + 7 * DAY  # the grace period is over
    status, headers, data = fetch(running.url, token)
    assert status == 410 and headers["content-type"] == "application/json"
    assert data["error"]["code"] == "feed_revoked"
    status, _, data = fetch(running.url, "x" * 43)
    assert status == 404 and data["error"]["code"] == "unknown_feed"
    assert fetch(running.url, "kort")[0] == 404


def test_the_token_is_stored_only_as_its_hmac(service, tmp_path):
    running, _ = service
    status, headers, _ = sign_up(running.url, email="lezer@example.org")
    token = token_of(headers["location"])
    assert len(token) == 43
    (subscriber,) = course_store.subscribers(running.service.store)
    assert subscriber.token_key == course_store.token_key(running.service.secret, token)
    assert token.encode() not in Path(tmp_path / "reader.sqlite3").read_bytes()
    assert subscriber.email == "lezer@example.org"


def test_sign_up_guards(service):
    running, _ = service
    url = f"{running.url}/course/{COURSE}/signup"
    body = urlencode({"consent": "yes"})
    assert request("POST", url, body, headers=FORM, origin="https://evil.example")[0] == 403
    back = f"{DOMAIN}/podcast/{COURSE}/#aanmelden-mislukt"  # without JavaScript: the notice
    for refused in ({"website": "http://spam.example"}, {"consent": ""}, {"email": "geen adres"}):
        status, headers, _ = sign_up(running.url, **refused)  # honeypot, no consent, bad e-mail
        assert (status, headers["location"]) == (303, back)
    status, _, data = request("POST", url, {"consent": False})
    assert status == 422 and data["error"]["code"] == "no_consent"
    status, _, data = request("POST", url, {"consent": True, "website": "x"})
    assert status == 422 and data["error"]["code"] == "refused"
    assert request("POST", f"{running.url}/course/geen-cursus/signup", body, headers=FORM)[0] == 404
    status, _, data = request("POST", url, {"consent": True})
    assert status == 201 and data["feed_url"].endswith("/feed.xml")
    statuses = [sign_up(running.url)[0] for _ in range(4)]
    assert statuses == [303, 303, 303, 303]
    assert request("POST", url, {"consent": True})[0] == 429  # rate_limit=5 for this network
    assert sign_up(running.url)[1]["location"] == back  # the form: back to the notice
    assert len(course_store.subscribers(running.service.store)) == 5


def test_answer_page_has_the_personal_feed_and_site_links(service, site):
    running, _ = service
    status, headers, _ = sign_up(running.url)
    token = token_of(headers["location"])
    assert headers["location"] == f"{PUBLIC_SERVICE}/course/{token}/"
    status, headers, page = request("GET", f"{running.url}/course/{token}/", origin=None)
    text = page.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    feed_url = f"{PUBLIC_SERVICE}/course/{token}/feed.xml"
    assert f'id="course-feed-url" type="url" value="{feed_url}"' in text
    assert f'href="podcast://{feed_url.split("://")[1]}"' in text
    assert "SCHITTERCOURSETOKEN" not in text
    assert f'href="{SITE_ORIGIN}/theme/css/podcast.css"' in text  # root-relative → the site
    import gzip

    assert len(gzip.compress(page)) <= 14 * 1024  # the page-weight budget
    assert 'name="robots" content="noindex"' in text
    assert DOMAIN == SITE_ORIGIN


# --- Admin ----------------------------------------------------------------------------------


def test_admin_lists_revokes_deletes_and_exports(service, tmp_path):
    import time

    from reader_service.admin import main

    running, clock = service
    clock.now = time.time() - 8 * DAY  # the admin's clock is the real one
    token = token_of(sign_up(running.url, email="lezer@example.org")[1]["location"])
    clock.now = time.time()
    sign_up(running.url)
    database = ["--database", str(tmp_path / "reader.sqlite3")]

    def admin(*argv) -> tuple[int, str]:
        out = io.StringIO()
        return main([*database, *argv], out=out), out.getvalue()

    code, listing = admin("course-list")
    assert code == 0
    assert f"{COURSE}: 2 subscriber(s), 0 revoked" in listing
    assert "week 1: 1" in listing and "week 2: 1" in listing
    assert "lezer@example.org" not in listing
    assert "lezer@example.org" in admin("course-list", "--emails")[1]
    key = course_store.token_key(running.service.secret, token)[:12]
    assert token not in listing
    assert admin("course-revoke", key) == (0, "revoked 1 personal feed(s)\n")
    exported = json.loads(admin("course-export")[1])
    assert {row["key"]: row["revoked"] is not None for row in exported}[key] is True
    assert all("email" not in row for row in exported)
    assert admin("course-delete", key) == (0, "deleted 1 subscriber(s)\n")
    assert len(json.loads(admin("course-export", "--emails")[1])) == 1
    clock.now = time.time()
    assert fetch(running.url, token)[0] == 404  # deleted: as if it never was
    assert admin("course-revoke", "xyz")[0] == 2  # one clear line, no traceback


# --- E-mail ---------------------------------------------------------------------------------


@pytest.fixture()
def smtp():
    """A real SMTP server (aiosmtpd) on loopback; its received messages."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            message = message_from_bytes(envelope.content, policy=policy.default)
            self.messages.append((envelope.rcpt_tos, message))
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_e_mail_double_opt_in_and_a_lesson_announcement(site, tmp_path, smtp):
    controller, inbox = smtp
    clock = Clock(T0)
    settings = Settings(
        database=str(tmp_path / "reader.sqlite3"),
        secret="m" * 32,
        manifest=str(write_manifest(tmp_path / "manifest.json", [])),
        courses=str(site / "podcast"),
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        smtp_security="none",
        mail_from="cursus@example.org",
        access_log=False,
    )
    running = CourseService(settings, clock)
    try:
        token = token_of(sign_up(running.url, email="lezer@example.org")[1]["location"])
        token_of(sign_up(running.url, email="ander@example.org")[1]["location"])  # unconfirmed
        assert len(inbox.messages) == 2
        (to,), message = inbox.messages[0]
        assert to == "lezer@example.org"
        assert message["Subject"] == "Bevestig je aanmelding voor Vier weken audiocursus"
        body = message.get_content()
        confirm = f"{PUBLIC_SERVICE}/course/{token}/confirm"
        assert confirm in body and f"{PUBLIC_SERVICE}/course/{token}/feed.xml" in body
        status, headers, _ = request("GET", f"{running.url}/course/{token}/confirm", origin=None)
        assert status == 303 and headers["location"] == f"{PUBLIC_SERVICE}/course/{token}/"
        course = running.app.state.course
        assert course.announce_due() == 0  # lesson 1 came with the sign-up
        clock.now = T0 + 7 * DAY
        assert course.announce_due() == 1  # only the confirmed address
        assert course.announce_due() == 0  # once
        (to,), message = inbox.messages[-1]
        assert to == "lezer@example.org"
        assert "Les 2" in message.get_content()
        assert message["Subject"] == "Vier weken audiocursus: er staat een nieuwe les in je feed"
        # leaving deletes the subscriber, e-mail and all
        status, headers, _ = request("POST", f"{running.url}/course/{token}/leave", origin=None)
        assert status == 303 and headers["location"] == f"{DOMAIN}/podcast/{COURSE}/"
        emails = [s.email for s in course_store.subscribers(running.service.store)]
        assert emails == ["ander@example.org"]
    finally:
        running.stop()


# --- PostgreSQL -----------------------------------------------------------------------------


def test_personal_feeds_on_postgresql(site, public, tmp_path):
    from tests.reader_service_support import postgres_cluster, reset_postgres

    with postgres_cluster() as url:
        reset_postgres(url)
        clock = Clock(T0)
        settings = Settings(
            database=url,
            secret="p" * 32,
            manifest=str(write_manifest(tmp_path / "manifest.json", [])),
            courses=str(site / "podcast"),
            access_log=False,
        )
        running = CourseService(settings, clock)
        try:
            token = token_of(sign_up(running.url, email="lezer@example.org")[1]["location"])
            clock.now = T0 + 7 * DAY
            status, _, body = fetch(running.url, token)
            parsed = podcastparser.parse("x", io.BytesIO(body))
            assert status == 200
            assert len([e for e in parsed["episodes"] if e["guid"] in public]) == 2
            store = running.service.store
            key = course_store.token_key(running.service.secret, token)
            assert course_store.find(store, key).email == "lezer@example.org"
            assert course_store.revoke(store, key[:12], T0) == 1
            assert fetch(running.url, token)[0] == 410  # revoked 7 days ago: grace over
            assert fetch(running.url, "y" * 43)[0] == 404
            assert course_store.delete(store, key[:12]) == 1
            assert course_store.subscribers(store) == []
        finally:
            running.stop()


# --- Pages ----------------------------------------------------------------------------------


def test_show_page_and_answer_page_pass_the_nu_html_checker(service, site, tmp_path):
    from tests.nu_checker import nu_errors

    running, _ = service
    token = token_of(sign_up(running.url)[1]["location"])
    status, _, page = request("GET", f"{running.url}/course/{token}/", origin=None)
    assert status == 200
    served = tmp_path / "answer.html"
    served.write_bytes(page)
    assert nu_errors([site / "podcast" / COURSE / "index.html", served]) == []


def test_openapi_describes_every_course_route(service):
    running, _ = service
    status, _, document = request("GET", f"{running.url}/openapi.json", origin=None)
    assert status == 200
    routes = {
        (route.path, method.lower())
        for route in running.app.routes
        if route.path.startswith("/course/")
        for method in route.methods
        if method != "HEAD"
    }
    documented = {
        (path, method)
        for path, operations in document["paths"].items()
        if path.startswith("/course/")
        for method in operations
    }
    assert routes == documented and len(routes) == 5


def test_notice_and_e_mail_texts_keep_any_title():
    from plugins.podcast.course_build import notices

    title = "100% cursus & <b>meer</b>"
    texts = notices(lambda text: text, title, 7)
    confirm = texts["confirm"]["text"] % {"link": "LINK", "feed": "FEED"}
    assert title in confirm and "LINK" in confirm and "FEED" in confirm
    announce = texts["announce"]["text"] % {"lesson": "Les 2", "link": "LINK"}
    assert title in announce and "Les 2" in announce
    assert texts["welcome"]["title"] == f"Welcome to {title}"
