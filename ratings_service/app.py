"""The HTTP app (Starlette): scores, votes, health and the OpenAPI description.

    GET  /health             is the service up and the database reachable
    GET  /scores             the snapshot: every item's count, sum, average, distribution
    GET  /scores/{item}      one item's score (404 when the site has no such item)
    POST /votes              cast a vote: JSON {"item": id, "score": 1..5} from the widget's
                             script (201 + the new score), or a plain form post without
                             JavaScript (303 back to the article, #bedankt shows the thank-you)
    GET  /openapi.json       this API described (OpenAPI 3.1)

Errors are JSON: {"error": {"status": 409, "code": "already_voted", "message": "…"}}; the
widget maps the status to a Dutch (or English) sentence.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .config import Settings
from .guards import (
    Manifest,
    RateLimiter,
    Refused,
    check_origin,
    client_address,
    client_network,
    parse_form_score,
    parse_score,
    voter_key,
)
from .openapi import openapi_document
from .store import Score, Store, open_store

log = logging.getLogger("ratings_service")

PURGE_EVERY = 3600  # seconds between retention purges of voter keys
# Fragments of the article page that show the outcome of a form post without JavaScript.
FORM_OUTCOMES = {201: "bedankt", 409: "al-gestemd"}
FORM_FAILED = "stem-mislukt"


def _error(refused: Refused) -> JSONResponse:
    body = {"error": {"status": refused.status, "code": refused.code, "message": refused.message}}
    return JSONResponse(body, status_code=refused.status, headers={"Cache-Control": "no-store"})


class RatingsApp:
    """The state one service process keeps: settings, store, manifest, rate limiter."""

    def __init__(self, settings: Settings, store: Store | None = None):
        self.settings = settings
        self.secret = settings.secret_key()
        self.store = store or open_store(settings.database)
        self.manifest = Manifest(settings.manifest)
        self.limiter = RateLimiter(settings.rate_limit, settings.rate_window)
        self.last_purge = 0.0

    # --- endpoints -----------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        try:
            await run_in_threadpool(self.store.ping)
        except Exception as error:  # noqa: BLE001 - report any database failure as unhealthy
            return _error(Refused(503, "database_unavailable", str(error)))
        return JSONResponse({"status": "ok", "database": self.store.kind})

    async def all_scores(self, request: Request) -> Response:
        scores = await run_in_threadpool(self.store.scores)
        body = {"items": {item: score.to_json() for item, score in sorted(scores.items())}}
        return JSONResponse(body, headers={"Cache-Control": "no-cache"})

    async def one_score(self, request: Request) -> Response:
        item_id = request.path_params["item"]
        try:
            item = await run_in_threadpool(self.manifest.get, item_id)
        except Refused as refused:
            return _error(refused)
        if item is None:
            return _error(Refused(404, "unknown_item", f"the site has no item {item_id!r}"))
        scores = await run_in_threadpool(self.store.scores, item_id)
        body = {"item": item_id, **scores.get(item_id, Score()).to_json()}
        return JSONResponse(body, headers={"Cache-Control": "no-cache"})

    async def vote(self, request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        is_form = content_type == "application/x-www-form-urlencoded"
        item = None
        try:
            if not is_form and content_type != "application/json":
                raise Refused(415, "unsupported_media_type", "send JSON or a form post")
            check_origin(
                request.headers.get("origin"),
                request.headers.get("referer"),
                self.settings.site_origin,
            )
            body = await self._read_body(request)
            item_id, raw_score = self._parse(body, is_form)
            item = await run_in_threadpool(self.manifest.get, item_id)
            if item is None:
                raise Refused(404, "unknown_item", f"the site has no item {item_id!r}")
            score = parse_form_score(raw_score) if is_form else parse_score(raw_score)
            peer = request.client.host if request.client else None
            address = client_address(
                peer, request.headers.get("x-forwarded-for"), self.settings.proxy_networks
            )
            if not self.limiter.allow(client_network(address)):
                raise Refused(429, "rate_limited", "too many votes from your network; try later")
            key = voter_key(self.secret, item.id, address, request.headers.get("user-agent", ""))
            now = int(time.time())
            stored = await run_in_threadpool(self.store.add_vote, item.id, score, key, now)
            if not stored:
                raise Refused(409, "already_voted", "you already rated this item")
            await self._maybe_purge(now)
            result = (await run_in_threadpool(self.store.scores, item.id)).get(item.id, Score())
        except Refused as refused:
            if is_form and item is not None and refused.status in (409, 422, 429):
                return self._back_to_article(item.url, FORM_OUTCOMES.get(refused.status))
            return _error(refused)
        if is_form:
            return self._back_to_article(item.url, FORM_OUTCOMES[201])
        return JSONResponse(
            {"item": item.id, "score": score, **result.to_json()},
            status_code=201,
            headers={"Cache-Control": "no-store"},
        )

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_document())

    # --- helpers -------------------------------------------------------------------------
    async def _read_body(self, request: Request) -> bytes:
        limit = self.settings.max_body
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise Refused(413, "body_too_large", f"request body over {limit} bytes")
        body = b""
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise Refused(413, "body_too_large", f"request body over {limit} bytes")
        except ClientDisconnect:
            # The client hung up mid-body, or missed the body deadline (server.py has answered
            # 408 already): nothing to store, and no one left to tell.
            raise Refused(400, "incomplete_body", "the body ended before it was complete") from None
        return body

    @staticmethod
    def _parse(body: bytes, is_form: bool) -> tuple[str, object]:
        if is_form:
            try:
                fields = parse_qs(body.decode("utf-8"), strict_parsing=False)
            except UnicodeDecodeError:
                raise Refused(400, "bad_request", "the form is not UTF-8") from None
            item = fields.get("item", [None])[0]
            score = fields.get("score", [None])[0]
        else:
            try:
                data = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                raise Refused(400, "bad_request", "the body is not valid JSON") from None
            if not isinstance(data, dict):
                raise Refused(400, "bad_request", 'send {"item": "<id>", "score": 1..5}')
            item, score = data.get("item"), data.get("score")
        if not isinstance(item, str) or not item:
            raise Refused(400, "bad_request", "the vote names no item")
        return item, score

    def _back_to_article(self, url: str, fragment: str | None) -> Response:
        """303 to the item's own URL from the manifest (never a URL the client sent)."""
        if url.startswith("/"):
            url = self.settings.site_origin[0] + url
        return RedirectResponse(f"{url}#{fragment or FORM_FAILED}", status_code=303)

    async def _maybe_purge(self, now: int) -> None:
        if now - self.last_purge < PURGE_EVERY:
            return
        self.last_purge = now
        cutoff = now - self.settings.retention_days * 86400
        purged = await run_in_threadpool(self.store.purge_voter_keys, cutoff)
        if purged:
            log.info("forgot the voter keys of %d vote(s) older than the retention", purged)


def create_app(settings: Settings, store: Store | None = None) -> Starlette:
    ratings = RatingsApp(settings, store)
    routes = [
        Route("/health", ratings.health, methods=["GET"]),
        Route("/scores", ratings.all_scores, methods=["GET"]),
        Route("/scores/{item}", ratings.one_score, methods=["GET"]),
        Route("/votes", ratings.vote, methods=["POST"]),
        Route("/openapi.json", ratings.openapi, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=settings.site_origin,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            max_age=600,
        )
    ]

    async def not_found(request: Request, exc) -> Response:
        if exc.status_code == 405:
            return _error(Refused(405, "method_not_allowed", "this endpoint takes another method"))
        return _error(Refused(exc.status_code, "not_found", "no such endpoint"))

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={404: not_found, 405: not_found},
    )
    app.state.ratings = ratings
    return app
