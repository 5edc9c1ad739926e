"""E-mail against a real SMTP server (aiosmtpd on loopback): the author's message per new
comment and its signed approve/reject links, reply notifications only with opt-in and only
after approval, and the admin command's approve with its rebuild command."""

from __future__ import annotations

import email
import email.policy
import re
import sys
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller

from reader_service import comments_admin, comments_store
from tests.comments_support import comment_json, comment_services
from tests.reader_service_support import eventually, free_port, request

IDS = ["welkom"]
AUTHOR = "sanne@communitykompas.example"


class Inbox:
    """What the SMTP server received: one parsed message per delivery."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def service(tmp_path, smtp):
    port, inbox = smtp
    with comment_services(tmp_path, IDS) as start:
        running = start(
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
            mail_from="reacties@communitykompas.example",
            author_email=AUTHOR,
        )
        # The links in the e-mails point at the service's own address (known once it listens).
        running.settings.public_url = running.url
        yield running, inbox


class Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs["value"]


def links(message) -> dict[str, str]:
    text = message.get_content()
    return dict(re.findall(r"(Goedkeuren|Afwijzen): (\S+)", text))


def confirm(link: str):
    """What the author does: open the link, press the button on the page."""
    status, headers, page = request("GET", link, origin=None)
    assert status == 200, page
    assert "default-src 'none'" in headers["content-security-policy"]
    form = Form()
    form.feed(page.decode())
    url = link.split("?")[0]
    return request(
        "POST",
        url,
        urlencode(form.fields),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        origin=None,
    )


def test_new_comment_mails_the_author_and_the_approve_link_works(service):
    running, inbox = service
    status, _, data = comment_json(
        running.url, "welkom", name="Anna", body="Wat **mooi**", email="anna@example.nl"
    )
    assert status == 202
    [message] = eventually(lambda: inbox.to(AUTHOR))
    assert message["Subject"] == "Nieuwe reactie van Anna op Welkom"
    assert "Wat **mooi**" in message.get_content()
    link = links(message)["Goedkeuren"]
    # Opening the link (a mail scanner does) approves nothing; the button does.
    request("GET", link, origin=None)
    assert comments_store.get(running.store, data["comment"]["id"]).status == "pending"
    status, _, page = confirm(link)
    assert status == 200 and b"Goedgekeurd" in page
    assert comments_store.get(running.store, data["comment"]["id"]).status == "approved"
    _, _, live = request("GET", f"{running.url}/comments/welkom")
    assert [c["id"] for c in live["comments"]] == [data["comment"]["id"]]


def test_reject_link_and_forged_links(service):
    running, inbox = service
    _, _, data = comment_json(running.url, "welkom", name="Spammer", body="Koop nu")
    [message] = eventually(lambda: inbox.to(AUTHOR))
    status, _, _ = confirm(links(message)["Afwijzen"])
    assert status == 200
    assert comments_store.get(running.store, data["comment"]["id"]).status == "rejected"
    approve = links(message)["Goedkeuren"]
    forged = re.sub(r"sig=[0-9a-f]+", "sig=" + "0" * 64, approve)
    status, _, body = request("GET", forged, origin=None)
    assert (status, body["error"]["code"]) == (403, "bad_signature")
    other = approve.replace(f"id={data['comment']['id']}", "id=999")
    assert request("GET", other, origin=None)[0] == 403  # a signature is for one comment
    assert comments_store.get(running.store, data["comment"]["id"]).status == "rejected"


def test_reply_notification_only_with_opt_in_and_after_approval(service):
    running, inbox = service
    _, _, anna = comment_json(
        running.url, "welkom", name="Anna", email="anna@example.nl", notify="1"
    )
    _, _, carla = comment_json(running.url, "welkom", name="Carla", email="carla@example.nl")
    for comment in (anna, carla):
        comments_store.set_status(running.store, comment["comment"]["id"], "approved", 1)
    _, _, bob = comment_json(
        running.url, "welkom", name="Bob", body="Eens met Anna", parent=anna["comment"]["id"]
    )
    _, _, dan = comment_json(
        running.url, "welkom", name="Dan", body="Eens met Carla", parent=carla["comment"]["id"]
    )
    eventually(lambda: len(inbox.to(AUTHOR)) == 4)
    assert inbox.to("anna@example.nl") == []  # the reply is not approved yet
    for reply in (bob, dan):
        [message] = [
            m
            for m in inbox.to(AUTHOR)
            if reply["comment"]["id"] and f"id={reply['comment']['id']}&" in m.get_content()
        ]
        confirm(links(message)["Goedkeuren"])
    [notice] = eventually(lambda: inbox.to("anna@example.nl"))
    assert notice["Subject"] == "Bob reageerde op je reactie bij Welkom"
    assert f"#reactie-{bob['comment']['id']}" in notice.get_content()
    time.sleep(0.5)
    assert inbox.to("carla@example.nl") == []  # Carla did not ask for it


def test_admin_approve_sends_the_reply_mail_and_rebuilds(service, tmp_path, monkeypatch, capsys):
    running, inbox = service
    _, _, anna = comment_json(
        running.url, "welkom", name="Anna", email="anna@example.nl", notify="1"
    )
    comments_store.set_status(running.store, anna["comment"]["id"], "approved", 1)
    _, _, bob = comment_json(running.url, "welkom", name="Bob", parent=anna["comment"]["id"])
    marker = tmp_path / "rebuilt"
    settings = running.settings
    for name, value in {
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
        "SMTP_SECURITY": "none",
        "MAIL_FROM": settings.mail_from,
        "AUTHOR_EMAIL": AUTHOR,
        "COMMENTS_MANIFEST": settings.comments_manifest,
        "REBUILD_COMMAND": f"{sys.executable} -c \"open('{marker}', 'w').write('ok')\"",
    }.items():
        monkeypatch.setenv(f"READER_SERVICE_{name}", value)
    code = comments_admin.main(
        ["--database", settings.database, "approve", str(bob["comment"]["id"])]
    )
    assert code == 0, capsys.readouterr().err
    assert marker.read_text() == "ok"  # the rebuild command ran
    [notice] = inbox.to("anna@example.nl")
    assert "Bob" in notice["Subject"]


@pytest.mark.browser
def test_approve_link_in_the_browser(service, browser, page_watch):
    """The author opens the e-mail's link in Chromium and presses the button."""
    running, inbox = service
    _, _, data = comment_json(running.url, "welkom", name="Mira", body="Via de browser")
    [message] = eventually(lambda: inbox.to(AUTHOR))
    context = browser.new_context()
    page = page_watch.attach(context.new_page())
    page.goto(links(message)["Goedkeuren"])
    assert page.locator("h1").inner_text() == "Reactie goedkeuren"
    assert "Via de browser" in page.locator("blockquote").inner_text()
    page.click("text=Bevestigen")
    page.locator("h1", has_text="Goedgekeurd").wait_for()
    assert comments_store.get(running.store, data["comment"]["id"]).status == "approved"
    assert page_watch.console_errors == []
    context.close()
