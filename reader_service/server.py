"""How the service meets the network: uvicorn, with deadlines for slow clients.

uvicorn closes a keep-alive connection that stays idle, but once a byte has arrived it waits
for the rest of a request as long as the client likes: half a request line, or a vote whose
body never comes, holds a connection (and a file descriptor) forever, and a few hundred of them
(slowloris) would take them all. So every phase of a request gets a deadline that does not move
when a byte trickles in:

- the request head (request line and headers) must be complete within `header_timeout`
  seconds of the connection, or of the previous response on a keep-alive connection;
- the body must be complete within `body_timeout` seconds of the head.

A client that misses a deadline with part of a request sent gets `408 Request Timeout` and
`Connection: close` (as Apache's mod_reqtimeout answers); a connection that sent nothing at all
is closed without a word (an idle keep-alive connection or a browser's preconnect: there is no
request to answer). A vote whose body did not arrive in time is never stored.

On top of that at most `max_connections` connections are served at once (uvicorn's
`limit_concurrency`); a request on one more gets 503 until others close.

Logging: uvicorn's access log prints every client's address and port, so it is off; the
service writes its own access line without them (middleware.py), through the same handler.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json

import h11
import uvicorn
from uvicorn.config import LOGGING_CONFIG
from uvicorn.protocols.http.h11_impl import H11Protocol

from .config import Settings

HEAD, BODY, REST = "head", "body", "rest"


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline per request phase (head, body).

    The phase is read from h11's state after everything that can change it (a connection,
    received data, a finished response): waiting for a head (their state IDLE), for a body
    while we have not answered (SEND_BODY), or for the rest of a body we already answered
    without reading (our state DONE). A deadline runs from the moment its phase begins.
    """

    def __init__(self, *args, header_timeout: float, body_timeout: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self.body_timeout = body_timeout
        self.phase: str | None = None
        self.deadline: asyncio.TimerHandle | None = None

    # --- the moments the phase can change ------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._watch()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    # --- deadlines -----------------------------------------------------------------------
    def _current_phase(self) -> str | None:
        if self.transport.is_closing():
            return None
        theirs, ours = self.conn.their_state, self.conn.our_state
        if theirs is h11.IDLE:
            return HEAD
        if theirs is h11.SEND_BODY:
            return BODY if ours in (h11.SEND_RESPONSE, h11.SEND_BODY) else REST
        return None  # the whole request is in: the app's turn

    def _watch(self) -> None:
        phase = self._current_phase()
        if phase == self.phase:
            return
        self._cancel()
        self.phase = phase
        if phase is not None:
            seconds = self.body_timeout if phase == BODY else self.header_timeout
            self.deadline = self.loop.call_later(seconds, self._missed, phase, seconds)

    def _cancel(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _missed(self, phase: str, seconds: float) -> None:
        self.deadline = None
        self.phase = None
        if self.transport.is_closing():
            return
        # Logged without the client's address (README, privacy).
        if phase == HEAD and self.conn.trailing_data[0]:
            self._send_408(f"the request head did not arrive within {seconds:g} s")
            self.logger.info("408: no complete request head within %g s", seconds)
        elif phase == BODY and self.cycle is not None and not self.cycle.response_started:
            # The app is waiting in receive(): it hears of a disconnect, never of a body.
            self.cycle.disconnected = True
            self.cycle.message_event.set()
            self._send_408(f"the request body did not arrive within {seconds:g} s")
            self.logger.info("408: no complete request body within %g s", seconds)
        self.transport.close()

    def _send_408(self, message: str) -> None:
        """Written directly: h11 cannot send a response to a request it has not seen."""
        error = {"status": 408, "code": "request_timeout", "message": message}
        body = json.dumps({"error": error}, separators=(",", ":")).encode()
        headers = [
            *self.server_state.default_headers,
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"connection", b"close"),
        ]
        head = b"HTTP/1.1 408 Request Timeout\r\n" + b"".join(
            name + b": " + value + b"\r\n" for name, value in headers
        )
        self.transport.write(head + b"\r\n" + body)


def log_config(level: str = "INFO") -> dict:
    """uvicorn's logging, plus the service's own loggers (access lines, errors) on stderr."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["reader_service"] = {"handlers": ["default"], "level": level}
    return config


def uvicorn_config(app, settings: Settings, **overrides) -> uvicorn.Config:
    """The uvicorn configuration the service runs with (`python -m reader_service`, tests)."""
    level = str(overrides.get("log_level", "info")).upper()
    options = dict(
        host=settings.host,
        port=settings.port,
        # Always h11 (never httptools, even when installed): the deadlines live in its protocol.
        http=functools.partial(
            DeadlineProtocol,
            header_timeout=settings.header_timeout,
            body_timeout=settings.body_timeout,
        ),
        ws="none",  # no WebSocket endpoints: an Upgrade request is an ordinary request
        # uvicorn answers 503 once `limit_concurrency` connections are open, counting the one
        # asking: + 1 makes max_connections the number served.
        limit_concurrency=settings.max_connections + 1 if settings.max_connections else None,
        proxy_headers=False,  # X-Forwarded-For is judged by our own trusted_proxies
        server_header=False,
        access_log=False,  # it would log client addresses; middleware.py logs without them
        log_config=log_config(level),
        log_level="info",
    )
    options.update(overrides)
    return uvicorn.Config(app, **options)
