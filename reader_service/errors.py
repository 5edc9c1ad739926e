"""Every outcome of an endpoint as the documented JSON: {"error": {"status", "code", "message"}}.

A refusal (guards.Refused) is its own status; a failing database is 503 database_unavailable
(one log line, no traceback: it is not our bug); anything else is 500 internal_error, logged
with its traceback (it is).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .backends import StoreUnavailable
from .guards import Refused

log = logging.getLogger("reader_service")


def error_response(refused: Refused) -> JSONResponse:
    body = {"error": {"status": refused.status, "code": refused.code, "message": refused.message}}
    headers = {"Cache-Control": "no-store"}
    if refused.status == 503:
        headers["Retry-After"] = "30"
    return JSONResponse(body, status_code=refused.status, headers=headers)


def database_errors() -> tuple[type[BaseException], ...]:
    errors: tuple = (sqlite3.Error, StoreUnavailable)
    with contextlib.suppress(ImportError):
        import psycopg

        errors += (psycopg.Error,)
    return errors


def endpoint(handler):
    """Every outcome as the documented JSON: refusals, a failing database (503), our bugs (500)."""

    @functools.wraps(handler)
    async def wrapped(self, request: Request) -> Response:
        try:
            return await handler(self, request)
        except Refused as refused:
            return error_response(refused)
        except self.database_errors as error:
            log.error("database unavailable: %s", str(error).strip().splitlines()[0])
            return error_response(
                Refused(503, "database_unavailable", "the database is unavailable")
            )
        except Exception:
            log.exception("internal error on %s %s", request.method, request.url.path)
            return error_response(
                Refused(500, "internal_error", "something went wrong on our side")
            )

    return wrapped
