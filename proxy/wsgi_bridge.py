"""Serve a WSGI app from ASGI with one thread hop per ordinary request.

    bridge = WSGIBridge(wsgi_app, threads=16, max_pending=64, timeout=30.0)
    await bridge(scope, receive, send)           # an ASGI app
    response = await bridge.call(method="GET", path="/api/products")   # in-process, for parity
    bridge.close()

Ordinary requests (no body, or a body of known length up to `buffer_body_below` bytes) are read
up front on the event loop; the WSGI call and the joining of a response that declares a small
Content-Length then happen in one job on a bounded thread pool. Everything else streams:

- request bodies of unknown length (chunked) or large ones are pulled from the event loop as the
  app reads `wsgi.input`, one ASGI message at a time (backpressure: nothing is read ahead);
  `wsgi.input_terminated` is set so Werkzeug reads chunked bodies (pallets/flask#2229);
- responses without Content-Length (generators, streaming responses) or with a large one are
  sent chunk by chunk as the app produces them, each `await send` waiting for the client.

Capacity is bounded: `threads` run at once and `max_pending` more may wait; beyond that the
bridge answers 503 with Retry-After at once. A call that has not produced its response headers
within `timeout` seconds gets 504; its thread is not killable and stays counted until the app
returns, so a hung legacy app degrades to 503s rather than to an unbounded queue.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import Message, Receive, Scope, Send

from proxy.errors import send_error
from proxy.thread_pool import ThreadPool

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
_HEADER_ENVIRON_CACHE: dict[bytes, str] = {}


class LegacyTimeout(Exception):
    """The legacy app did not answer within the bridge's timeout."""


class LegacyOverloaded(Exception):
    """Every legacy thread is busy and the waiting line is full."""


class RequestBodyError(Exception):
    """Reading the request body failed on the ASGI side (client gone, body too large, ...)."""

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


def build_environ(scope: Scope, wsgi_input: io.RawIOBase | io.BufferedIOBase) -> dict[str, Any]:
    """A PEP 3333 environ for an ASGI http scope. PATH_INFO comes from `raw_path` (decoded
    byte-wise, latin-1 as PEP 3333 says), so the app sees exactly what a WSGI server would give."""
    raw_path: bytes | None = scope.get("raw_path")
    if raw_path is None:
        raw_path = scope["path"].encode("utf-8")
    if b"%" in raw_path:
        raw_path = unquote_to_bytes(raw_path)
    path_info = raw_path.decode("latin-1")
    script_name = scope.get("root_path", "")
    if script_name and path_info.startswith(script_name):
        path_info = path_info[len(script_name) :]
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path_info,
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]) if server[1] is not None else "80",
        "SERVER_PROTOCOL": "HTTP/" + scope.get("http_version", "1.1"),
        "REMOTE_ADDR": client[0] if client else "",
        "REMOTE_PORT": str(client[1]) if client else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": wsgi_input,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
    }
    for name, value in scope["headers"]:
        if name == b"content-type":
            environ["CONTENT_TYPE"] = value.decode("latin-1")
        elif name == b"content-length":
            environ["CONTENT_LENGTH"] = value.decode("latin-1")
        else:
            key = environ_key(name)
            text = value.decode("latin-1")
            if key in environ:
                separator = "; " if key == "HTTP_COOKIE" else ","
                environ[key] = environ[key] + separator + text
            else:
                environ[key] = text
    return environ


