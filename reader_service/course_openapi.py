"""The course endpoints (course_app.py) in the service's OpenAPI description (openapi.py)."""

from __future__ import annotations


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


TOKEN = {
    "name": "token",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"},
    "description": "the subscriber's token (256 random bits, URL-safe base64)",
}
SIGN_UP = {
    "type": "object",
    "required": ["consent"],
    "properties": {
        "consent": {"description": 'true (JSON) or "yes" (form): the consent line ticked'},
        "email": {"type": "string", "description": "optional: for the link and new lessons"},
        "website": {"type": "string", "description": "the honeypot: must be empty"},
    },
}


def course_paths() -> dict:
    known = {
        "404": _error("unknown token (or course)"),
        "410": _error("the personal feed was revoked"),
    }
    return {
        "/course/{show}/signup": {
            "post": {
                "summary": "Sign up for a drip course: a personal feed",
                "description": "JSON (201) or a plain form post: 303 to the answer page, or back "
                "to the course page's #aanmelden-mislukt when refused. Origin check, rate "
                "limit, honeypot; with SMTP and an e-mail address a confirmation e-mail.",
                "parameters": [
                    {"name": "show", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": SIGN_UP},
                        "application/x-www-form-urlencoded": {"schema": SIGN_UP},
                    },
                },
                "responses": {
                    "201": {"description": "signed up: {feed_url, page_url}"},
                    "303": {"description": "form post: the answer page (or the form's notice)"},
                    "403": _error("not sent from the site's origin"),
                    "404": _error("no such course"),
                    "422": _error("no consent, a wrong e-mail address, or the honeypot filled"),
                    "429": _error("too many sign-ups from this network"),
                },
            }
        },
        "/course/{token}/feed.xml": {
            "get": {
                "summary": "The personal feed: the lessons open for this subscriber",
                "description": "RSS; each lesson's pubDate is its opening time. ETag and "
                "Last-Modified: If-None-Match / If-Modified-Since answer 304.",
                "parameters": [TOKEN],
                "responses": {
                    "200": {"description": "the feed", "content": {"application/rss+xml": {}}},
                    "304": {"description": "not modified"},
                    **known,
                },
            }
        },
        "/course/{token}/": {
            "get": {
                "summary": "The answer page: the personal feed URL and subscribe links",
                "parameters": [TOKEN],
                "responses": {"200": {"description": "HTML page"}, **known},
            }
        },
        "/course/{token}/confirm": {
            "get": {
                "summary": "Confirm the e-mail address (the link in the confirmation e-mail)",
                "parameters": [TOKEN],
                "responses": {"303": {"description": "to the answer page"}, **known},
            }
        },
        "/course/{token}/leave": {
            "post": {
                "summary": "Leave the course: the subscriber is deleted",
                "parameters": [TOKEN],
                "responses": {"303": {"description": "to the course page"}, **known},
            }
        },
    }
