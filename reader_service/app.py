"""The HTTP app (Starlette): scores, votes, health and the OpenAPI description.

    GET  /health             200 when the database answers and the manifest is fresh; else 503
                             with the reason
    GET  /scores             the snapshot: every item's count, sum, average, distribution
    GET  /scores/{item}      one item's score (404 when the site has no such item)
    POST /votes              cast a vote: JSON {"item": id, "score": 1..5} from the widget's
                             script (201 + the new score), or a plain form post without
                             JavaScript (303 to the answer page below; a refused vote: 303
                             back to the article, #stem-mislukt says what to do)
    GET  /votes/{item}/answer  the page that answers a vote without JavaScript: the reader's
                             stars (?stars=1..5) or "already rated" (?already=1), the new
                             average as stars, the count, the way back (vote_answer.py)
    GET  /openapi.json       this API described (OpenAPI 3.1)

Every error is JSON, 500 and 503 included: {"error": {"status": 409, "code": "already_voted",
"message": "…"}}; the widget maps the status to a Dutch (or English) sentence. Reads and
votes are rate limited per client network (limits.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .backends import open_store
from .comments_app import CommentsEndpoints
from .comments_openapi import openapi_paths as comments_openapi_paths
from .config import Settings
from .course_app import CourseEndpoints
from .errors import database_errors, endpoint, error_response
from .guards import (
    Refused,
    address_key,
    client_network,
    parse_form_score,
    parse_score,
    voter_key,
)
from .incoming import client_of, fields_of, is_form_post, read_body
from .limits import DatabaseCounters, Limit, MemoryCounters, RateLimits
from .manifest import Manifest
from .middleware import RequestMiddleware
from .openapi import openapi_document
from .store import AddressLimit, RateLimited, Store
from .vote_answer import answer_page, usable

log = logging.getLogger("reader_service")

PURGE_EVERY = 3600  # seconds between retention purges of voter keys (in the background)
# Fragments of the article page that show the outcome of a form post without JavaScript.
FORM_OUTCOMES = {201: "bedankt", 409: "al-gestemd"}
FORM_FAILED = "stem-mislukt"
RATE_LIMITED = "too many %s from your network; try later"


class ReaderService:
    """What one service process keeps: settings, store, manifest, rate limits."""

    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.secret = settings.secret_key()
        self.store = store or open_store(settings.database, pool=settings.database_pool)
        self.database_errors = database_errors()
        self.manifest = Manifest(
            settings.manifest, settings.manifest_refresh, settings.manifest_max_age
        )
        counters = (
            DatabaseCounters(self.store, self.secret, settings.max_networks)
            if settings.uses_postgres
            else MemoryCounters(settings.max_networks)
        )
        self.limits = RateLimits(
            {
                "vote": Limit(settings.rate_limit, settings.rate_window),
                "read": Limit(settings.read_rate_limit, settings.read_rate_window),
                "comment": Limit(settings.comment_rate_limit, settings.comment_rate_window),
                "course": Limit(settings.rate_limit, settings.rate_window),
            },
            counters,
        )
        self._purging: asyncio.Task | None = None
        self.comments = CommentsEndpoints(self)

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        self.manifest.start()
        self.comments.start()
        self._purging = asyncio.create_task(self._purge_regularly())
        try:
            yield
        finally:
            self._purging.cancel()
            self.manifest.stop()
            self.comments.stop()

    async def _purge_regularly(self) -> None:
        """Forget voter keys past the retention, hourly, in small batches off the request path
        (a first purge of a year of votes must not hold the write lock for a vote's time)."""
        while True:
            try:
                cutoff = int(time.time()) - self.settings.retention_days * 86400
                purged = await run_in_threadpool(self.store.purge_voter_keys, cutoff)
                if purged:
                    log.info("forgot the voter keys of %d vote(s) past the retention", purged)
                await run_in_threadpool(self.comments.forget_network_keys, cutoff)
            except self.database_errors as error:
                log.error("purge failed: %s", str(error).strip().splitlines()[0])
            await asyncio.sleep(PURGE_EVERY)

    # --- endpoints -----------------------------------------------------------------------
    @endpoint
    async def health(self, request: Request) -> Response:
        await run_in_threadpool(self.store.ping)
        usable, problem = self.manifest.status()
        if not usable:
            raise Refused(503, "manifest_unavailable", problem)
        body = {"status": "ok", "database": self.store.kind}
        body["manifest_items"] = len(self.manifest.items or {})
        if problem:
            body["manifest_problem"] = problem
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    @endpoint
    async def all_scores(self, request: Request) -> Response:
        await self._limit(request, "read")
        body = await run_in_threadpool(self.store.snapshot)
        return JSONResponse(body, headers={"Cache-Control": "no-cache"})

    @endpoint
    async def one_score(self, request: Request) -> Response:
        await self._limit(request, "read")
        item = self._item(request.path_params["item"])
        score = await self.store.score_async(item.id)
        body = {"item": item.id, **score.to_json()}
        return JSONResponse(body, headers={"Cache-Control": "no-cache"})

    @endpoint
    async def vote(self, request: Request) -> Response:
        is_form = is_form_post(request, self.settings.site_origin)
        item = None
        try:
            body = await read_body(request, self.settings.max_body)
            item_id, raw_score = self._parse(body, is_form)
            item = self._item(item_id)
            score = parse_form_score(raw_score) if is_form else parse_score(raw_score)
            address, rate = await self._vote_limit(request)
            now = int(time.time())
            user_agent = request.headers.get("user-agent", "")
            vote = (
                item.id,
                score,
                voter_key(self.secret, item.id, address, user_agent),
                now,
                address_key(self.secret, item.id, address),
                self.settings.votes_per_address,
            )
            try:
                result = await self.store.vote_async(*vote, **rate)
            except RateLimited:
                raise Refused(429, "rate_limited", RATE_LIMITED % "votes") from None
            except AddressLimit:
                raise Refused(
                    409,
                    "already_voted",
                    f"this item already has {self.settings.votes_per_address} vote(s) from "
                    f"your address",
                ) from None
            if result is None:
                raise Refused(409, "already_voted", "you already rated this item")
        except Refused as refused:
            if is_form and item is not None and refused.status == 409 and self._answer():
                return self._to_answer(item.id, "already=1")
            if is_form and item is not None and refused.status in (409, 422, 429):
                return self._back_to_article(item.url, FORM_OUTCOMES.get(refused.status))
            raise
        if is_form:
            if self._answer():
                return self._to_answer(item.id, f"stars={score}")
            return self._back_to_article(item.url, FORM_OUTCOMES[201])
        return JSONResponse(
            {"item": item.id, "score": score, **result.to_json()},
            status_code=201,
            headers={"Cache-Control": "no-store"},
        )

    @endpoint
    async def vote_answer(self, request: Request) -> Response:
        await self._limit(request, "read")
        item = self._item(request.path_params["item"])
        answer = self._answer()
        stars = request.query_params.get("stars", "")
        mine = int(stars) if stars in ("1", "2", "3", "4", "5") else None
        if answer is None:  # a manifest from before the answer page: the page's own notice
            return self._back_to_article(item.url, FORM_OUTCOMES[201 if mine else 409])
        score = await run_in_threadpool(self.store.score, item.id)
        origin = self.settings.site_origin[0]
        url = origin + item.url if item.url.startswith("/") else item.url
        return Response(
            answer_page(answer, item.title, url, score, mine, origin),
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
        )

    async def openapi(self, request: Request) -> Response:
        document = openapi_document()
        document["paths"].update(comments_openapi_paths())
        return JSONResponse(document)

    # --- helpers -------------------------------------------------------------------------
    def _item(self, item_id: str):
        if not self.manifest.available:
            raise Refused(503, "manifest_unavailable", self.manifest.status()[1] or "no manifest")
        item = self.manifest.get(item_id)
        if item is None:
            raise Refused(404, "unknown_item", f"the site has no item {item_id!r}")
        return item

    async def _limit(self, request: Request, action: str) -> str:
        """Count the request against its network's limit; the client's address."""
        address = client_of(request, self.settings.proxy_networks)
        if not await self.within_limit(action, client_network(address)):
            what = "votes" if action == "vote" else "requests"
            raise Refused(429, "rate_limited", RATE_LIMITED % what)
        return address

    async def _vote_limit(self, request: Request) -> tuple[str, dict]:
        """`_limit` for a vote: the client's address, and when only the database can count
        the hit, the hit for the vote's own transaction (no thread, no round trip of its own)."""
        address = client_of(request, self.settings.proxy_networks)
        network = client_network(address)
        allowed = self.limits.allow_here("vote", network)
        if allowed is None:
            pending = self.limits.pending("vote", network)
            if pending is not None:
                return address, {"rate": pending}
            allowed = await run_in_threadpool(self.limits.allow, "vote", network)
        if not allowed:
            raise Refused(429, "rate_limited", RATE_LIMITED % "votes")
        return address, {}

    async def within_limit(self, action: str, key: str) -> bool:
        """Count a request of `key` (a network) against the action's limit."""
        allowed = self.limits.allow_here(action, key)  # in memory: no thread needed
        if allowed is None:  # only the shared counters in the database can tell
            allowed = await run_in_threadpool(self.limits.allow, action, key)
        return allowed

    @staticmethod
    def _parse(body: bytes, is_form: bool) -> tuple[str, object]:
        fields = fields_of(body, is_form, '{"item": "<id>", "score": 1..5}')
        item = fields.get("item")
        if not isinstance(item, str) or not item:
            raise Refused(400, "bad_request", "the vote names no item")
        return item, fields.get("score")

    def _answer(self) -> dict | None:
        answer = self.manifest.document.get("answer") if self.manifest.available else None
        return answer if usable(answer) else None

    @staticmethod
    def _to_answer(item_id: str, query: str) -> Response:
        # Relative to the address the form posted to (…/votes): right behind a proxy's prefix
        # too (https://example.org/api/ratings/votes → …/api/ratings/votes/<item>/answer).
        return RedirectResponse(f"votes/{quote(item_id, safe='')}/answer?{query}", status_code=303)

    def _back_to_article(self, url: str, fragment: str | None) -> Response:
        """303 to the item's own URL from the manifest (never a URL the client sent)."""
        if url.startswith("/"):
            url = self.settings.site_origin[0] + url
        return RedirectResponse(f"{url}#{fragment or FORM_FAILED}", status_code=303)


def create_app(settings: Settings, store: Store | None = None, clock=None) -> Starlette:
    """The app; ``clock`` (seconds since the epoch, e.g. a test's) drives the drip courses."""
    service = ReaderService(settings, store)
    course = CourseEndpoints(service, clock or time.time)
    routes = [
        Route("/health", service.health, methods=["GET"]),
        Route("/scores", service.all_scores, methods=["GET"]),
        Route("/scores/{item}", service.one_score, methods=["GET"]),
        Route("/votes", service.vote, methods=["POST"]),
        Route("/votes/{item}/answer", service.vote_answer, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
        *service.comments.routes(endpoint),
        *course.routes(),
    ]
    middleware = [
        Middleware(RequestMiddleware, access=settings.access_log),
        Middleware(
            CORSMiddleware,
            allow_origins=settings.site_origin,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        ),
    ]

    async def http_error(request: Request, exc) -> Response:
        if exc.status_code == 405:
            return error_response(
                Refused(405, "method_not_allowed", "this endpoint takes another method")
            )
        return error_response(Refused(exc.status_code, "not_found", "no such endpoint"))

    async def server_error(request: Request, exc: Exception) -> Response:
        return error_response(Refused(500, "internal_error", "something went wrong on our side"))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        async with service.lifespan(app), course.running():
            yield

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: http_error, 405: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.course = course
    return app