class StreamingInput(io.RawIOBase):
    """`wsgi.input` for bodies read while the app runs: each refill asks the event loop for the
    next ASGI message, so at most one message is held in memory (backpressure)."""

    def __init__(self, receive: Receive, loop: asyncio.AbstractEventLoop, timeout: float) -> None:
        self._receive = receive
        self._loop = loop
        self._timeout = timeout
        self._buffer = b""
        self._more = True
        self.error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def _refill(self) -> bool:
        while not self._buffer and self._more:
            future = asyncio.run_coroutine_threadsafe(self._next_message(), self._loop)
            try:
                message = future.result(self._timeout)
            except BaseException as error:
                self.error = error
                self._more = False
                raise OSError(f"request body could not be read: {error!r}") from error
            if message["type"] == "http.disconnect":
                self._more = False
                self.error = ConnectionResetError("client disconnected")
                raise OSError("client disconnected while sending the body")
            self._buffer = message.get("body", b"")
            self._more = message.get("more_body", False)
        return bool(self._buffer)

    async def _next_message(self) -> Message:
        return await self._receive()

    def readinto(self, target: Any) -> int:
        if not self._refill():
            return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        if not self._refill():
            return b""
        chunk, self._buffer = self._buffer[:size], self._buffer[size:]
        return chunk

    def readall(self) -> bytes:
        parts = []
        while self._refill():
            parts.append(self._buffer)
            self._buffer = b""
        return b"".join(parts)

    def readline(self, size: int | None = -1) -> bytes:
        line = b""
        while self._refill():
            end = self._buffer.find(b"\n")
            take = len(self._buffer) if end < 0 else end + 1
            if size is not None and size >= 0:
                take = min(take, size - len(line))
            line += self._buffer[:take]
            self._buffer = self._buffer[take:]
            if line.endswith(b"\n") or (size is not None and 0 <= size <= len(line)):
                break
        return line

    def __iter__(self) -> Iterator[bytes]:
        while True:
            line = self.readline()
            if not line:
                return
            yield line


@dataclass(slots=True)
class _Exchange:
    """What one WSGI call produced, handed from the worker thread back to the event loop."""

    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    iterator: Iterator[bytes] | None = None  # set when the rest of the body must be streamed
    result: Iterable[bytes] | None = None
    # Every job of one request runs in this context, whichever thread runs it: apps keep
    # request state in context variables (Flask's stream_with_context, Werkzeug locals).
    context: contextvars.Context = field(default_factory=contextvars.copy_context)


class _Slot:
    """One unit of bridge capacity, released exactly once, from whichever thread finishes last."""

    __slots__ = ("_lock", "_released", "_semaphore")

    def __init__(self, semaphore: threading.BoundedSemaphore) -> None:
        self._semaphore = semaphore
        self._released = False
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._semaphore.release()


