"""Serve a WSGI app from ASGI with one thread hop per ordinary request.

    bridge = WSGIBridge(wsgi_app, threads=16, max_pending=64, timeout=30.0)
    await bridge(scope, receive, send)           # an ASGI app
    response = await bridge.call(method="GET", path="/api/products")   # in-process, for parity
    bridge.close()

A request's body is read whole on the event loop before the request takes a legacy thread or a
place in the waiting line (`proxy.request_body`: in memory up to a limit, spooled to a temporary
file above it, with a read timeout and a minimum rate), so slow uploads cost a connection, never
a legacy thread. The WSGI call and the joining of a response that declares a small
Content-Length then happen in one job on a bounded thread pool. Other responses (generators,
streaming responses, large ones) are sent chunk by chunk as the app produces them, each `await
send` waiting for the client; `write()` data is sent as the app writes it.

Capacity is bounded: `threads` run at once and `max_pending` more may wait; beyond that the
bridge answers 503 with Retry-After at once. A call that has not produced its response headers
(or, streaming, its next chunk) within `timeout` seconds gets 504. Its thread cannot be killed:
it is written off and replaced by a new one, up to `max_stuck_threads` at once; past that bound
`on_stuck_bound` is told (the front asks for a graceful restart of its worker).

Every request's slot is given back exactly once, and the app's iterable closed, whatever ends
it: the response sent, the client gone (`ClientDisconnected`, raised for the caller to log as
499; a request still waiting for a thread never runs), a timeout, or the app failing.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter, methodcaller
from typing import IO, Any
from urllib.parse import unquote_to_bytes

import structlog
from starlette.types import Message, Receive, Scope, Send

from proxy.deadlines import TIMER_SLACK, LineCache
from proxy.errors import send_error
from proxy.paths import PERCENT
from proxy.request_body import BodyLimits, ClientDisconnected, LimitedReceive, read_body
from proxy.thread_pool import Job, ThreadPool, WriteOff

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# RFC 9110 section 7.6.1: connection-specific fields are not forwarded. WSGI apps must not send
# them either (PEP 3333), but some do.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "proxy-authenticate",
        "proxy-authorization",
    }
)
# header name -> environ key (Content-Type and Content-Length have no HTTP_ prefix)
_HEADER_ENVIRON_CACHE: dict[bytes, str] = {
    b"content-type": "CONTENT_TYPE",
    b"content-length": "CONTENT_LENGTH",
}
_LAST_WINS = frozenset(("CONTENT_TYPE", "CONTENT_LENGTH"))
_ENVIRON_TEMPLATES: dict[tuple[Any, ...], dict[str, Any]] = {}
# A request still waiting for a thread after this long is watched for its client leaving
# (_WaitingWatch).
WATCH_QUEUED_AFTER = 0.05
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
legacy_log = structlog.get_logger("strangler.legacy")


class LegacyTimeout(Exception):
    """The legacy app did not answer within the bridge's timeout."""


class LegacyOverloaded(Exception):
    """Every legacy thread is busy and the waiting line is full."""


class BadLegacyResponse(Exception):
    """The legacy app's response cannot be sent as it is (e.g. CR/LF in a header value)."""


class ResponseBroken(Exception):
    """The response had started when the legacy side failed: it cannot be completed.
    `status` is what the request is logged with (500: the app raised; 504: it stalled)."""

    def __init__(self, status: int, cause: BaseException) -> None:
        super().__init__(f"response broken after it started: {cause!r}")
        self.status = status
        self.cause = cause


class RequestBodyError(Exception):
    """Reading the request body failed (too large, too slow, ...); the caller answers it."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


@dataclass(slots=True)
class BridgeResponse:
    """A whole response, as `WSGIBridge.call` returns it."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)


def environ_key(header_name: bytes) -> str:
    key = _HEADER_ENVIRON_CACHE.get(header_name)
    if key is None:
        key = "HTTP_" + header_name.decode("latin-1").upper().replace("-", "_")
        if len(_HEADER_ENVIRON_CACHE) < 4096:
            _HEADER_ENVIRON_CACHE[header_name] = key
    return key


