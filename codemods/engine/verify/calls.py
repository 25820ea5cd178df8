"""One call of a route straight into an app: the legacy WSGI app with a prepared environ, the
generated ASGI app with `await app(scope, receive, send)` on the child's one event loop. What
the checks compare is what an HTTP client saw: the status, the headers (content type,
location), the exceptions the app raised (the call then fails with them, as a test client
raising server exceptions does); each body is read to its end and the app's iterable closed, so
streaming views and teardown run as they would. Redirects are not followed.

The request is the one httpx's and Starlette's test clients sent: host `localhost`, the same
`Accept`, `Accept-Encoding` and `Connection` headers, `Content-Length: 0` on a POST, PUT or
PATCH, the caller's cookies (jar.py) unless its own headers carry a `Cookie`. A call with a
`Body` (a form's submission) sends it with its `Content-Type` and length.
"""

from __future__ import annotations

import asyncio
import io
import sys
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from codemods.engine.verify.jar import Jar
from codemods.engine.verify.routes import BASE_URL, HOST

CLIENT_ADDRESS = "127.0.0.1"
DEFAULT_HEADERS = (
    ("Accept", "*/*"),
    ("Accept-Encoding", "gzip, deflate"),
    ("Connection", "keep-alive"),
)
LEGACY_USER_AGENT = "python-httpx/0.29.0"  # what the legacy side's client sent before
NEW_USER_AGENT = "testclient"  # and the new side's (Starlette's TestClient)
BODY_METHODS = ("POST", "PUT", "PATCH")
# what a page's script sends (jQuery's and Django's `is_ajax()`): a view reading it is also
# called with it
AJAX_HEADERS = {"X-Requested-With": "XMLHttpRequest"}

Message = dict[str, Any]


@dataclass(frozen=True)
class Reply:
    status_code: int
    headers: list[tuple[str, str]]

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


@dataclass(frozen=True)
class Body:
    """A request body and its content type (a form's urlencoded submission)."""

    content: bytes
    content_type: str


@dataclass(frozen=True)
class Target:
    url: str  # absolute: what the cookie jar matches
    path: str  # percent-decoded
    raw_path: bytes
    query: str


def target(url: str) -> Target:
    """`url` joined to `BASE_URL` when relative, as a client with that base URL joins it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme:
        absolute = url
        raw = parts.path or "/"
    else:
        raw = "/" + url.lstrip("/").split("?", 1)[0].split("#", 1)[0]
        absolute = BASE_URL + raw + (f"?{parts.query}" if parts.query else "")
    return Target(absolute, urllib.parse.unquote(raw), raw.encode("ascii", "replace"), parts.query)


class Caller:
    """One caller of one side: its headers (a logged-in user's session cookie, CSRF token) and
    its cookie jar."""

    def __init__(self, user_agent: str, headers: dict[str, str] | None = None) -> None:
        merged = [*DEFAULT_HEADERS, ("User-Agent", user_agent)]
        for key, value in (headers or {}).items():
            kept = [(k, v) for k, v in merged if k.lower() != key.lower()]
            if len(kept) == len(merged):
                merged.append((key, value))
            else:  # replaced where it was
                index = next(i for i, (k, _) in enumerate(merged) if k.lower() == key.lower())
                merged = [*kept[:index], (key, value), *kept[index:]]
        self.headers = merged
        self.jar = Jar()

    def request_headers(
        self, method: str, where: Target, body: Body | None = None
    ) -> list[tuple[str, str]]:
        first = [("Host", HOST)]
        if body is not None:
            first += [
                ("Content-Length", str(len(body.content))),
                ("Content-Type", body.content_type),
            ]
        elif method in BODY_METHODS:
            first.append(("Content-Length", "0"))
        return first + self.jar.header(where.url, self.headers)


def call_wsgi(
    app: Callable[..., Iterable[bytes]],
    caller: Caller,
    method: str,
    url: str,
    body: Body | None = None,
) -> Reply:
    where = target(url)
    environ: dict[str, Any] = {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body.content if body is not None else b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": where.path,
        "QUERY_STRING": where.query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": CLIENT_ADDRESS,
    }
    for key, value in caller.request_headers(method, where, body):
        name = key.upper().replace("-", "_")
        environ[name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + name] = value
    started: list[tuple[str, list[tuple[str, str]], Any]] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        started.append((status, headers, exc_info))
        return lambda _: None

    answered = app(environ, start_response)
    try:
        for _ in answered:  # read to its end: a generator view runs, and start_response is called
            pass
    finally:
        close = getattr(answered, "close", None)
        if close is not None:
            close()
    if not started:
        raise AssertionError("the WSGI app did not start a response")
    status, headers, exc_info = started[-1]
    if exc_info and exc_info[0]:
        raise exc_info[1]
    reply = Reply(int(status.split()[0]), list(headers))
    caller.jar.store(where.url, reply.headers)
    return reply


class AsgiSession:
    """The generated app on the running event loop: its lifespan started once (`start`, then
    `stop`), the calls of every caller in between."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app
        self.state: dict[str, Any] = {}
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        async def lifespan() -> None:
            try:
                scope = {"type": "lifespan", "state": self.state}
                await self.app(scope, self._to_app.get, self._from_app.put)
            finally:
                await self._from_app.put(None)

        self._task = asyncio.get_running_loop().create_task(lifespan())
        await self._lifespan_step("startup")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            await self._lifespan_step("shutdown")
            await self._task

    async def _lifespan_step(self, step: str) -> None:
        await self._to_app.put({"type": f"lifespan.{step}"})
        message = await self._from_app.get()
        failed = message is not None and message["type"] == f"lifespan.{step}.failed"
        if failed:  # the app raises its error next, as Starlette's lifespan does
            message = await self._from_app.get()
        if message is None:  # the lifespan ended: with its error, else without a word
            assert self._task is not None
            self._task.result()
            raise RuntimeError(f"the app's lifespan ended before its {step} completed")
        if failed:
            raise RuntimeError(f"lifespan {step} failed")

    async def call(self, caller: Caller, method: str, url: str, body: Body | None = None) -> Reply:
        where = target(url)
        headers = caller.request_headers(method, where, body)
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": method,
            "path": where.path,
            "raw_path": where.raw_path,
            "root_path": "",
            "scheme": "http",
            "query_string": where.query.encode("ascii", "replace"),
            "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
            "client": (CLIENT_ADDRESS, 50000),
            "server": [HOST, 80],
            "extensions": {"http.response.debug": {}, "http.response.trailers": {}},
            "state": self.state.copy(),
        }
        complete = asyncio.Event()
        request_sent = False
        started: list[Message] = []

        async def receive() -> Message:
            nonlocal request_sent
            if request_sent:  # then only the client's disconnect, once the answer is complete
                await complete.wait()
                return {"type": "http.disconnect"}
            request_sent = True
            content = body.content if body is not None else b""
            return {"type": "http.request", "body": content, "more_body": False}

        async def send(message: Message) -> None:
            kind = message["type"]
            if kind == "http.response.start":
                started.append(message)
            elif kind == "http.response.body" and not message.get("more_body", False):
                if not started[-1].get("trailers", False):
                    complete.set()
            elif kind == "http.response.trailers" and not message.get("more_trailers", False):
                complete.set()

        try:
            await self.app(scope, receive, send)
        finally:
            complete.set()
        if not started:
            raise AssertionError("the ASGI app sent no response")
        reply = Reply(
            int(started[0]["status"]),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in started[0].get("headers", [])],
        )
        caller.jar.store(where.url, reply.headers)
        return reply
