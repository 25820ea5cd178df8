"""The front's side of the admin API and dashboard under `/_strangler/`.

`create_admin_app(front)` is what the front calls its `/_strangler/` paths with (proxy/app.py);
`with_admin(app, front)` puts the gate in front of the whole front. The gate decides on the raw
path alone (proxy/admin/gate.py): a spelling that only some normalisation turns into
`/_strangler` is answered 400 before the front decodes it, so nothing but the canonical prefix
reaches the admin app, and nothing under it reaches the legacy or migrated app (websockets
included). One log line per admin request names the token's holder, never the token.
"""

from __future__ import annotations

from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proxy.admin.gate import Reach, plainly_apps, reach
from proxy.errors import send_error
from proxy.observability import clock
from proxy.request_checks import Refusal

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
AMBIGUOUS = "this path could name the front's /_strangler/ in a non-canonical form"
AMBIGUOUS_REFUSAL = Refusal(400, "ambiguous_path", AMBIGUOUS)


def raw_path_of(scope: Scope) -> bytes:
    raw: bytes = scope.get("raw_path") or scope["path"].encode()
    return raw.split(b"?", 1)[0]


class AdminGate:
    """Outermost: other spellings of /_strangler get 400; websockets never reach it.

    The 400 is the front's own answer to a request it refuses (`front.http` with the refusal):
    the request id, the front's headers, one access-log line and one count in the request metrics
    (side `front`, route `<unmatched>`), as for any path the front rejects."""

    def __init__(self, app: ASGIApp, front: Any) -> None:
        self.app = app
        self.front = front

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path")
        if raw and plainly_apps(raw):  # most requests: nothing near the prefix
            await self.app(scope, receive, send)
            return
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        where = reach(raw_path_of(scope))
        if where is Reach.APPS:
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        elif where is Reach.AMBIGUOUS:
            await self.front.http(scope, receive, send, refusal=AMBIGUOUS_REFUSAL)
        else:  # the canonical prefix: the front hands it to its admin app (request id, log)
            await self.app(scope, receive, send)


class AdminEndpoint:
    """The admin FastAPI app as the front calls it: the raw path checked again, the security
    headers added, one log line and one count per request
    (`strangler_admin_requests_total{role, status}`: role `none` when no valid token came)."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry | None = None) -> None:
        self.app = app
        self.requests = Counter(
            "strangler_admin_requests", "Admin API and dashboard requests by role and status",
            ["role", "status"], registry=registry,
        )  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or reach(raw_path_of(scope)) is not Reach.ADMIN:
            if scope["type"] == "http":
                await send_error(send, 400, "ambiguous_path", AMBIGUOUS, None)
            return
        started = clock()
        status = 0

        async def send_secured(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message["headers"], *SECURITY_HEADERS]}
            await send(message)

        state: dict[str, Any] = {}
        try:
            await self.app({**scope, "state": state}, receive, send_secured)
        finally:
            identity = state.get("admin_identity")
            # a logger bound to logging as configured now (a front configures it at creation)
            structlog.get_logger("strangler.admin").info(
                "admin_request",
                method=scope["method"],
                path=scope["path"],
                status=status or 500,
                who=identity.name if identity is not None else None,
                role=identity.role if identity is not None else None,
                duration_ms=round((clock() - started) * 1000, 3),
            )
            role = identity.role if identity is not None else "none"
            self.requests.labels(role, str(status or 500)).inc()


def check_routes(front: Any) -> None:
    from proxy.admin.gate import is_admin_template
    from proxy.app import StartupError

    taken = [route.path for route in front.settings.routes if is_admin_template(route.path)]
    if taken:
        raise StartupError(
            f"routes {', '.join(taken)}: /_strangler/ is the front's own (admin API, dashboard)"
        )


def create_admin_app(front: Any) -> ASGIApp:
    """The admin API and dashboard of `front` (its settings, store, metrics, shadow records and
    migrated app)."""
    from proxy.admin.app import build_admin_app
    from proxy.admin.context import AdminContext
    from proxy.admin.shadow_view import records_of
    from proxy.admin.traffic import StoreTraffic

    check_routes(front)
    context = AdminContext(
        settings=front.settings,
        traffic=StoreTraffic(lambda: front.live.store),
        shadow=records_of(front),
        migrated=front.migrated,
        store_of=lambda: front.live.store,
        handlers=front.handlers,
        metrics=front.cutover_metrics,
    )
    return AdminEndpoint(build_admin_app(context), front.metrics.registry)


def with_admin(app: ASGIApp, front: Any) -> ASGIApp:
    """`app` (the front) behind the gate of its `/_strangler/` paths."""
    return AdminGate(app, front)