def build_environ(scope: Scope, wsgi_input: IO[bytes] | io.RawIOBase | None) -> dict[str, Any]:
    """A PEP 3333 environ for an ASGI http scope. PATH_INFO comes from `raw_path` (decoded
    byte-wise, latin-1 as PEP 3333 says), so the app sees exactly what a WSGI server would give.
    Repeated headers are joined once, at the end (linear in the size of the headers). What is
    the same for every request of a server and root path is copied from a template."""
    raw_path: bytes | None = scope.get("raw_path")
    if raw_path is None:
        raw_path = scope["path"].encode("utf-8")
    if PERCENT in raw_path:
        raw_path = unquote_to_bytes(raw_path)
    path_info = raw_path.decode("latin-1")
    script_name = scope.get("root_path", "")
    if script_name and path_info.startswith(script_name):
        path_info = path_info[len(script_name) :]
    server = scope.get("server")
    if server is not None and type(server) is not tuple:  # a list: hashable as a tuple
        server = tuple(server)
    shape = (server, scope.get("scheme", "http"), scope.get("http_version", "1.1"), script_name)
    template = _ENVIRON_TEMPLATES.get(shape)
    if template is None:
        template = _environ_template(*shape)
    environ = template.copy()
    environ["REQUEST_METHOD"] = scope["method"]
    environ["PATH_INFO"] = path_info
    environ["QUERY_STRING"] = scope["query_string"].decode("latin-1")
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    environ["wsgi.input"] = wsgi_input
    keys = _HEADER_ENVIRON_CACHE
    repeated: dict[str, list[str]] | None = None
    for name, value in scope["headers"]:
        key = keys.get(name)
        if key is None:
            key = environ_key(name)
        if key in environ:
            if key in _LAST_WINS:  # CONTENT_TYPE, CONTENT_LENGTH: the last one
                environ[key] = value.decode("latin-1")
                continue
            if repeated is None:
                repeated = {}
            values = repeated.get(key)
            if values is None:
                repeated[key] = [environ[key], value.decode("latin-1")]
            else:
                values.append(value.decode("latin-1"))
        else:
            environ[key] = value.decode("latin-1")
    if repeated is not None:
        for key, values in repeated.items():
            environ[key] = ("; " if key == "HTTP_COOKIE" else ",").join(values)
    return environ


def _environ_template(
    server: tuple[str, int | None] | None, scheme: str, http_version: str, script_name: str
) -> dict[str, Any]:
    """The environ keys every request with this shape shares; per-request ones are placeholders
    here (in PEP 3333's order, as the environ always had)."""
    server_name, port = server or ("localhost", 80)
    template: dict[str, Any] = {
        "REQUEST_METHOD": "",
        "SCRIPT_NAME": script_name,
        "PATH_INFO": "",
        "QUERY_STRING": "",
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(port) if port is not None else "80",
        "SERVER_PROTOCOL": "HTTP/" + http_version,
        "REMOTE_ADDR": "",
        "REMOTE_PORT": "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": None,
        "wsgi.errors": _STDERR,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }
    if len(_ENVIRON_TEMPLATES) < 64:
        _ENVIRON_TEMPLATES[(server, scheme, http_version, script_name)] = template
    return template


class LegacyErrors:
    """`wsgi.errors`: what the app writes there (Flask logs its tracebacks there) becomes one
    structured log line per flush, with the request id and route, written by the event loop."""

    __slots__ = ("_loop", "_parts", "_state")

    def __init__(self, loop: asyncio.AbstractEventLoop | None, state: dict[str, Any]) -> None:
        self._loop = loop
        self._state = state
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        self._parts.extend(lines)

    def flush(self) -> None:
        if not self._parts:
            return
        text = "".join(self._parts).rstrip("\n")
        self._parts.clear()
        fields = {
            "request_id": self._state.get("request_id"),
            "route": self._state.get("route"),
            "side": "legacy",
            "message": text,
        }
        if self._loop is None:
            legacy_log.error("legacy_error_output", **fields)
            return
        try:
            self._loop.call_soon_threadsafe(_log_legacy_output, fields)
        except RuntimeError:  # the loop has closed
            legacy_log.error("legacy_error_output", **fields)


def _log_legacy_output(fields: dict[str, Any]) -> None:
    legacy_log.error("legacy_error_output", **fields)


_STDERR = LegacyErrors(None, {})


