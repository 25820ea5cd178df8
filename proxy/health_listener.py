"""`[health] listen`: the probes and `/metrics` on their own address, off the public port.

Started from the front's lifespan, in the same event loop as the public server. Every worker
process binds it with SO_REUSEPORT, as they share the public port: a probe reaches one worker,
as it would on the public port.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.types import Receive, Scope, Send

from proxy.errors import send_error
from proxy.observability import new_request_id
from proxy.settings import StranglerSettings, listen_address

Endpoint = Callable[[Send, str], Awaitable[None]]


class HealthListener:
    def __init__(self, settings: StranglerSettings, endpoints: Mapping[str, Endpoint]) -> None:
        assert settings.health.listen is not None
        self.settings = settings  # read by proxy.http_protocol for the [edge] limits
        self.address = listen_address(settings.health.listen)
        self.endpoints = dict(endpoints)
        self.server: Any = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        endpoint = self.endpoints.get(scope["path"])
        request_id = new_request_id()
        if endpoint is None:
            paths = ", ".join(sorted(self.endpoints))
            await send_error(send, 404, "not_found", f"this address serves {paths}", request_id)
            return
        await endpoint(send, request_id)

    def bind(self) -> socket.socket:
        host, port = self.address
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if hasattr(socket, "SO_REUSEPORT"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            sock.close()
            raise OSError(
                f"[health] listen = {self.settings.health.listen!r}: cannot bind ({error.strerror})"
            ) from None
        sock.listen(128)
        sock.setblocking(False)
        return sock

    async def start(self) -> None:
        import uvicorn

        from proxy.http_protocol import HTTP_PROTOCOL

        config = uvicorn.Config(
            self,
            lifespan="off",
            log_config=None,
            access_log=False,
            server_header=False,
            http=HTTP_PROTOCOL,
            timeout_graceful_shutdown=1,
        )
        config.load()
        server = uvicorn.Server(config)
        server.lifespan = config.lifespan_class(config)
        await server.startup(sockets=[self.bind()])
        self.server = server

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.shutdown()
            self.server = None
