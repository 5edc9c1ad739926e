"""The comments endpoints of the reader service.

    POST /comments              a comment: a plain form post (303 back to the article: #reactie-
                                ontvangen "held for moderation", or an error fragment) or JSON
                                from the page's script (202 pending / 201 approved + the comment)
    GET  /comments              the snapshot for builds: every item's approved comments and the
                                current question
    GET  /comments/{item}       live: approved comments (``?since=`` unix time of approval) and a
                                fresh form token and question, in one request
    GET  /comments/moderate     the page an e-mail's approve/reject link opens (asks to confirm)
    POST /comments/moderate     the confirmation: approves or rejects the comment

Only items in the site's comments manifest (written by the build, with the moment an item's
comments close) take comments. The guards, in the order they run: content type, Origin (like
votes), body size, fields, item open, honeypot, rate limit per network (hashed; the service's
shared limiter, action "comment"), form token (required from scripts, once only, not too fast),
the question, a reply only to an approved top-level comment of the same item.
"""

from __future__ import annotations

import html
import time
import types
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from . import comments_store as store_sql
from .comments import (
    check_answer,
    check_moderation,
    check_token,
    current_period,
    issue_token,
    network_key,
    parse_submission,
    question,
    render,
)
from .comments_notify import Notifier
from .comments_pages import MODERATION_TEXTS, page
from .guards import Refused, client_network
from .incoming import client_of, fields_of, is_form_post, read_body
from .manifest import Manifest, ManifestError

# Fragments of the article that show the outcome of a post without JavaScript (:target).
FORM_PENDING, FORM_APPROVED = "reactie-ontvangen", "reactie-geplaatst"
FORM_FAILED = "reactie-mislukt"
FORM_ERRORS = {
    "wrong_answer": "reactie-vraag-fout",
    "question_expired": "reactie-vraag-fout",
    "invalid_comment": "reactie-onvolledig",
    "invalid_parent": "reactie-onvolledig",
    "rate_limited": "reactie-te-veel",
    "comments_closed": "reactie-gesloten",
}


@dataclass(frozen=True)
class CommentItem:
    id: str
    title: str
    url: str
    closes_at: int | None  # unix time; None: open as long as the item is in the manifest