class _Slot:
    """One unit of bridge capacity, released exactly once, from whichever thread finishes last."""

    __slots__ = ("_bridge", "_released")

    def __init__(self, bridge: WSGIBridge) -> None:
        self._bridge = bridge
        self._released = False

    def release(self) -> None:
        bridge = self._bridge
        with bridge._lock:
            if self._released:
                return
            self._released = True
            bridge._in_use -= 1


class _Exchange:
    """One request between the event loop and the legacy threads. `lock` guards the handover:
    whichever side learns last that the other is done with the request finishes it (closes the
    app's iterable and the body, gives the slot back)."""

    # The state every request starts with is the class's (no __slots__: an instance stores only
    # what changes, which costs a request less than setting two dozen slots).
    status = 0
    headers: Sequence[tuple[bytes, bytes]] = ()
    chunks: Sequence[bytes] = ()
    iterator: Iterator[bytes] | None = None  # set when the body must be streamed
    result: Iterable[bytes] | None = None
    busy = False  # a job of this request is queued or running
    abandoned = False  # the event loop is done with it (answered, gone, timed out)
    finished = False
    closed = False  # finish() has run to its end (`finished` is set as it starts)
    gone = False  # the client disconnected
    served = False  # `serve` has returned
    headers_sent = False
    waiter: asyncio.Future[Any] | None = None
    deadline = 0.0  # when the job in `waiter` times out (a later one replaces it)
    watcher: asyncio.Task[None] | None = None

    def __init__(
        self,
        slot: _Slot,
        receive: Receive,
        send: Send,
        loop: asyncio.AbstractEventLoop,
        body: IO[bytes] | None,
        errors: LegacyErrors,
    ) -> None:
        self.slot = slot
        self.receive = receive
        self.send = send
        self.errors = errors
        self.loop = loop
        self.body = body
        # Every job of one request runs in this context, whichever thread runs it: apps keep
        # request state in context variables (Flask's stream_with_context, Werkzeug locals).
        self.context = contextvars.copy_context()
        self.lock = threading.Lock()

    def let_go(self) -> None:
        """Drop what the request was made of (the app's response, its context, the server's
        request cycle...) once it is answered and finished. The deadline line and the waiting
        watch hold an exchange a while after its request (until their next trim or sweep):
        holding the request's objects too made them outlive the young garbage collections and
        the older ones scan them, which cost a saturated front more CPU than all its own
        bytecodes (a django POST under wrk: about 13 us of collections per request more than at
        2bdf100)."""
        self.result = None
        self.chunks = self.headers = ()
        del self.receive, self.send, self.context, self.body, self.errors, self.slot

    def finish(self, in_context: bool = False) -> None:
        """Close the iterable (in the request's context) and the body; give the slot back."""
        with self.lock:
            if self.finished:
                return
            self.finished = True
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close() if in_context else self.context.run(close)
        except Exception:  # close() failing must not leak the slot
            pass
        finally:
            try:
                self.errors.flush()  # what the app wrote there without flushing
                if self.body is not None:
                    self.body.close()
            finally:
                self.slot.release()
                self.closed = True


