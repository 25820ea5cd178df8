"""`with_admin(app, front)`: the front with its admin API and dashboard under `/_strangler/`.

The gate sees every request first and decides on the raw path alone (proxy/admin/gate.py), so
nothing under `/_strangler/` can reach the legacy or migrated app, and no other spelling can
reach the admin app. One log line per admin request names the token's holder, never the token.
"""

from __future__ import annotations

from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proxy.admin.gate import Reach, reach
from proxy.errors import send_error
from proxy.observability import clock, new_request_id

log = structlog.get_logger("strangler.admin")
SECURITY_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make the form's Origin "null"
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
)


class AdminGate:
    def __init__(self, apps: ASGIApp, admin: ASGIApp, request_id_header: bytes) -> None:
        self.apps = apps
        self.admin = admin
        self.request_id_header = request_id_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.apps(scope, receive, send)
            return
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        where = reach(raw_path.split(b"?", 1)[0])
        if where is Reach.APPS:
            await self.apps(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        elif where is Reach.AMBIGUOUS:
            message = "this path could name the front's /_strangler/ in a non-canonical form"
            request_id = new_request_id()
            header = ((self.request_id_header, request_id.encode()),)
            await send_error(send, 400, "ambiguous_path", message, request_id, header)
        else:
            await self.answer(scope, receive, send)

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = clock()
        status = 0

        async def send_secured(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message["headers"], *SECURITY_HEADERS]}
            await send(message)

        scope = {**scope, "state": {}}
        try:
            await self.admin(scope, receive, send_secured)
        finally:
            identity = scope["state"].get("admin_identity")
            log.info(
                "admin_request",
                method=scope["method"],
                path=scope["path"],
                status=status or 500,
                who=identity.name if identity is not None else None,
                role=identity.role if identity is not None else None,
                duration_ms=round((clock() - started) * 1000, 3),
            )


def with_admin(app: ASGIApp, front: Any) -> ASGIApp:
    """`app` (the front) behind the admin gate; the admin app reads `front`'s settings, metrics,
    shadow records and migrated app."""
    from proxy.admin.app import create_admin_app
    from proxy.admin.context import AdminContext
    from proxy.admin.gate import is_admin_template
    from proxy.app import StartupError

    taken = [route.path for route in front.settings.routes if is_admin_template(route.path)]
    if taken:
        raise StartupError(
            f"routes {', '.join(taken)}: /_strangler/ is the front's own (admin API, dashboard)"
        )
    from proxy.admin.shadow_view import records_of
    from proxy.admin.traffic import TrafficSampler

    context = AdminContext(
        settings=front.settings,
        traffic=TrafficSampler(lambda: front.metrics.exposition()[0]),
        shadow=records_of(front),
        migrated=front.migrated,
    )
    header = front.settings.observability.request_id_header.lower().encode()
    return AdminGate(app, create_admin_app(context), header)
