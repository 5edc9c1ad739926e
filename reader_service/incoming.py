"""Reading what a reader sends, the same way for votes, comments and course sign-ups: the kind
of body (JSON from the widget's script, or a plain form post without JavaScript), the site's
origin, the body within its limit, its fields, and the client's address.

Every refusal is a guards.Refused, which the endpoint answers as the documented JSON (or, for a
form post, as a redirect back to the page).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import ClientDisconnect, Request

from .guards import Refused, check_origin, client_address, strict_json

FORM = "application/x-www-form-urlencoded"


def is_form_post(request: Request, site_origin: list[str]) -> bool:
    """True for a form post, False for JSON; 415 for anything else, 403 from another site."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    is_form = content_type == FORM
    if not is_form and content_type != "application/json":
        raise Refused(415, "unsupported_media_type", "send JSON or a form post")
    check_origin(request.headers.get("origin"), request.headers.get("referer"), site_origin)
    return is_form


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refused (413) as soon as it is over `limit` bytes."""
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


def fields_of(body: bytes, is_form: bool, expected: str, keep_blank: bool = False) -> dict:
    """The submission's fields: a form's first value of each name (blank ones only with
    `keep_blank`), or a strict JSON object; 400 naming `expected` when it is no object."""
    if is_form:
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=keep_blank)
        except UnicodeDecodeError:
            raise Refused(400, "bad_request", "the form is not UTF-8") from None
        return {name: values[0] for name, values in parsed.items()}
    data = strict_json(body)
    if not isinstance(data, dict):
        raise Refused(400, "bad_request", f"send {expected}")
    return data


def client_of(request: Request, proxies: list) -> str:
    """The client's address (X-Forwarded-For only from a trusted proxy): for the rate limit
    and the keys, never stored or logged."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"), proxies)