class WSGIBridge:
    """An ASGI app serving `wsgi_app`; see the module docstring for the rules."""

    def __init__(
        self,
        wsgi_app: WSGIApp,
        *,
        threads: int = 16,
        max_pending: int = 64,
        timeout: float = 30.0,
        retry_after: int = 1,
        buffer_response_below: int = 1048576,
        body_limits: BodyLimits = BodyLimits(),
        max_stuck_threads: int = 16,
        on_stuck_bound: Callable[[str], None] | None = None,
    ) -> None:
        self.app = wsgi_app
        self.threads = threads
        self.timeout = timeout
        self.retry_after = retry_after
        self.buffer_response_below = buffer_response_below
        self.body_limits = body_limits
        self.max_stuck_threads = max_stuck_threads
        self.on_stuck_bound = on_stuck_bound
        self.stuck_bound_reached: str | None = None  # why, once it has been
        self._pool = ThreadPool(threads, name="legacy")
        self._lock = threading.Lock()
        self._capacity = threads + max_pending
        self._in_use = 0
        self._retry_after_header = (b"retry-after", str(retry_after).encode())
        self._waiting_watch: _WaitingWatch | None = None
        self._timeouts = LineCache(timeout, _job_settled, _job_timed_out)

    @property
    def stuck_threads(self) -> int:
        return self._pool.stuck

    def close(self) -> None:
        self._pool.close()

    # -- the ASGI side ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.answer(scope, receive, send, _request_id(scope))

    async def answer(
        self, scope: Scope, receive: Receive, send: Send, request_id: str | None
    ) -> None:
        """`serve`, answering overload (503 + Retry-After), timeout (504) and a response that
        cannot be sent (502) in the front's error format; other errors are left to the caller."""
        try:
            await self.serve(scope, receive, send)
        except LegacyOverloaded:
            await send_error(
                send,
                503,
                "legacy_unavailable",
                "every legacy worker is busy; retry shortly",
                request_id,
                (self._retry_after_header,),
            )
        except LegacyTimeout:
            await send_error(
                send,
                504,
                "legacy_timeout",
                f"the legacy app did not answer within {self.timeout:g}s",
                request_id,
            )
        except BadLegacyResponse as error:
            await send_error(send, 502, "legacy_bad_response", str(error), request_id)

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Like `__call__` but raises LegacyOverloaded / LegacyTimeout / BadLegacyResponse /
        RequestBodyError / ClientDisconnected / ResponseBroken / the app's own exception for the
        caller to answer and log (the front does, in its own format)."""
        body: IO[bytes] | None = None
        environ = build_environ(scope, None)
        chunked = "HTTP_TRANSFER_ENCODING" in environ and any(
            name == b"transfer-encoding" for name, _ in scope["headers"]
        )  # (not a Transfer_Encoding field kept by underscore_headers = "keep")
        if chunked or environ.get("CONTENT_LENGTH", "0") != "0":
            try:
                body, size = await read_body(receive, self.body_limits)
            except ClientDisconnected:
                raise
            except Exception as error:
                raise RequestBodyError(error) from error
            environ["wsgi.input"] = body
            if chunked:
                # The body is in: tell the app its length, as nginx does for a buffered chunked
                # body (Django reads nothing without CONTENT_LENGTH).
                del environ["HTTP_TRANSFER_ENCODING"]
                environ["CONTENT_LENGTH"] = str(size)
        else:
            environ["wsgi.input"] = io.BytesIO(b"")
        loop = asyncio.get_running_loop()
        state = scope.get("state")
        errors = LegacyErrors(loop, state if isinstance(state, dict) else {})
        environ["wsgi.errors"] = errors

        with self._lock:
            admitted = self._in_use < self._capacity
            if admitted:
                self._in_use += 1
                queued = self._in_use > self.threads
        if not admitted:
            if body is not None:
                body.close()
            raise LegacyOverloaded()
        exchange = _Exchange(_Slot(self), receive, send, loop, body, errors)
        if queued:  # it may wait for a thread: if it does for a while, notice a client leaving
            watch = self._waiting_watch
            if watch is None or watch.loop is not loop:
                watch = self._waiting_watch = _WaitingWatch(loop)
            watch.add(exchange)
        try:
            await self._in_thread(exchange, self._start, environ, exchange)
            await self._send(exchange)
        except BaseException as error:
            self._abandon(exchange)
            if exchange.headers_sent and not isinstance(error, ClientDisconnected | ResponseBroken):
                status = 504 if isinstance(error, LegacyTimeout) else 500
                raise ResponseBroken(status, error) from error
            raise
        finally:
            exchange.served = True
            if exchange.watcher is not None:
                exchange.watcher.cancel()
            if exchange.closed:  # finish() has run to its end: nothing of it is used any more
                exchange.let_go()

    async def _in_thread(self, exchange: _Exchange, job: Callable[..., Any], *args: Any) -> Any:
        """Run `job` on a legacy thread and wait for its result: LegacyTimeout after `timeout`,
        ClientDisconnected as soon as the client leaves (when watched). A job that waited too
        long unstarted never runs; one that ran too long has its thread written off."""
        if exchange.gone:
            raise ClientDisconnected()
        loop = exchange.loop
        exchange.busy = True
        waiter, queued = self._pool.start(self._job, exchange, job, *args)
        exchange.waiter = waiter
        exchange.deadline = self._timeouts.get(loop).add(exchange, waiter)
        try:
            return await waiter
        except LegacyTimeout:
            if queued.cancel():
                exchange.busy = False
            else:
                self._write_off(queued, exchange)
            raise
        except BaseException:
            if queued.cancel():
                exchange.busy = False
            raise
        finally:
            exchange.waiter = None

    def _job(self, exchange: _Exchange, job: Callable[..., Any], *args: Any) -> Any:
        try:
            return exchange.context.run(job, *args)
        finally:
            with exchange.lock:
                exchange.busy = False
                abandoned = exchange.abandoned
            if abandoned:
                exchange.finish()

    def _abandon(self, exchange: _Exchange) -> None:
        """The event loop is done with `exchange`: finish it now if no job of it is running,
        else the job finishes it when it returns."""
        if exchange.finished:
            return
        with exchange.lock:
            exchange.abandoned = True
            idle = not exchange.busy
        if not idle:
            return
        if exchange.result is None:  # the app never ran: nothing that may block
            exchange.finish()
        else:
            self._pool.submit(exchange.finish)

    def _write_off(self, job: Job, exchange: _Exchange) -> None:
        outcome = self._pool.write_off(job, self.max_stuck_threads)
        if outcome is WriteOff.REPLACED:
            exchange.slot.release()  # its replacement serves the next request
        elif outcome is WriteOff.BOUND_REACHED and self.stuck_bound_reached is None:
            self.stuck_bound_reached = (
                f"{self._pool.stuck + 1} legacy threads stuck past {self.timeout:g}s"
                f" ([legacy] max_stuck_threads = {self.max_stuck_threads})"
            )
            if self.on_stuck_bound is not None:
                self.on_stuck_bound(self.stuck_bound_reached)

    async def _send(self, exchange: _Exchange) -> None:
        send = exchange.send
        if exchange.iterator is None and not exchange.headers_sent:
            await send(
                {
                    "type": "http.response.start",
                    "status": exchange.status,
                    "headers": exchange.headers,
                }
            )
            await send({"type": "http.response.body", "body": b"".join(exchange.chunks)})
            return
        if not exchange.headers_sent:
            exchange.headers_sent = True
            await send(
                {
                    "type": "http.response.start",
                    "status": exchange.status,
                    "headers": exchange.headers,
                }
            )
        for chunk in exchange.chunks:
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        iterator = exchange.iterator
        if iterator is not None:
            if exchange.watcher is None:  # a stream may last: notice if the client leaves
                _watch(exchange)
            while True:
                chunk = await self._in_thread(exchange, _next_chunk, iterator)
                if chunk is None:
                    break
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                if exchange.gone:
                    raise ClientDisconnected()
        await send({"type": "http.response.body", "body": b""})
        if iterator is not None:
            self._abandon(exchange)  # done with it: close the iterable in a legacy thread

    async def _write(self, exchange: _Exchange, data: bytes) -> None:
        """A WSGI `write()`, on the event loop: headers first if not sent yet, then the data."""
        if exchange.abandoned or exchange.gone:
            raise OSError("the client is gone or the request was given up")
        if exchange.waiter is not None:  # the app is making progress: a new deadline
            exchange.deadline = self._timeouts.get(exchange.loop).add(exchange, exchange.waiter)
        if not exchange.headers_sent:
            exchange.headers_sent = True
            _watch(exchange)  # write() responses may last: notice if the client leaves
            await exchange.send(
                {
                    "type": "http.response.start",
                    "status": exchange.status,
                    "headers": exchange.headers,
                }
            )
        await exchange.send({"type": "http.response.body", "body": data, "more_body": True})

    # -- the thread side -------------------------------------------------------------------------

    def _start(self, environ: dict[str, Any], exchange: _Exchange) -> None:
        problem: list[str] = []

        def write(data: bytes) -> None:
            if not data:
                return
            future = asyncio.run_coroutine_threadsafe(self._write(exchange, data), exchange.loop)
            future.result()

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info is not None and exchange.headers_sent:
                raise exc_info[1].with_traceback(exc_info[2])
            try:
                converted = _sendable(headers)
            except _InvalidHeader as invalid:
                problem.append(str(invalid.name))
                raise BadLegacyResponse(
                    f"the legacy app sent an invalid response header: {invalid.name!r}"
                ) from invalid.__cause__
            exchange.status = int(status[:3])
            exchange.headers = converted
            return write

        streaming = False
        try:
            result = self.app(environ, start_response)
            exchange.result = result
            if problem:  # the app swallowed start_response's error
                raise BadLegacyResponse(
                    f"the legacy app sent an invalid response header: {problem[0]!r}"
                )
            if isinstance(result, list | tuple):
                exchange.chunks = list(result)
                return
            iterator = iter(result)
            # Pull the first chunk: apps may call start_response lazily, from inside the iterable.
            first = next(iterator, None)
            if problem:
                raise BadLegacyResponse(
                    f"the legacy app sent an invalid response header: {problem[0]!r}"
                )
            if first is None:
                return
            chunks = exchange.chunks = [first]
            length = _content_length(exchange.headers)
            if length is not None and length <= self.buffer_response_below:
                chunks.extend(iterator)
                return
            exchange.iterator = iterator
            streaming = True
            return
        finally:
            if not streaming:
                exchange.finish(in_context=True)

    # -- in-process use (the parity engine) ------------------------------------------------------

    async def call(
        self,
        method: str,
        path: str,
        *,
        query_string: bytes | str = b"",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        client: tuple[str, int] = ("127.0.0.1", 0),
        server: tuple[str, int] = ("localhost", 80),
        scheme: str = "http",
    ) -> BridgeResponse:
        """Send one request to the WSGI app in-process and return the whole response.

        `path` is the raw (percent-encoded) path; raises LegacyOverloaded or LegacyTimeout."""
        pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
        if body and not any(name.lower() == "content-length" for name, _ in pairs):
            pairs.append(("content-length", str(len(body))))
        raw_path = path.encode("utf-8")
        scope: Scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": scheme,
            "path": path,
            "raw_path": raw_path,
            "root_path": "",
            "query_string": query_string.encode()
            if isinstance(query_string, str)
            else query_string,
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in pairs],
            "client": client,
            "server": server,
        }
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if sent:  # like a server: nothing more until the client leaves (it never does)
                await asyncio.get_running_loop().create_future()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status = 0
        response_headers: list[tuple[str, str]] = []
        parts: list[bytes] = []

        async def send(message: Message) -> None:
            nonlocal status, response_headers
            if message["type"] == "http.response.start":
                status = message["status"]
                response_headers = [
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]
                ]
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.serve(scope, receive, send)
        return BridgeResponse(status, response_headers, b"".join(parts))


class _WaitingWatch:
    """Watches the requests of one event loop that have waited WATCH_QUEUED_AFTER for a legacy
    thread, until they are answered, for their clients leaving: one timer for them all, every
    WATCH_QUEUED_AFTER while there are any (a timer or a task per request would cost more than
    the thread hop they wait for). When the server's request cycle says whether its client left
    (uvicorn's `disconnected`), the timer reads it; else the request gets a task on `receive`."""

    __slots__ = ("loop", "timer", "waiting", "watched")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: deque[tuple[float, _Exchange]] = deque()  # (when to watch it, request)
        self.watched: list[tuple[Any, _Exchange]] = []  # (its server cycle, request)
        self.timer: asyncio.TimerHandle | None = None

    def add(self, exchange: _Exchange) -> None:
        self.waiting.append((self.loop.time() + WATCH_QUEUED_AFTER, exchange))
        if self.timer is None:
            self.timer = self.loop.call_later(WATCH_QUEUED_AFTER, self.sweep)

    def sweep(self) -> None:
        now = self.loop.time()
        waiting = self.waiting
        while waiting and waiting[0][0] <= now + TIMER_SLACK:
            exchange = waiting.popleft()[1]
            if exchange.served or exchange.abandoned:
                continue
            cycle = _server_cycle(exchange.receive)
            if cycle is None:
                _watch(exchange)
            else:
                self.watched.append((cycle, exchange))
        still: list[tuple[Any, _Exchange]] = []
        for cycle, exchange in self.watched:
            if exchange.served or exchange.abandoned:
                continue
            if cycle.disconnected:
                _client_gone(exchange)
            else:
                still.append((cycle, exchange))
        self.watched = still
        if still:
            self.timer = self.loop.call_at(now + WATCH_QUEUED_AFTER, self.sweep)
        elif waiting:
            self.timer = self.loop.call_at(waiting[0][0], self.sweep)
        else:
            self.timer = None


def _server_cycle(receive: Receive) -> Any:
    """The server's request cycle behind `receive` when it tells whether the client has left
    (uvicorn's, httptools and h11 alike: `disconnected`), else None."""
    if isinstance(receive, LimitedReceive):
        receive = receive.receive
    cycle = getattr(receive, "__self__", None)
    return cycle if isinstance(getattr(cycle, "disconnected", None), bool) else None


def _client_gone(exchange: _Exchange) -> None:
    """Stop what is waiting on the legacy side for a client that has left."""
    exchange.gone = True
    waiter = exchange.waiter
    if waiter is not None and not waiter.done():
        waiter.set_exception(ClientDisconnected())


def _watch(exchange: _Exchange) -> None:
    if exchange.watcher is None and not exchange.abandoned:
        task = exchange.loop.create_task(_watch_disconnect(exchange.receive, exchange))
        exchange.watcher = task


async def _watch_disconnect(receive: Receive, exchange: _Exchange) -> None:
    """Wait for the client to leave; then stop what is waiting on the legacy side for it."""
    ends = 0
    try:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            if not message.get("more_body", False):
                ends += 1
                if ends > 1:  # a receive that never waits (an in-process probe): cannot tell
                    return
    except Exception:
        return
    _client_gone(exchange)


_RESPONSE_NAMES: dict[str, bytes | None] = {}
_UNSENDABLE = re.compile("[\r\n\x00]")  # in a header value: a response that cannot be sent
_name = itemgetter(0)
_value = itemgetter(1)
_LATIN1 = methodcaller("encode", "latin-1")


class _InvalidHeader(Exception):
    def __init__(self, name: Any) -> None:
        super().__init__(name)
        self.name = name


def _sendable(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """A WSGI app's response headers as the ASGI server sends them (names lowered, hop-by-hop
    ones left out); _InvalidHeader naming the first one that cannot be sent. The usual case
    (names seen before, none hop-by-hop, no CR/LF/NUL in any value) is done in C functions;
    anything else goes field by field."""
    if type(headers) is not list:
        headers = list(headers)
    try:
        if _UNSENDABLE.search("".join(map(_value, headers))) is None:
            names: list[Any] = list(map(_RESPONSE_NAMES.__getitem__, map(_name, headers)))
            if None not in names:
                return list(zip(names, map(_LATIN1, map(_value, headers)), strict=True))
    except (LookupError, TypeError, ValueError):  # an unseen name, a non-string, ...
        pass
    return _sendable_by_field(headers)


def _sendable_by_field(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    converted: list[tuple[bytes, bytes]] = []
    name: Any = None
    try:
        for name, value in headers:
            if "\n" in value or "\r" in value or "\x00" in value:
                raise ValueError(name)
            encoded = _response_name(name)
            if encoded is not None:
                converted.append((encoded, value.encode("latin-1")))
    except (ValueError, AttributeError, TypeError) as error:  # (UnicodeError is one)
        raise _InvalidHeader(name) from error
    return converted


def _response_name(name: str) -> bytes | None:
    """A response header name as sent (lowered bytes), None for a hop-by-hop one; ValueError
    when it is not an HTTP token. Cached: apps send the same few names."""
    try:
        return _RESPONSE_NAMES[name]
    except KeyError:
        pass
    if not _HEADER_NAME.match(name):
        raise ValueError(name)
    lowered = name.lower()
    encoded = None if lowered in HOP_BY_HOP else lowered.encode("latin-1")
    if len(_RESPONSE_NAMES) < 4096:
        _RESPONSE_NAMES[name] = encoded
    return encoded


def _job_settled(exchange: _Exchange, waiter: asyncio.Future[Any]) -> bool:
    return waiter.done()


def _job_timed_out(exchange: _Exchange, waiter: asyncio.Future[Any], due: float) -> None:
    if exchange.deadline <= due:  # else write() moved it on, and a later entry holds it
        waiter.set_exception(LegacyTimeout())


def _next_chunk(iterator: Iterator[bytes]) -> bytes | None:
    return next(iterator, None)


def _content_length(headers: Sequence[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _request_id(scope: Scope) -> str | None:
    state = scope.get("state")
    if isinstance(state, dict):
        value = state.get("request_id")
        return str(value) if value is not None else None
    return None
