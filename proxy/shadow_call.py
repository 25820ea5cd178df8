"""Calling an app of the front in-process with a copy of a client's request, as the shadow does:
the new side with the mirrored request, legacy again to measure the noise.

The copy keeps what the client's connection said (scheme, server, client address, Host and
every header, the request id) and adds `x-strangler-shadow: 1`, so the new side's code can tell
a mirrored request. The app gets the whole buffered body, then `http.disconnect` once the answer
is complete. HEAD is sent as GET with the body dropped, as the front calls the migrated app.
"""

from __future__ import annotations

import asyncio
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import structlog
from starlette.types import ASGIApp

from proxy.asgi_exchange import exchange
from proxy.diff import Response
from proxy.parity.cases import ParityRequest

SHADOW_HEADER = (b"x-strangler-shadow", b"1")
log = structlog.get_logger("strangler.shadow")


@dataclass(frozen=True)
class Connection:
    """What a request's ASGI scope says about its connection, kept to build copies."""

    scheme: str = "http"
    http_version: str = "1.1"
    server: tuple[str, int] | None = None
    client: tuple[str, int] | None = None
    root_path: str = ""

    @classmethod
    def of(cls, scope: MutableMapping[str, Any]) -> Connection:
        return cls(
            scheme=scope.get("scheme", "http"),
            http_version=scope.get("http_version", "1.1"),
            server=scope.get("server"),
            client=scope.get("client"),
            root_path=scope.get("root_path", ""),
        )


def copy_scope(request: ParityRequest, connection: Connection) -> dict[str, Any]:
    path, _, query = request.target.partition("?")
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in request.headers
    ]
    headers.append(SHADOW_HEADER)
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": connection.http_version,
        "method": request.method,
        "scheme": connection.scheme,
        "path": unquote(path),
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": connection.root_path,
        "headers": headers,
        "client": connection.client,
        "server": connection.server,
        "state": {"shadow": True},
    }


async def call_app(app: ASGIApp, request: ParityRequest, connection: Connection) -> Response:
    """The app's whole answer to a copy of `request`. An app that raises before answering raises
    here (the caller counts it as failed); one that raises after answering is taken at its word."""
    head = request.method == "HEAD"
    scope = copy_scope(request, connection)
    if head:
        scope["method"] = "GET"
    answer = await exchange(app, scope, request.body, keep_body=not head)
    if answer.error is not None and not answer.complete:
        raise answer.error
    if answer.status == 0:
        raise RuntimeError("the app returned without answering")
    return Response(answer.status, tuple(answer.headers), answer.body)


async def answer_within(
    app: ASGIApp, request: ParityRequest, connection: Connection, seconds: float, route: str
) -> Response | None:
    """Legacy's second answer to a mirrored request (the noise sample), or None when it did not
    come within `seconds` (left to finish on its own) or failed (logged)."""
    asking = asyncio.ensure_future(call_app(app, request, connection))
    done, _ = await asyncio.wait({asking}, timeout=seconds)
    if not done:
        asking.cancel()
        asking.add_done_callback(_retrieve)
        return None
    error = asking.exception()
    if error is not None:
        log.info("shadow_noise_failed", route=route, error=repr(error))
        return None
    return asking.result()


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
