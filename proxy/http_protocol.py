"""uvicorn's httptools protocol with the front's limits on request heads, enforced while reading.

uvicorn puts no bound on a header line, on the number of fields, or on how long a client may take
to send them: a 50 MB header line costs 50 MB per connection, and a client sending one byte now and
then holds its connection forever (the keep-alive timer is cancelled by any byte). This protocol:

- answers 431 (414 for the request line) once a line, the field count or the head's total size
  passes `[edge] max_header_line` / `max_header_count` / `max_header_bytes`, without buffering
  more than about one read past the limit;
- closes a connection whose request head is not complete `[edge] header_timeout` seconds after its
  first byte (or after the connection opened), answering 408 when part of a head had arrived;
- closes idle keep-alive connections after `[edge] keepalive_timeout`, but never one whose next
  request has already arrived (in the socket, not read yet by a busy event loop): a client
  reusing the connection at that moment would get no answer;
- counts and logs each close it makes under a reason (`proxy.connection_closes`);
- answers through the front's response cycle (`proxy.response_cycle.EdgeCycle`: uvicorn's bytes,
  a response's head written with its first body part).

`strangler serve` runs it; under gunicorn use the worker class `proxy.gunicorn_worker:
StranglerUvicornWorker`. The limits are read from the front the server loaded.
"""

from __future__ import annotations

import asyncio
import struct
import urllib.parse
from http import HTTPStatus
from typing import Any

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.flow_control import service_unavailable
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from proxy.connection_closes import close_connection, closing
from proxy.errors import error_body
from proxy.request_checks import FIELD_OVERHEAD, SIZED_AND_PLAIN
from proxy.response_cycle import EdgeCycle
from proxy.settings import EdgeSettings, StranglerSettings

try:
    from fcntl import ioctl
    from termios import FIONREAD
except ImportError:  # pragma: no cover (not on Windows)
    ioctl = None  # type: ignore[assignment]

HTTP_PROTOCOL = "proxy.http_protocol:EdgeHttpProtocol"  # uvicorn's `http=` setting
UNDERSCORE = ord("_")  # an int needle: `b"_" in name` tries it as an int first (a TypeError)
NOTED_NAMES = frozenset((b"host", b"transfer-encoding", b"expect"))
HEAD, IDLE = 1, 2  # what a connection waits for: a request's head, or the next request


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


