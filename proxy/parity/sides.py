"""The two sides a case is sent to: in-process ASGI apps, or servers over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

import httpx

from proxy.diff import Response
from proxy.parity.cases import ParityRequest

IN_PROCESS_BASE = "http://testserver"


class Side(Protocol):
    name: str
    base_url: str

    async def send(self, request: ParityRequest) -> Response: ...

    async def aclose(self) -> None: ...


class HttpxSide:
    """One side, reached through an httpx client: over HTTP, or in-process with an ASGI transport.

    Cookies are never kept between requests: each case carries its own identity."""

    def __init__(
        self,
        name: str,
        client: httpx.AsyncClient,
        base_url: str,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self.base_url = base_url
        self._client = client
        self._on_close = on_close

    @classmethod
    def in_process(
        cls, name: str, asgi_app: Any, on_close: Callable[[], None] | None = None
    ) -> HttpxSide:
        transport = httpx.ASGITransport(app=asgi_app, raise_app_exceptions=False)
        client = httpx.AsyncClient(transport=transport, base_url=IN_PROCESS_BASE)
        return cls(name, client, IN_PROCESS_BASE, on_close)

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
        if self._on_close is not None:
            self._on_close()

    async def __aenter__(self) -> HttpxSide:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
