"""What teams expect at the edge: rate limits, security headers, trusted hosts, body size limits.

All of it is off by default (an empty setting), so legacy clients see nothing change until a team
turns a piece on. CORS is Starlette's CORSMiddleware and X-Forwarded-* handling is uvicorn's
ProxyHeadersMiddleware, both wrapped around the front by `proxy.app` when configured.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import logging
import time
from collections.abc import Iterable

from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from proxy.route_table import Route
from proxy.settings import EdgeSettings, ProxySettings

logger = logging.getLogger("strangler.edge")

FORWARDED_HEADERS = frozenset(
    {
        b"forwarded",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
        b"x-forwarded-port",
        b"x-forwarded-prefix",
        b"x-real-ip",
    }
)


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body is larger than {limit} bytes")
        self.limit = limit


class RateLimits:
    """Fixed-window limits per client (`[edge] rate_limit`) and per client and route
    (`[[routes]] rate_limit`), counted in `limits` storage: Redis lets workers share counters."""

    def __init__(self, settings: EdgeSettings, routes: Iterable[Route]) -> None:
        self.global_limit: RateLimitItem | None = (
            parse(settings.rate_limit) if settings.rate_limit else None
        )
        self.route_limits: dict[str, RateLimitItem] = {
            route.path: parse(route.rate_limit) for route in routes if route.rate_limit
        }
        self.enabled = self.global_limit is not None or bool(self.route_limits)
        self.storage: Storage | None = None
        self.limiter: FixedWindowRateLimiter | None = None
        if self.enabled:
            uri = settings.rate_limit_storage
            if not uri.startswith("async+"):
                uri = "async+" + uri
            options = {"implementation": "redispy"} if "redis" in uri.split("://")[0] else {}
            storage = storage_from_string(uri, **options)
            assert isinstance(storage, Storage)
            self.storage = storage
            self.limiter = FixedWindowRateLimiter(storage)

    async def retry_after(self, client: str, route: Route | None) -> int | None:
        """None when the request may go on, else the seconds until the client may retry."""
        if self.limiter is None:
            return None
        checks: list[tuple[RateLimitItem, tuple[str, ...]]] = []
        if self.global_limit is not None:
            checks.append((self.global_limit, ("client", client)))
        if route is not None and route.path in self.route_limits:
            checks.append((self.route_limits[route.path], ("route", route.path, client)))
        for item, identifiers in checks:
            try:
                allowed = await self.limiter.hit(item, *identifiers)
                if not allowed:
                    reset, _remaining = await self.limiter.get_window_stats(item, *identifiers)
                    return max(1, int(reset - time.time()) + 1)
            except Exception:  # the limit store being down must not take the site down
                logger.warning("rate limit storage unavailable; request allowed", exc_info=True)
        return None


def host_allowed(host: bytes | None, patterns: tuple[str, ...]) -> bool:
    if not patterns:
        return True
    if host is None:
        return False
    name = host.decode("latin-1").lower()
    if name.startswith("["):
        name = name[: name.find("]") + 1]
    else:
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
    return any(pattern == "*" or fnmatch.fnmatchcase(name, pattern.lower()) for pattern in patterns)


def security_headers(settings: EdgeSettings, scheme: str) -> list[tuple[bytes, bytes]]:
    if not settings.security_headers:
        return []
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"SAMEORIGIN"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
    ]
    if settings.hsts_seconds and scheme == "https":
        headers.append((b"strict-transport-security", f"max-age={settings.hsts_seconds}".encode()))
    return headers


def limit_body(receive: Receive, limit: int) -> Receive:
    """A receive that raises BodyTooLarge once more than `limit` body bytes have arrived."""
    seen = 0

    async def limited() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise BodyTooLarge(limit)
        return message

    return limited


class UntrustedForwardedStripper:
    """Drop X-Forwarded-*/Forwarded from peers that are not trusted proxies, so neither the
    legacy app (e.g. behind Werkzeug's ProxyFix) nor the migrated one believes a client's claim.
    It sits outside uvicorn's ProxyHeadersMiddleware, so it judges the real peer address;
    trusted proxies' headers go on to that middleware and to the apps."""

    def __init__(self, app: ASGIApp, settings: ProxySettings) -> None:
        self.app = app
        self.networks = [
            ipaddress.ip_network(value, strict=False) for value in settings.trusted_proxies
        ]

    def peer_is_trusted(self, scope: Scope) -> bool:
        client = scope.get("client")
        if not self.networks or not client:
            return False
        try:
            address = ipaddress.ip_address(client[0])
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = scope["headers"]
            if any(name in FORWARDED_HEADERS for name, _ in headers) and not self.peer_is_trusted(
                scope
            ):
                scope = {
                    **scope,
                    "headers": [(n, v) for n, v in headers if n not in FORWARDED_HEADERS],
                }
        await self.app(scope, receive, send)
