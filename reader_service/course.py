"""A subscriber's personal feed of a drip course, put together from the build's manifest.

The build writes ``podcast/<show>/course.json`` (plugins/podcast/course_feed.py): the course
feed's channel (``head``, ``tail``) and each lesson's item as the feed code made it. Nothing is
scheduled: at each request the lessons whose opening time (sign-up + ``opens_after``) has come
are joined, each with that opening time as its ``pubDate``, newest first. Besides the lessons:

- a welcome item, dated the sign-up time (day 0);
- when the course is over (one interval after the last lesson opened), an item that says so;
- when the author revoked the feed (and the grace period still runs), an item that says so,
  and no lessons open after the revocation.

Pure: the manifest, the subscriber's times and "now" in, bytes and validators out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

PUBDATE = "@@PUBDATE@@"
TOKEN = "SCHITTERCOURSETOKEN"
NOTICE_GUID = "urn:schitter:course:{show}:{kind}"


@dataclass(frozen=True)
class Lesson:
    guid: str
    position: int
    title: str
    opens_after: int  # seconds after sign-up
    item: str  # the item's XML, PUBDATE where its pubDate goes


@dataclass(frozen=True)
class Course:
    show: str
    title: str
    link: str
    interval: int  # seconds
    head: str
    tail: str
    lessons: tuple[Lesson, ...]
    notices: dict
    service_url: str
    answer_page: str  # the sign-up answer page, TOKEN where the token goes
    version: str  # changes whenever the build changed the course

    @property
    def ends_after(self) -> int:
        """Seconds after sign-up at which the course is over."""
        last = max((lesson.opens_after for lesson in self.lessons), default=0)
        return last + self.interval

    def feed_url(self, token: str) -> str:
        return f"{self.service_url}/course/{token}/feed.xml"

    def page_url(self, token: str) -> str:
        return f"{self.service_url}/course/{token}/"


class CourseError(ValueError):
    """A course manifest that cannot be used; the message names the file and the fix."""


def read_course(folder: Path, site_origin: str) -> Course:
    """The course in ``folder`` (``output/podcast/<show>``): course.json + course-answer.html."""
    manifest = folder / "course.json"
    try:
        raw = manifest.read_bytes()
        data = json.loads(raw)
        page = (folder / "course-answer.html").read_text(encoding="utf-8")
        lessons = tuple(
            Lesson(
                str(x["guid"]),
                int(x["position"]),
                str(x["title"]),
                int(x["opens_after"]),
                x["item"],
            )
            for x in data["lessons"]
        )
        course = Course(
            show=str(data["show"]),
            title=str(data["title"]),
            link=str(data["link"]),
            interval=int(data["interval_days"]) * 86400,
            head=str(data["head"]),
            tail=str(data["tail"]),
            lessons=lessons,
            notices=dict(data["notices"]),
            service_url=str(data["service_url"]).rstrip("/"),
            answer_page=_site_links(page, site_origin),
            version=hashlib.sha256(raw + page.encode()).hexdigest()[:16],
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CourseError(
            f"{manifest}: cannot be read ({error}) — build the site again (invoke build)"
        ) from None
    return course


def _site_links(page: str, site_origin: str) -> str:
    """The page is served from the service's address: root-relative links go to the site."""
    return page.replace(' href="/', f' href="{site_origin}/').replace(
        ' src="/', f' src="{site_origin}/'
    )


def rfc822(moment: int) -> str:
    return format_datetime(datetime.fromtimestamp(moment, UTC), usegmt=True)


def _notice(course: Course, kind: str, moment: int) -> str:
    text = course.notices[kind]
    guid = NOTICE_GUID.format(show=course.show, kind=kind)
    return (
        f"<item>\n      <title>{escape(text['title'])}</title>\n"
        f"      <link>{escape(course.link)}</link>\n"
        f"      <description>{escape(escape(text['text']))}</description>\n"
        f'      <guid isPermaLink="false">{guid}</guid>\n'
        f"      <pubDate>{rfc822(moment)}</pubDate>\n    </item>"
    )


@dataclass(frozen=True)
class PersonalFeed:
    body: bytes
    last_modified: int  # the newest item's time
    etag: str
    lessons: int  # lessons open


def open_lessons(course: Course, signed_up: int, until: int) -> list[tuple[Lesson, int]]:
    """(lesson, opening time) of the lessons open at ``until``, in course order."""
    return [
        (lesson, signed_up + lesson.opens_after)
        for lesson in course.lessons
        if signed_up + lesson.opens_after <= until
    ]


def personal_feed(
    course: Course, token: str, signed_up: int, now: int, revoked_at: int | None = None
) -> PersonalFeed:
    """The feed of one subscriber at ``now``."""
    until = min(now, revoked_at) if revoked_at is not None else now
    opened = open_lessons(course, signed_up, until)
    entries = [(signed_up, -1, _notice(course, "welcome", signed_up))]
    for lesson, moment in opened:
        entries.append((moment, lesson.position, lesson.item.replace(PUBDATE, rfc822(moment))))
    ended = signed_up + course.ends_after
    if revoked_at is not None and revoked_at <= now:
        entries.append((revoked_at, 10**6, _notice(course, "revoked", revoked_at)))
    elif ended <= now:
        entries.append((ended, 10**6, _notice(course, "ended", ended)))
    entries.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    head = course.head.replace(TOKEN, token)  # in the self link (a token is URL-safe)
    body = (head + "\n    ".join(entry[2] for entry in entries) + "\n  " + course.tail).encode()
    newest = entries[0][0]
    state = f"{course.version}:{len(opened)}:{newest}:{revoked_at or 0}"
    etag = '"' + hashlib.sha256(state.encode()).hexdigest()[:24] + '"'
    return PersonalFeed(body, newest, etag, len(opened))


def answer_page(course: Course, token: str) -> bytes:
    return course.answer_page.replace(TOKEN, token).encode()
