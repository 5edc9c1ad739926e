"""The OpenAPI 3.1 description of the reader service, written by hand (Starlette has no
generator, and the API is five endpoints)."""

from __future__ import annotations

from . import __version__
from .course_openapi import course_paths

_SCORE = {
    "type": "object",
    "required": ["count", "sum", "average", "distribution", "without_breakdown"],
    "properties": {
        "count": {"type": "integer", "description": "number of votes"},
        "sum": {"type": "integer", "description": "sum of all scores; average = sum / count"},
        "average": {"type": ["number", "null"], "description": "null while there are no votes"},
        "distribution": {
            "type": "object",
            "description": "votes per star, keys '1' to '5'",
            "additionalProperties": {"type": "integer"},
        },
        "without_breakdown": {
            "type": "integer",
            "description": "imported votes whose stars are unknown (counted in count and sum)",
        },
    },
}
_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
            },
        }
    },
}


def _errors(*statuses: int) -> dict:
    texts = {
        400: "malformed request (not JSON, duplicate keys, nested too deep, no item, both "
        "Content-Length and Transfer-Encoding: then the connection is closed)",
        403: "not sent from the site's origin",
        404: "no such item in the site's manifest",
        408: "the request head or body did not arrive in time (the connection is closed)",
        409: "this reader (or this address, votes_per_address times) already voted for it",
        413: "request body too large",
        415: "neither JSON nor a form post",
        422: "score is not an integer from 1 to 5",
        429: "too many votes or reads from this network",
        500: "a bug on our side",
        503: "database or manifest unavailable (also: too many open connections)",
    }
    return {
        str(s): {
            "description": texts[s],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for s in statuses
    }


def openapi_document() -> dict:
    json_score = {"application/json": {"schema": {"$ref": "#/components/schemas/Score"}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Schitter reader service",
            "version": __version__,
            "description": "Star ratings (1–5) for the articles and episodes of a Schitter site.",
        },
        "paths": {
            "/health": {
                "get": {
                    "summary": "Is the service up and its database reachable",
                    "responses": {
                        "200": {"description": "database answers, manifest fresh"},
                        **_errors(500, 503),
                    },
                }
            },
            "/scores": {
                "get": {
                    "summary": "The snapshot: scores of all items (the site build bakes these)",
                    "responses": {
                        "200": {
                            "description": "scores by item id",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "items": {
                                                "type": "object",
                                                "additionalProperties": {
                                                    "$ref": "#/components/schemas/Score"
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        **_errors(429, 500, 503),
                    },
                }
            },
            "/scores/{item}": {
                "get": {
                    "summary": "The score of one item",
                    "parameters": [
                        {
                            "name": "item",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "the item's score", "content": json_score},
                        **_errors(404, 429, 500, 503),
                    },
                }
            },
            "/votes": {
                "post": {
                    "summary": "Cast a vote (one per reader per item)",
                    "description": "JSON from the widget's script, or a plain form post "
                    "(no JavaScript) that is answered with 303 to /votes/{item}/answer "
                    "(stored, or already voted), or back to the article's #stem-mislukt.",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Vote"}},
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/Vote"}
                            },
                        },
                    },
                    "responses": {
                        "201": {"description": "stored; the new score", "content": json_score},
                        "303": {"description": "form post: the answer page, or the article"},
                        **_errors(400, 403, 404, 408, 409, 413, 415, 422, 429, 500, 503),
                    },
                }
            },
            "/votes/{item}/answer": {
                "get": {
                    "summary": "The page that answers a vote sent without JavaScript",
                    "description": "The reader's stars (stars=1..5) or that they already "
                    "voted (already=1), the item's new average as stars and in words, the "
                    "number of votes and a link back: the site's page from the manifest's "
                    '"answer", filled in. Without one: 303 back to the article.',
                    "parameters": [
                        {
                            "name": "item",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "stars",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 5},
                        },
                        {
                            "name": "already",
                            "in": "query",
                            "schema": {"type": "integer", "enum": [1]},
                        },
                    ],
                    "responses": {
                        "200": {"description": "the page", "content": {"text/html": {}}},
                        "303": {"description": "back to the article (no answer page)"},
                        **_errors(404, 429, 500, 503),
                    },
                }
            },
            **course_paths(),
        },
        "components": {
            "schemas": {
                "Score": _SCORE,
                "Error": _ERROR,
                "Vote": {
                    "type": "object",
                    "required": ["item", "score"],
                    "properties": {
                        "item": {"type": "string", "description": "an id from the manifest"},
                        "score": {"type": "integer", "minimum": 1, "maximum": 5},
                    },
                },
            }
        },
    }