def _close(result: Iterable[bytes] | None) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


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
        buffer_body_below: int = 65536,
        buffer_response_below: int = 1048576,
    ) -> None:
        self.app = wsgi_app
        self.threads = threads
        self.timeout = timeout
        self.retry_after = retry_after
        self.buffer_body_below = buffer_body_below
        self.buffer_response_below = buffer_response_below
        self._pool = ThreadPool(threads, name="legacy")
        self._capacity = threading.BoundedSemaphore(threads + max_pending)
        self._retry_after_header = (b"retry-after", str(retry_after).encode())

    def close(self) -> None:
        self._pool.close()

    # -- the ASGI side ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.answer(scope, receive, send, _request_id(scope))

    async def answer(
        self, scope: Scope, receive: Receive, send: Send, request_id: str | None
    ) -> None:
        """`serve`, answering overload (503 + Retry-After) and timeout (504) in the front's error
        format; a RequestBodyError is left to the caller."""
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

    async def serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Like `__call__` but raises LegacyOverloaded / LegacyTimeout / RequestBodyError for
        the caller to answer (the front does, in its own error format)."""
        if not self._capacity.acquire(blocking=False):
            raise LegacyOverloaded()
        slot = _Slot(self._capacity)
        try:
            wsgi_input = await self._request_input(scope, receive)
            environ = build_environ(scope, wsgi_input)
        except BaseException:
            slot.release()
            raise
        # From here on the thread jobs own the slot and release it when the app is done with.
        exchange = _Exchange()
        await self._in_thread(slot, exchange.context.run, self._start, slot, environ, exchange)
        if isinstance(wsgi_input, StreamingInput) and wsgi_input.error is not None:
            if exchange.iterator is not None:
                self._pool.submit(self._finish, exchange, slot)
            raise RequestBodyError(wsgi_input.error)
        await self._send(exchange, slot, send)

    async def _request_input(
        self, scope: Scope, receive: Receive
    ) -> io.RawIOBase | io.BufferedIOBase:
        length: int | None = None
        chunked = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = None
                    chunked = True
            elif name == b"transfer-encoding":
                chunked = True
        if not chunked and (length is None or length == 0):
            return io.BytesIO(b"")
        if not chunked and length is not None and length <= self.buffer_body_below:
            parts = []
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise RequestBodyError(ConnectionResetError("client disconnected"))
                parts.append(message.get("body", b""))
                more = message.get("more_body", False)
            return io.BytesIO(b"".join(parts))
        return StreamingInput(receive, asyncio.get_running_loop(), self.timeout)

    async def _in_thread(self, slot: _Slot, job: Callable[..., Any], *args: Any) -> Any:
        """Run `job` on a legacy thread and wait for its result, LegacyTimeout after `timeout`.
        `slot` is given back if the job is cancelled unstarted (a job that runs gives it back
        itself)."""
        loop = asyncio.get_running_loop()
        waiter, queued = self._pool.start(job, *args)
        timer = loop.call_later(self.timeout, _expire, waiter)
        try:
            return await waiter
        except BaseException:
            if queued.cancel():
                slot.release()
            raise
        finally:
            timer.cancel()

    async def _send(self, exchange: _Exchange, slot: _Slot, send: Send) -> None:
        if exchange.iterator is None:
            await send(
                {
                    "type": "http.response.start",
                    "status": exchange.status,
                    "headers": exchange.headers,
                }
            )
            await send({"type": "http.response.body", "body": b"".join(exchange.chunks)})
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": exchange.status,
                    "headers": exchange.headers,
                }
            )
            for first in exchange.chunks:
                if first:
                    await send({"type": "http.response.body", "body": first, "more_body": True})
            while True:
                chunk = await self._pool.run(exchange.context.run, _next_chunk, exchange.iterator)
                if chunk is None:
                    break
                if chunk:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            # Close the app's iterable in a legacy thread (close() may block, e.g. on a database).
            self._pool.submit(self._finish, exchange, slot)

    # -- the thread side -------------------------------------------------------------------------

    def _start(self, slot: _Slot, environ: dict[str, Any], exchange: _Exchange) -> None:
        written: list[bytes] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            if exc_info is not None and exchange.status:
                raise exc_info[1].with_traceback(exc_info[2])
            exchange.status = int(status[:3])
            exchange.headers = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in headers
                if name.lower() not in HOP_BY_HOP
            ]
            return written.append

        streaming = False
        try:
            result = self.app(environ, start_response)
            exchange.result = result
            if isinstance(result, list | tuple):
                exchange.chunks = [*written, *result]
                return
            iterator = iter(result)
            # Pull the first chunk: apps may call start_response lazily, from inside the iterable.
            first = next(iterator, None)
            exchange.chunks = written if first is None else [*written, first]
            if first is None:
                return
            length = _content_length(exchange.headers)
            if length is not None and length <= self.buffer_response_below:
                exchange.chunks.extend(iterator)
                return
            exchange.iterator = iterator
            streaming = True
            return
        finally:
            if not streaming:
                try:
                    _close(exchange.result)
                finally:
                    slot.release()

    def _finish(self, exchange: _Exchange, slot: _Slot) -> None:
        try:
            exchange.context.run(_close, exchange.result)
        except Exception:  # close() failing (or racing an abandoned chunk) must not leak the slot
            pass
        finally:
            slot.release()

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
            if sent:
                return {"type": "http.disconnect"}
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


def _expire(waiter: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_exception(LegacyTimeout())


def _next_chunk(iterator: Iterator[bytes]) -> bytes | None:
    return next(iterator, None)


def _content_length(headers: list[tuple[bytes, bytes]]) -> int | None:
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
