"""The course endpoints of the service (drip courses, issue 17):

    POST /course/{show}/signup    sign up: a plain form (no JavaScript: 303 to the answer page)
                                  or JSON (201 {"feed_url", "page_url"}); origin check, rate
                                  limit and honeypot as for votes; consent required, e-mail
                                  optional
    GET  /course/{token}/         the answer page: the personal feed URL, subscribe buttons
    GET  /course/{token}/feed.xml the personal feed: the lessons open for this subscriber
                                  (ETag/Last-Modified: 304 for an app that polls hourly)

A revoked token answers 410 once its grace period (``course_revoke_grace_days``, during which
the feed carries a last item that says it stopped) is over; an unknown one 404. Both are looked
up the same way (course_store: the HMAC of the token, one index lookup).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from . import course_store
from .course import Course, CourseError, answer_page, personal_feed, read_course
from .course_mail import CourseMailer
from .errors import endpoint
from .guards import Refused
from .incoming import fields_of, is_form_post, read_body

SHOW = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")
EMAIL = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]{1,190}\.[^@\s<>\"]{2,63}$")
log = logging.getLogger("reader_service")
FORM_FAILED = "aanmelden-mislukt"  # the form's notice (partials/course_signup.html)
FEED_CACHE = "private, max-age=900"  # an app polling hourly revalidates: a 304 costs little


class Courses:
    """The courses the build wrote (``<courses>/<show>/course.json``), re-read when changed."""

    def __init__(self, folder: str, site_origin: str):
        self.folder = Path(folder)
        self.site_origin = site_origin
        self._read: dict[str, tuple[float, Course]] = {}

    def get(self, show: str) -> Course | None:
        if not SHOW.match(show):
            return None
        manifest = self.folder / show / "course.json"
        try:
            changed = manifest.stat().st_mtime
        except OSError:
            return None
        known = self._read.get(show)
        if known is None or known[0] != changed:
            known = (changed, read_course(manifest.parent, self.site_origin))
            self._read[show] = known
        return known[1]


class CourseEndpoints:
    def __init__(self, service, clock: Callable[[], float] = time.time):
        self.service = service
        self.settings = service.settings
        self.database_errors = service.database_errors
        self.clock = clock
        self.courses = Courses(self.settings.courses, self.settings.site_origin[0])
        self.mailer = (
            CourseMailer(self.settings, service.store, service.secret)
            if self.settings.smtp_host
            else None
        )

    @contextlib.asynccontextmanager
    async def running(self):
        """While the service runs: new lessons announced by e-mail (when SMTP is set)."""
        task = asyncio.create_task(self._announce_regularly()) if self.mailer else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()

    def announce_due(self) -> int:
        return self.mailer.announce_due(self._readable_course, int(self.clock()))

    def _readable_course(self, show: str) -> Course | None:
        with contextlib.suppress(CourseError):  # a broken manifest: reported on requests
            return self.courses.get(show)
        return None

    async def _announce_regularly(self) -> None:
        while True:
            await asyncio.sleep(self.settings.course_announce_every)
            try:
                sent = await run_in_threadpool(self.announce_due)
                if sent:
                    log.info("announced new lessons in %d e-mail(s)", sent)
            except self.database_errors as error:
                log.error("announcing lessons failed: %s", str(error).strip().splitlines()[0])

    def routes(self) -> list[Route]:
        return [
            Route("/course/{show}/signup", self.signup, methods=["POST"]),
            Route("/course/{token}/", self.page, methods=["GET"]),
            Route("/course/{token}/feed.xml", self.feed, methods=["GET", "HEAD"]),
            Route("/course/{token}/confirm", self.confirm, methods=["GET"]),
            Route("/course/{token}/leave", self.leave, methods=["POST"]),
        ]

    def _course(self, show: str) -> Course:
        try:
            course = self.courses.get(show)
        except CourseError as error:
            raise Refused(503, "course_unavailable", str(error)) from None
        if course is None:
            raise Refused(404, "unknown_course", f"the site has no course {show!r}")
        return course

    @endpoint
    async def signup(self, request: Request) -> Response:
        is_form = is_form_post(request, self.settings.site_origin)
        course = self._course(request.path_params["show"])
        try:
            email = await self._checked(request, is_form)
        except Refused as refused:
            if is_form and refused.status in (400, 413, 422, 429):
                # Without JavaScript: back to the form, whose notice says what to do.
                return RedirectResponse(f"{course.link}#{FORM_FAILED}", status_code=303)
            raise
        token = course_store.new_token()
        key = course_store.token_key(self.service.secret, token)
        now = int(self.clock())
        await run_in_threadpool(course_store.add, self.service.store, key, course.show, now, email)
        if email and self.mailer is not None:
            await run_in_threadpool(self.mailer.confirm, course, email, token)
        if is_form:
            return RedirectResponse(course.page_url(token), status_code=303)
        return JSONResponse(
            {"feed_url": course.feed_url(token), "page_url": course.page_url(token)},
            status_code=201,
            headers={"Cache-Control": "no-store"},
        )

    async def _checked(self, request: Request, is_form: bool) -> str | None:
        """The sign-up's e-mail address (None: none given), once every guard has passed."""
        body = await read_body(request, self.settings.max_body)
        fields = fields_of(body, is_form, '{"consent": true, "email": "…"}')
        if fields.get("website"):  # the honeypot: people never see it, scripts fill it in
            raise Refused(422, "refused", "this sign-up was refused")
        if fields.get("consent") not in ("yes", True):
            raise Refused(422, "no_consent", "tick the consent line to sign up")
        email = str(fields.get("email") or "").strip() or None
        if email is not None and not EMAIL.match(email):
            raise Refused(422, "bad_email", "not an e-mail address; leave it empty or fix it")
        await self.service._limit(request, "course")
        return email

    async def _subscriber(self, request: Request):
        """The subscriber and course of the token in the path; 404 unknown, 410 revoked."""
        token = request.path_params["token"]
        # Every token is hashed and looked up, well-formed or not: the same work either way.
        key = course_store.token_key(self.service.secret, token)
        found = await run_in_threadpool(course_store.find, self.service.store, key)
        if found is None or not TOKEN.match(token):
            raise Refused(404, "unknown_feed", "there is no such personal feed")
        now = int(self.clock())
        grace = self.settings.course_revoke_grace_days * 86400
        if found.revoked_at is not None and now >= found.revoked_at + grace:
            raise Refused(410, "feed_revoked", "this personal feed has been stopped")
        course = self._course(found.show)
        return token, found, course, now

    @endpoint
    async def feed(self, request: Request) -> Response:
        await self.service._limit(request, "read")
        token, found, course, now = await self._subscriber(request)
        feed = personal_feed(course, token, found.signed_up, now, found.revoked_at)
        headers = {
            "ETag": feed.etag,
            "Last-Modified": _http_date(feed.last_modified),
            "Cache-Control": FEED_CACHE,
        }
        if _not_modified(request, feed.etag, feed.last_modified):
            return Response(status_code=304, headers=headers)
        return Response(feed.body, media_type="application/rss+xml; charset=utf-8", headers=headers)

    @endpoint
    async def page(self, request: Request) -> Response:
        token, _found, course, _now = await self._subscriber(request)
        return Response(
            answer_page(course, token),
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
        )

    @endpoint
    async def confirm(self, request: Request) -> Response:
        """The link of the confirmation e-mail: the address is confirmed (double opt-in)."""
        token, found, course, now = await self._subscriber(request)
        await run_in_threadpool(course_store.confirm, self.service.store, found.token_key, now)
        return RedirectResponse(course.page_url(token), status_code=303)

    @endpoint
    async def leave(self, request: Request) -> Response:
        """The answer page's "leave the course": the subscriber is deleted, e-mail and all.
        (No origin check: the token in the path is the reader's own secret.)"""
        _token, found, course, _now = await self._subscriber(request)
        await run_in_threadpool(course_store.delete, self.service.store, found.token_key)
        return RedirectResponse(course.link, status_code=303)


def _http_date(moment: int) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(moment))


def _not_modified(request: Request, etag: str, last_modified: int) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since:
        from email.utils import parsedate_to_datetime

        try:
            return int(parsedate_to_datetime(since).timestamp()) >= last_modified
        except (TypeError, ValueError):
            return False
    return False
