"""What every request passes on its way in and out, as one small ASGI middleware.

- **Framing**: a request with both Content-Length and Transfer-Encoding is answered 400 and its
  connection closed (RFC 9112 §6.1: a message like that is how requests are smuggled past a
  proxy that reads the other header; nothing after it on that connection can be trusted).
- **Access log**: one line per request — method, path, status, milliseconds — and never the
  client's address (uvicorn's own access log, which prints it, is switched off in server.py).
"""

from __future__ import annotations

import json
import logging
import time

access_log = logging.getLogger("reader_service.access")


def error_body(status: int, code: str, message: str) -> bytes:
    error = {"status": status, "code": code, "message": message}
    return json.dumps({"error": error}, separators=(",", ":")).encode()


class RequestMiddleware:
    def __init__(self, app, access: bool = True):
        self.app = app
        self.access = access

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def sending(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        names = {name for name, _ in scope["headers"]}
        try:
            if b"content-length" in names and b"transfer-encoding" in names:
                await self._refuse_framing(sending)
            else:
                await self.app(scope, receive, sending)
        finally:
            if self.access:
                access_log.info(
                    '"%s %s HTTP/%s" %d %.1f ms',
                    scope["method"],
                    scope["path"],
                    scope["http_version"],
                    status,
                    (time.perf_counter() - started) * 1000,
                )

    @staticmethod
    async def _refuse_framing(send) -> None:
        body = error_body(
            400,
            "bad_request",
            "a request with both Content-Length and Transfer-Encoding is refused",
        )
        await send(
            {
                "type": "http.response.start",
                "status": 400,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                    (b"connection", b"close"),  # uvicorn closes the connection after it
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
