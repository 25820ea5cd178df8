"""uvicorn's httptools protocol with the front's limits on request heads, enforced while reading.

uvicorn puts no bound on a header line, on the number of fields, or on how long a client may take
to send them: a 50 MB header line costs 50 MB per connection, and a client sending one byte now and
then holds its connection forever (the keep-alive timer is cancelled by any byte). This protocol:

- answers 431 (414 for the request line) once a line, the field count or the head's total size
  passes `[edge] max_header_line` / `max_header_count` / `max_header_bytes`, without buffering
  more than about one read past the limit;
- closes a connection whose request head is not complete `[edge] header_timeout` seconds after its
  first byte (or after the connection opened), answering 408 when part of a head had arrived;
- closes idle keep-alive connections after `[edge] keepalive_timeout`.

`strangler serve` runs it; under gunicorn use the worker class `proxy.gunicorn_worker:
StranglerUvicornWorker`. The limits are read from the front the server loaded.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from proxy.errors import error_body
from proxy.request_checks import FIELD_OVERHEAD
from proxy.settings import EdgeSettings, StranglerSettings

HTTP_PROTOCOL = "proxy.http_protocol:EdgeHttpProtocol"  # uvicorn's `http=` setting


class HeadRefused(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message


def edge_settings_of(app: Any) -> EdgeSettings:
    """The `[edge]` settings of the front inside `app` (through any middleware wrapping it)."""
    for _ in range(32):
        settings = getattr(app, "settings", None)
        if isinstance(settings, StranglerSettings):
            return settings.edge
        app = getattr(app, "app", None)
        if app is None:
            break
    return EdgeSettings()


def limits_for(config: Config) -> EdgeSettings:
    cached = getattr(config, "_strangler_edge", None)
    if cached is None:
        cached = edge_settings_of(config.loaded_app)
        config._strangler_edge = cached  # type: ignore[attr-defined]
    return cached


class EdgeHttpProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        limits = limits_for(config)
        self.max_line = limits.max_header_line
        self.max_count = limits.max_header_count
        self.max_bytes = limits.max_header_bytes
        self.header_timeout = limits.header_timeout
        self.timeout_keep_alive = limits.keepalive_timeout  # type: ignore[assignment]
        self.header_timer: asyncio.TimerHandle | None = None
        self.reading_head = False  # between a request's first byte and the end of its headers
        self.head_began_in_this_read = False
        self.head_fields = 0
        self.head_bytes = 0  # exact: the complete header lines so far
        self.head_wire_bytes = 0  # rough: every read since the head began (a memory bound)

    # -- timers ----------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.arm_header_timer()  # a connection that never sends a byte is let go too

    def connection_lost(self, exc: Exception | None) -> None:
        self.disarm_header_timer()
        super().connection_lost(exc)

    def arm_header_timer(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(self.header_timeout, self.head_timed_out)

    def disarm_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def head_timed_out(self) -> None:
        self.header_timer = None
        if self.transport.is_closing():
            return
        if self.reading_head:
            self.refuse(408, "header_timeout", "the request headers took too long to arrive")
        else:
            self.transport.close()

    # -- reading ---------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self.arm_header_timer()  # waiting for a request: a trickle of bytes does not reset it
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as error:
            cause = error.__context__
            if isinstance(cause, HeadRefused):
                self.refuse(cause.status, cause.error, cause.message)
                return
            self.invalid_request()
            return
        except httptools.HttpParserError:
            self.invalid_request()
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self.reading_head:
            if self.head_began_in_this_read:
                self.head_began_in_this_read = False  # part of this read may be the last body
            else:
                self.head_wire_bytes += len(data)
            if self.head_wire_bytes > self.max_bytes + self.max_line:
                self.refuse(
                    431,
                    "header_too_large",
                    f"the request headers are longer than {self.max_bytes} bytes",
                )

    def invalid_request(self) -> None:
        message = "Invalid HTTP request received."
        self.logger.warning(message)
        self.send_400_response(message)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.arm_header_timer()
        self.reading_head = True
        self.head_began_in_this_read = True
        self.head_fields = 0
        self.head_bytes = 0
        self.head_wire_bytes = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > self.max_line:
            raise HeadRefused(
                414, "uri_too_long", f"the request line is longer than {self.max_line} bytes"
            )

    def on_header(self, name: bytes, value: bytes) -> None:
        size = len(name) + len(value) + FIELD_OVERHEAD
        self.head_fields += 1
        self.head_bytes += size
        if (
            size > self.max_line
            or self.head_fields > self.max_count
            or (self.head_bytes > self.max_bytes)
        ):
            raise self.head_too_large(name, size)
        # uvicorn's own on_header, inlined: it runs for every header of every request
        name = name.lower()
        value = value.rstrip(b" \t")
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        self.headers.append((name, value))

    def head_too_large(self, name: bytes, size: int) -> HeadRefused:
        if size > self.max_line:
            field = name.decode("latin-1").lower()
            message = f"the {field} header is longer than {self.max_line} bytes"
        elif self.head_fields > self.max_count:
            message = f"more than {self.max_count} header fields"
        else:
            message = f"the request headers are longer than {self.max_bytes} bytes"
        return HeadRefused(431, "header_too_large", message)

    def on_headers_complete(self) -> None:
        self.reading_head = False
        self.disarm_header_timer()
        super().on_headers_complete()

    # -- answering -------------------------------------------------------------------------------

    def refuse(self, status: int, error: str, message: str) -> None:
        """Answer with the front's JSON error and close: the rest of the request is not read."""
        body = error_body(error, message, None)
        head = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n".encode()]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
            body,
        ]
        self.disarm_header_timer()
        self.reading_head = False
        self.logger.info("refused a request head with %d: %s", status, message)
        self.transport.write(b"".join(head))
        self.transport.close()