def parse_comments_manifest(data) -> dict[str, CommentItem]:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ManifestError('not a comments manifest: expected {"items": [{"id": …}, …]}')
    items = {}
    for number, entry in enumerate(data["items"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise ManifestError(f"items[{number}] has no id")
        title, url, closes = entry.get("title", ""), entry.get("url", ""), entry.get("closes_at")
        if not isinstance(title, str) or not isinstance(url, str):
            raise ManifestError(f"items[{number}]: title and url must be text")
        if closes is not None and (isinstance(closes, bool) or not isinstance(closes, int)):
            raise ManifestError(f"items[{number}]: closes_at must be a unix time or null")
        items[entry["id"]] = CommentItem(entry["id"], title, url, closes)
    return items


class CommentsEndpoints:
    def __init__(self, service):
        self.service = service
        self.settings = service.settings
        self.secret = service.secret
        self.store = service.store
        self.database_errors = service.database_errors
        self.manifest = Manifest(
            self.settings.comments_manifest,
            self.settings.manifest_refresh,
            self.settings.manifest_max_age,
            parse=parse_comments_manifest,
        )
        self.notifier = Notifier(self.settings, self.secret)

    def start(self) -> None:
        self.manifest.start()
        self.notifier.start()

    def stop(self) -> None:
        self.manifest.stop()
        self.notifier.stop()

    def routes(self, endpoint) -> list[Route]:
        """The routes, each wrapped by the service's `endpoint` (every error as JSON)."""

        def bound(method):
            return types.MethodType(endpoint(method), self)

        return [
            Route("/comments", bound(CommentsEndpoints.post), methods=["POST"]),
            Route("/comments", bound(CommentsEndpoints.snapshot), methods=["GET"]),
            Route("/comments/moderate", bound(CommentsEndpoints.moderate_page), methods=["GET"]),
            Route("/comments/moderate", bound(CommentsEndpoints.moderate), methods=["POST"]),
            Route("/comments/{item}", bound(CommentsEndpoints.live), methods=["GET"]),
        ]

    # --- reading ------------------------------------------------------------------------
    async def snapshot(self, request: Request) -> Response:
        await self._limit(request, "read")
        items = await run_in_threadpool(store_sql.snapshot, self.store)
        now = time.time()
        body = {
            "version": 1,
            "generated_at": int(now),
            "question": question(self.secret, current_period(now)).to_json(),
            "items": items,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def live(self, request: Request) -> Response:
        await self._limit(request, "read")
        item = self._item(request.path_params["item"], must_be_open=False)
        since_text = request.query_params.get("since", "")
        since = int(since_text) if since_text.isdigit() and len(since_text) < 12 else None
        comments = await run_in_threadpool(store_sql.approved, self.store, item.id, since)
        now = time.time()
        body = {
            "item": item.id,
            "open": self._is_open(item, now),
            "comments": comments,
            "form": {
                "token": issue_token(self.secret, now),
                "question": question(self.secret, current_period(now)).to_json(),
            },
        }
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    # --- posting ------------------------------------------------------------------------
    async def post(self, request: Request) -> Response:
        is_form = is_form_post(request, self.settings.site_origin)
        item = None
        try:
            body = await read_body(request, self.settings.comment_max_body)
            fields = fields_of(body, is_form, "a JSON object", keep_blank=True)
            item_id = fields.get("item")
            if not isinstance(item_id, str) or not item_id:
                raise Refused(400, "bad_request", "the comment names no item")
            item = self._item(item_id, must_be_open=False)
            if not self._is_open(item, time.time()):
                raise Refused(403, "comments_closed", "comments on this page are closed")
            submission = parse_submission(fields)
            network = await self._limit(request, "comment")
            now = time.time()
            token = fields.get("token") or ""
            if token or not is_form:  # scripts always send one; a form only via the script
                nonce, expires = check_token(
                    self.secret, token, now, self.settings.comment_min_seconds
                )
            else:
                nonce = None
            check_answer(self.secret, fields.get("period"), fields.get("answer"), now)
            if nonce is not None and not await run_in_threadpool(
                store_sql.use_token, self.store, nonce, expires, int(now)
            ):
                raise Refused(409, "token_used", "this form was sent already; reload the page")
            try:
                comment = await run_in_threadpool(
                    store_sql.add_comment,
                    self.store,
                    submission,
                    render(submission.body),
                    network,
                    int(now),
                    self.settings.auto_approve_returning,
                )
            except store_sql.ParentProblem as problem:
                raise Refused(422, "invalid_parent", str(problem)) from None
        except Refused as refused:
            if is_form and item is not None and refused.status in (403, 409, 422, 429):
                return self._back(item.url, FORM_ERRORS.get(refused.code, FORM_FAILED))
            raise
        self.notifier.received(comment, item.title, self._page(item.url))
        if comment.status == "approved":
            parent = comment.parent and store_sql.get(self.store, comment.parent)
            self.notifier.approved(comment, parent or None, item.title, self._page(item.url))
        if is_form:
            return self._back(
                item.url, FORM_APPROVED if comment.status == "approved" else FORM_PENDING
            )
        return JSONResponse(
            {"status": comment.status, "comment": comment.public()},
            status_code=201 if comment.status == "approved" else 202,
            headers={"Cache-Control": "no-store"},
        )

    # --- moderation links ---------------------------------------------------------------
    async def moderate_page(self, request: Request) -> Response:
        query = request.query_params
        comment_id = check_moderation(
            self.secret, query.get("id", ""), query.get("action", ""), query.get("sig", "")
        )
        comment = await run_in_threadpool(store_sql.get, self.store, comment_id)
        texts = MODERATION_TEXTS[self.settings.mail_language]
        action = query["action"]
        if comment is None:
            return self._html(texts["gone"], "", status=404)
        fields = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query[name])}">'
            for name in ("id", "action", "sig")
        )
        body = (
            f"<p>{html.escape(texts['by'])} <strong>{html.escape(comment.name)}</strong>:</p>"
            f"<blockquote>{comment.html}</blockquote>"
            f'<form method="post">{fields}<button type="submit">'
            f"{html.escape(texts['confirm'])}</button></form>"
        )
        return self._html(texts[action], body)

    async def moderate(self, request: Request) -> Response:
        body = await read_body(request, self.settings.comment_max_body)
        fields = fields_of(body, True, "a form", keep_blank=True)
        comment_id = check_moderation(
            self.secret,
            str(fields.get("id", "")),
            str(fields.get("action", "")),
            str(fields.get("sig", "")),
        )
        status = "approved" if fields["action"] == "approve" else "rejected"
        comment = await run_in_threadpool(
            store_sql.set_status, self.store, comment_id, status, int(time.time())
        )
        texts = MODERATION_TEXTS[self.settings.mail_language]
        if comment is None:
            return self._html(texts["gone"], "", status=404)
        item = self.manifest.get(comment.item)
        title, url = (item.title, self._page(item.url)) if item else (comment.item, "")
        if status == "approved":
            parent = comment.parent and store_sql.get(self.store, comment.parent)
            self.notifier.approved(comment, parent or None, title, url)
        link = f' <a href="{html.escape(url)}">{html.escape(title)}</a>' if url else ""
        return self._html(
            texts[status],
            f"<p>{html.escape(texts[status])}: {html.escape(comment.name)} "
            f"{html.escape(texts['on'])}{link}</p>",
        )

    # --- helpers ------------------------------------------------------------------------
    def _html(self, title: str, body: str, status: int = 200) -> HTMLResponse:
        return page(self.settings.mail_language, title, body, status)

    def _item(self, item_id: str, must_be_open: bool) -> CommentItem:
        if not self.manifest.available:
            raise Refused(503, "manifest_unavailable", self.manifest.status()[1] or "no manifest")
        item = self.manifest.get(item_id)
        if item is None:
            raise Refused(404, "unknown_item", f"the site takes no comments on {item_id!r}")
        if must_be_open and not self._is_open(item, time.time()):
            raise Refused(403, "comments_closed", "comments on this page are closed")
        return item

    @staticmethod
    def _is_open(item: CommentItem, now: float) -> bool:
        return item.closes_at is None or now < item.closes_at

    def _page(self, url: str) -> str:
        return self.settings.site_origin[0] + url if url.startswith("/") else url

    def _back(self, url: str, fragment: str) -> Response:
        """303 to the item's own URL from the manifest (never a URL the client sent)."""
        return RedirectResponse(f"{self._page(url)}#{fragment}", status_code=303)

    async def _limit(self, request: Request, action: str) -> str:
        """Count against the network's limit; the network's key (hashed) for comments."""
        address = client_of(request, self.settings.proxy_networks)
        key = network_key(self.secret, client_network(address))
        if not await self.service.within_limit(action, key):
            what = "comments" if action == "comment" else "requests"
            raise Refused(429, "rate_limited", f"too many {what} from your network; try later")
        return key

    def forget_network_keys(self, before: int) -> int:
        """Called by the service's regular purge: forget network keys past the retention."""
        return store_sql.forget_network_keys(self.store, before)
