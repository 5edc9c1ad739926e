"""E-mail for drip courses, sent only when ``smtp_host`` is set (config.py):

- on sign-up with an address: a confirmation (double opt-in) with the confirmation link and the
  personal feed URL; nothing else is ever sent to an address that was not confirmed;
- when a lesson opens for a confirmed subscriber: an announcement (``announce_due``, run by the
  service every ``course_announce_every`` seconds, and by ``admin course-announce``).

The texts come translated from the build's manifest (course.json ``notices``); this module
only fills in the links. SMTP through the standard library (STARTTLS, SSL or none): the same
settings as every e-mail of the service, in a module of its own.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from . import course_store
from .course import Course, open_lessons

log = logging.getLogger("reader_service")


def send(settings, message: EmailMessage) -> None:
    """Deliver one message (raises OSError / smtplib.SMTPException)."""
    if settings.smtp_security == "ssl":
        context = ssl.create_default_context()
        connection = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=30, context=context
        )
    else:
        connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    with connection:
        if settings.smtp_security == "starttls":
            connection.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            connection.login(settings.smtp_user, settings.smtp_password)
        connection.send_message(message)


def _message(settings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    return message


class CourseMailer:
    def __init__(self, settings, store, secret: bytes):
        self.settings, self.store, self.secret = settings, store, secret

    def _deliver(self, message: EmailMessage) -> bool:
        try:
            send(self.settings, message)
        except (OSError, smtplib.SMTPException) as error:
            log.error("course e-mail not sent: %s", str(error).strip().splitlines()[0])
            return False
        return True

    def confirm(self, course: Course, email: str, token: str) -> bool:
        text = course.notices["confirm"]
        body = text["text"] % {
            "link": f"{course.page_url(token)}confirm",
            "feed": course.feed_url(token),
        }
        return self._deliver(_message(self.settings, email, text["title"], body))

    def announce_due(self, course_of, now: int) -> int:
        """Announce each lesson that opened since the last announcement (the newest one, once),
        to every confirmed subscriber who still follows the course; how many were sent.
        ``course_of``: show → its Course (None when it cannot be read)."""
        sent = 0
        for subscriber in course_store.subscribers(self.store):
            if not subscriber.email or subscriber.confirmed_at is None or subscriber.revoked_at:
                continue
            course = course_of(subscriber.show)
            if course is None:
                continue
            opened = open_lessons(course, subscriber.signed_up, now)
            if len(opened) <= max(subscriber.announced, 1):  # lesson 1 came with the sign-up
                if len(opened) > subscriber.announced:
                    course_store.mark_announced(self.store, subscriber.token_key, len(opened))
                continue
            lesson, _moment = opened[-1]
            text = course.notices["announce"]
            # Only the token's HMAC is stored: the feed address was in the confirmation.
            body = text["text"] % {"lesson": lesson.title, "link": course.link}
            if self._deliver(_message(self.settings, subscriber.email, text["title"], body)):
                course_store.mark_announced(self.store, subscriber.token_key, len(opened))
                sent += 1
        return sent
