"""The comments endpoints in the service's OpenAPI description (/openapi.json), written by
hand like the rest of it (openapi.py); errors use its Error schema."""

from __future__ import annotations


def _answer(description: str, statuses: dict[int, str]) -> dict:
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    answers = {str(s): {"description": text, "content": error} for s, text in statuses.items()}
    return {"description": description, "responses": answers}


def openapi_paths() -> dict:
    """The comments endpoints for /openapi.json (errors: the service's Error schema)."""
    post = _answer(
        "a comment: a form post (303 back to the article with a fragment) or JSON from the "
        "page's script (202 pending, 201 approved at once)",
        {
            400: "malformed (not JSON, no item)",
            403: "foreign_origin, comments_closed, bad_token, token_expired",
            404: "unknown_item: the site takes no comments there",
            409: "token_used: the form token was used before",
            413: "body_too_large",
            415: "unsupported_media_type",
            422: "spam_suspected (honeypot), invalid_comment, too_fast, wrong_answer, "
            "question_expired, invalid_parent",
            429: "rate_limited: too many comments from the network",
        },
    )
    post["responses"]["201"] = {"description": '{"status": "approved", "comment": {…}}'}
    post["responses"]["202"] = {"description": '{"status": "pending", "comment": {…}}'}
    post["responses"]["303"] = {"description": "form post: back to the article#fragment"}
    return {
        "/comments": {
            "get": {
                "description": "the snapshot for builds: approved comments of every item and "
                "the current question",
                "responses": {"200": {"description": "the snapshot"}},
            },
            "post": post,
        },
        "/comments/{item}": {
            "get": {
                "description": "an item's approved comments (?since= unix time of approval), "
                "whether it is open, and a fresh form token and question",
                "responses": {
                    "200": {"description": "live comments"},
                    "404": {"description": "unknown_item"},
                },
            }
        },
        "/comments/moderate": {
            "get": {
                "description": "the page behind an e-mail's signed link (asks to confirm)",
                "responses": {"200": {"description": "HTML"}},
            },
            "post": {
                "description": "the confirmation: approve or reject",
                "responses": {"200": {"description": "HTML"}},
            },
        },
    }
