"""What happens around a comment besides storing it: e-mail and the rebuild.

- **A new comment** → one e-mail to the author (``author_email``) with the comment and two
  signed links, approve and reject (comments.moderation_signature). The links open a page of the
  service that asks to confirm with a button (a POST): mail scanners that follow every link in a
  message cannot approve or reject anything.
- **An approved reply** → an e-mail to the earlier commenter, only when they asked for it
  (the "notify me" box) and gave an address, and only once the reply is approved.
- **An approval** → the author's ``rebuild_command`` (e.g. ``invoke publish``), so that the comment
  is baked into the page. Rebuilds never overlap: approvals during a rebuild run it once more
  when it ends.

E-mail is sent over SMTP (stdlib smtplib; STARTTLS, SSL or plain) only when ``smtp_host`` is set.
The service sends from a background thread, so a slow mail server never holds up a reader; a
failure is logged without the recipient's address.
"""

from __future__ import annotations

import logging
import queue
import shlex
import smtplib
import ssl
import subprocess
import threading
from email.message import EmailMessage
from urllib.parse import urlencode

from .comments import moderation_signature
from .comments_store import Comment

log = logging.getLogger("reader_service.comments")

TEXTS = {
    "nl": {
        "new_subject": "Nieuwe reactie van {name} op {title}",
        "new_body": (
            "{name} reageerde op {title}:\n\n{body}\n\nWebsite: {website}\nE-mail: {email}\n\n"
            "Goedkeuren: {approve}\nAfwijzen: {reject}\n\nDe pagina: {url}\n"
        ),
        "reply_subject": "{name} reageerde op je reactie bij {title}",
        "reply_body": (
            "Hallo {parent},\n\n{name} reageerde op je reactie bij {title}:\n\n{body}\n\n"
            "Lees het hier: {url}\n\nJe krijgt dit bericht omdat je daarom vroeg bij je "
            "reactie. Je krijgt er geen andere.\n"
        ),
        "none": "(geen)",
    },
    "en": {
        "new_subject": "New comment by {name} on {title}",
        "new_body": (
            "{name} commented on {title}:\n\n{body}\n\nWebsite: {website}\nE-mail: {email}\n\n"
            "Approve: {approve}\nReject: {reject}\n\nThe page: {url}\n"
        ),
        "reply_subject": "{name} replied to your comment on {title}",
        "reply_body": (
            "Hello {parent},\n\n{name} replied to your comment on {title}:\n\n{body}\n\n"
            "Read it here: {url}\n\nYou get this message because you asked for it with your "
            "comment. You get no others.\n"
        ),
        "none": "(none)",
    },
}


def moderation_link(settings, secret: bytes, comment_id: int, action: str) -> str:
    signature = moderation_signature(secret, comment_id, action)
    query = urlencode({"id": comment_id, "action": action, "sig": signature})
    return f"{settings.public_url}/comments/moderate?{query}"


def new_comment_message(settings, secret: bytes, comment: Comment, title: str, url: str):
    texts = TEXTS[settings.mail_language]
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = settings.author_email
    message["Subject"] = texts["new_subject"].format(name=comment.name, title=title)
    message.set_content(
        texts["new_body"].format(
            name=comment.name,
            title=title,
            body=comment.body,
            website=comment.website or texts["none"],
            email=comment.email or texts["none"],
            approve=moderation_link(settings, secret, comment.id, "approve"),
            reject=moderation_link(settings, secret, comment.id, "reject"),
            url=url,
        )
    )
    return message


def reply_message(settings, reply: Comment, parent: Comment, title: str, url: str):
    texts = TEXTS[settings.mail_language]
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = parent.email
    message["Subject"] = texts["reply_subject"].format(name=reply.name, title=title)
    message.set_content(
        texts["reply_body"].format(
            parent=parent.name,
            name=reply.name,
            title=title,
            body=reply.body,
            url=f"{url}#reactie-{reply.id}",
        )
    )
    return message


def send(settings, message: EmailMessage) -> None:
    """Deliver one message over SMTP (raises smtplib/OSError errors)."""
    if settings.smtp_security == "ssl":
        connection = smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=30,
            context=ssl.create_default_context(),
        )
    else:
        connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    with connection:
        if settings.smtp_security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            connection.login(settings.smtp_user, settings.smtp_password)
        connection.send_message(message)


class Notifier:
    """Sends mail and runs the rebuild; in the service from one background thread."""

    def __init__(self, settings, secret: bytes, background: bool = True):
        self.settings = settings
        self.secret = secret
        self.background = background
        self.jobs: queue.Queue = queue.Queue()
        self.rebuild_queued = threading.Event()  # one queued rebuild covers every approval
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.background:
            self.thread = threading.Thread(target=self._run, name="notifier", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join(timeout=35)

    def _run(self) -> None:
        while (job := self.jobs.get()) is not None:
            self._do(job)

    def _submit(self, job) -> None:
        if self.background:
            self.jobs.put(job)
        else:
            self._do(job)

    def _do(self, job) -> None:
        kind, payload = job
        try:
            if kind == "mail":
                send(self.settings, payload)
            else:
                self._rebuild()
        except (OSError, smtplib.SMTPException) as error:
            # The error names the server, never the recipient.
            log.error("%s failed: %s", "e-mail" if kind == "mail" else "rebuild", error)

    # --- events ---------------------------------------------------------------------------
    def received(self, comment: Comment, title: str, url: str) -> None:
        if self.settings.smtp_host and self.settings.author_email and comment.status == "pending":
            message = new_comment_message(self.settings, self.secret, comment, title, url)
            self._submit(("mail", message))

    def approved(self, comment: Comment, parent: Comment | None, title: str, url: str) -> None:
        wants_mail = (
            parent is not None
            and parent.notify
            and parent.email
            and parent.email != comment.email
            and parent.status == "approved"
        )
        if self.settings.smtp_host and wants_mail:
            self._submit(("mail", reply_message(self.settings, comment, parent, title, url)))
        if self.settings.rebuild_command and not self.rebuild_queued.is_set():
            self.rebuild_queued.set()
            self._submit(("rebuild", None))

    def _rebuild(self) -> None:
        self.rebuild_queued.clear()  # an approval from now on needs another run
        command = shlex.split(self.settings.rebuild_command)
        result = subprocess.run(command, capture_output=True, text=True, timeout=3600)
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
            log.error("rebuild %s exited with %d: %s", command[0], result.returncode, tail)
        else:
            log.info("rebuilt the site after an approval (%s)", command[0])