def unread_bytes(transport: asyncio.BaseTransport) -> int:
    """How many bytes the client has sent that the event loop has not read yet (0 if unknown)."""
    sock = transport.get_extra_info("socket")
    if sock is None or ioctl is None:
        return 0
    try:
        count: int = struct.unpack("i", ioctl(sock.fileno(), FIONREAD, b"\0\0\0\0"))[0]
    except (OSError, ValueError):
        return 0
    return count


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
        self.max_fields = limits.max_header_count
        self.max_bytes = limits.max_header_bytes
        self.header_timeout = limits.header_timeout
        self.timeout_keep_alive = limits.keepalive_timeout  # type: ignore[assignment]
        # One timer per connection for both timeouts, moved lazily: a request only sets
        # `deadline` (and `waiting`, which timeout it is); the timer, armed for `timer_at`, re-arms
        # itself for a later deadline when it fires early. A timer per request (armed, then
        # cancelled) costs several times more: asyncio keeps cancelled timers in its heap.
        self.deadline: float | None = None
        self.waiting = HEAD  # HEAD: for a request's head (408); IDLE: between requests
        self.timer: asyncio.TimerHandle | None = None
        self.timer_at = 0.0
        self.reading_head = False  # between a request's first byte and the end of its headers
        self.head_began_in_this_read = False
        self.head_bytes = 0  # exact: the complete header lines so far
        self.head_wire_bytes = 0  # rough: every read since the head began (a memory bound)
        self.head_hosts = 0
        self.head_plain = True  # no '_' in a header name, no Transfer-Encoding

    # -- timers ----------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.expect(HEAD)  # a connection that never sends a byte is let go too

    def connection_lost(self, exc: Exception | None) -> None:
        self.deadline = None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        super().connection_lost(exc)

    def expect(self, waiting: int) -> None:
        """Start waiting for a request's head (HEAD) or for the next request (IDLE)."""
        now = self.loop.time()
        deadline = now + (self.header_timeout if waiting == HEAD else self.timeout_keep_alive)
        self.deadline = deadline
        self.waiting = waiting
        if self.timer is None:
            self.timer = self.loop.call_at(deadline, self.timer_fired)
            self.timer_at = deadline
        elif self.timer_at > deadline:  # armed for later than this deadline: re-arm earlier
            self.timer.cancel()
            self.timer = self.loop.call_at(deadline, self.timer_fired)
            self.timer_at = deadline

    def timer_fired(self) -> None:
        deadline = self.deadline
        if deadline is None:  # a request is being answered: its own timeouts apply
            self.timer = None
        elif deadline > self.timer_at:  # the deadline moved on since the timer was armed
            self.timer = self.loop.call_at(deadline, self.timer_fired)
            self.timer_at = deadline
        else:
            self.timer = None
            self.deadline = None
            self.timed_out()

    def timed_out(self) -> None:
        transport = self.transport
        if transport.is_closing():
            return
        if self.reading_head:
            self.refuse(408, "header_timeout", "the request headers took too long to arrive")
        elif unread_bytes(transport):
            # A request has arrived, and a busy loop has not read it yet: closing now would drop
            # it unanswered. It is read next, with header_timeout for its head.
            self.expect(HEAD)
        elif self.waiting == IDLE:
            close_connection(transport, "keepalive_timeout")
        else:
            close_connection(transport, "no_request")

    def shutdown(self) -> None:  # uvicorn's, counted
        if self.cycle is None or self.cycle.response_complete:
            close_connection(self.transport, "shutdown")
        else:
            self.cycle.keep_alive = False

    def on_response_complete(self) -> None:
        # uvicorn's, with the connection's own timer for keep-alive instead of a timer each time
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self.flow.resume_reading()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)
        else:
            self.expect(IDLE)

    # -- reading ---------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self.waiting == IDLE and self.deadline is not None:
            self.expect(HEAD)  # a head begins: a trickle of bytes does not move its deadline
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
        closing("invalid_request")
        self.send_400_response(message)  # uvicorn's: writes the 400 and closes

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self.deadline is None:  # pipelined after a request being answered
            self.expect(HEAD)
        self.reading_head = True
        self.head_began_in_this_read = True
        self.head_bytes = 0
        self.head_wire_bytes = 0
        self.head_hosts = 0
        self.head_plain = True

    def on_url(self, url: bytes) -> None:
        self.url += url  # uvicorn's on_url
        if len(self.url) > self.max_line:
            raise HeadRefused(
                414, "uri_too_long", f"the request line is longer than {self.max_line} bytes"
            )

    def on_header(self, name: bytes, value: bytes) -> None:
        size = len(name) + len(value) + FIELD_OVERHEAD
        self.head_bytes += size
        headers = self.headers  # the fields so far: their count is len(headers)
        if (
            size > self.max_line
            or self.head_bytes > self.max_bytes
            or len(headers) >= self.max_fields
        ):
            raise self.head_too_large(name, size, len(headers) + 1)
        # uvicorn's own on_header, inlined: it runs for every header of every request; and what
        # the front's head checks look for (proxy.request_checks), noted on the way
        name = name.lower()
        value = value.rstrip(b" \t")
        if UNDERSCORE in name:
            self.head_plain = False
        elif name in NOTED_NAMES:
            if name == b"host":
                self.head_hosts += 1
            elif name == b"transfer-encoding":
                self.head_plain = False
            elif value.lower() == b"100-continue":  # Expect
                self.expect_100_continue = True
        headers.append((name, value))

    def head_too_large(self, name: bytes, size: int, fields: int) -> HeadRefused:
        if size > self.max_line:
            field = name.decode("latin-1").lower()
            message = f"the {field} header is longer than {self.max_line} bytes"
        elif fields > self.max_fields:
            message = f"more than {self.max_fields} header fields"
        else:
            message = f"the request headers are longer than {self.max_bytes} bytes"
        return HeadRefused(431, "header_too_large", message)

    def on_headers_complete(self) -> None:
        self.reading_head = False
        self.deadline = None
        scope = self.scope
        if self.head_hosts == 1 and self.head_plain:
            scope[SIZED_AND_PLAIN] = True  # type: ignore[literal-required]
        # uvicorn's own on_headers_complete, with the front's response cycle (EdgeCycle)
        parser = self.parser
        http_version = parser.get_http_version()
        scope["method"] = parser.get_method().decode("ascii")
        if http_version != "1.1":
            scope["http_version"] = http_version
        if parser.should_upgrade() and self._should_upgrade():
            return
        parsed_url = httptools.parse_url(self.url)
        raw_path = parsed_url.path
        path = raw_path.decode("ascii")
        if "%" in path:
            path = urllib.parse.unquote(path)
        root_path = self.root_path
        scope["path"] = root_path + path
        scope["raw_path"] = root_path.encode("ascii") + raw_path if root_path else raw_path
        scope["query_string"] = parsed_url.query or b""
        limit = self.limit_concurrency
        if limit is not None and (len(self.connections) >= limit or len(self.tasks) >= limit):
            app = service_unavailable
            self.logger.warning("Exceeded concurrency limit.")
        else:
            app = self.app
        existing_cycle = self.cycle
        cycle = self.cycle = EdgeCycle(
            scope=scope,
            transport=self.transport,
            flow=self.flow,
            logger=self.logger,
            access_logger=self.access_logger,
            access_log=self.access_log,
            default_headers=self.server_state.default_headers,
            message_event=asyncio.Event(),
            expect_100_continue=self.expect_100_continue,
            keep_alive=http_version != "1.0" and parser.should_keep_alive(),
            on_response=self.on_response_complete,
        )
        cycle.loop = self.loop
        if existing_cycle is None or existing_cycle.response_complete:
            self._start_asgi_task(cycle, app)
        else:  # pipelined: queued up
            self.flow.pause_reading()
            self.pipeline.appendleft((cycle, app))

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
        self.deadline = None
        self.reading_head = False
        self.logger.info("refused a request head with %d: %s", status, message)
        self.transport.write(b"".join(head))
        close_connection(self.transport, error)
