"""The two sides a case is sent to: in-process ASGI apps, or servers over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import unquote

import httpx

from proxy.asgi_exchange import exchange
from proxy.diff import Response
from proxy.parity.cases import ParityRequest

IN_PROCESS_BASE = "http://testserver"


class Side(Protocol):
    name: str
    base_url: str

    async def send(self, request: ParityRequest) -> Response: ...

    async def aclose(self) -> None: ...


class HttpxSide:
    """One side, reached over HTTP through an httpx client.

    Cookies are never kept between requests: each case carries its own identity."""

    def __init__(self, name: str, client: httpx.AsyncClient, base_url: str) -> None:
        self.name = name
        self.base_url = base_url
        self._client = client

    @classmethod
    def over_http(cls, name: str, base_url: str, timeout: float = 30.0) -> HttpxSide:
        base = base_url.rstrip("/")
        return cls(name, httpx.AsyncClient(base_url=base, timeout=timeout), base)

    async def send(self, request: ParityRequest) -> Response:
        built = self._client.build_request(
            request.method,
            self.base_url + request.target,
            headers=list(request.headers),
            content=request.body or None,
        )
        answer = await self._client.send(built, follow_redirects=False)
        self._client.cookies.clear()
        return Response(
            status=answer.status_code,
            headers=tuple((k, v) for k, v in answer.headers.multi_items()),
            body=answer.content,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> HttpxSide:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class AsgiSide:
    """One side called in-process as an ASGI app, one request at a time, with a minimal ASGI
    client (httpx's ASGITransport costs a failed `import sniffio` per request)."""

    def __init__(self, name: str, app: Any, on_close: Callable[[], None] | None = None) -> None:
        self.name = name
        self.base_url = IN_PROCESS_BASE
        self._app = app
        self._on_close = on_close

    async def send(self, request: ParityRequest) -> Response:
        path, _, query = request.target.partition("?")
        headers = [(b"host", b"testserver")]
        headers += [
            (name.lower().encode("latin-1"), value.encode("utf-8"))
            for name, value in request.headers
            if name.lower() not in ("host", "content-length")
        ]
        if request.body or request.method in ("POST", "PUT", "PATCH"):
            headers.append((b"content-length", str(len(request.body)).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode("latin-1", errors="replace"),
            "query_string": query.encode("latin-1", errors="replace"),
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
            "state": {},
        }
        answer = await exchange(self._app, scope, request.body)
        if answer.error is not None and answer.status == 0:
            # like a server: an app that raises before answering answers 500
            return Response(500, (("content-type", "text/plain; charset=utf-8"),),
                            b"Internal Server Error")  # fmt: skip
        return Response(answer.status or 500, tuple(answer.headers), answer.body)

    async def aclose(self) -> None:
        if self._on_close is not None:
            self._on_close()
