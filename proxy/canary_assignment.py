"""Which side answers a client on a `canary` route: sticky per client, in both directions.

Each client has a stable bucket 0-99 per route, derived (HMAC) from the user id when the legacy
session names one, else from a random client id kept in a signed cookie. The client goes to the
new side when its bucket is below the weight. The same client therefore always lands on the same
side at a given weight, raising the weight only moves clients from legacy to new, and lowering
it only moves them back. A cookie whose signature does not verify (compared in constant time) is
ignored and the client gets a new id.

Testers force a side with the header `X-Strangler-Canary: always|never` or the cookie
`strangler_canary_force=always|never`; the header wins over the cookie, both over the weight.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from starlette.requests import cookie_parser

from proxy.cutover_metrics import CutoverMetrics

Side = Literal["legacy", "new"]
Reason = Literal["forced_header", "forced_cookie", "user", "cookie", "new_client"]

FORCE_HEADER = "x-strangler-canary"
FORCE_COOKIE = "strangler_canary_force"
CLIENT_COOKIE = "strangler_canary"
CLIENT_COOKIE_MAX_AGE = 90 * 24 * 3600
_FORCED: dict[str, Side] = {"always": "new", "never": "legacy"}


@dataclass(frozen=True)
class ClientHints:
    """What a request tells about its client: the force header, its cookies, the user id the
    legacy session names (if any)."""

    force_header: str | None = None
    cookies: Mapping[str, str] | None = None
    user_id: str | None = None

    @classmethod
    def from_headers(
        cls, headers: Iterable[tuple[bytes, bytes]], user_id: str | None = None
    ) -> ClientHints:
        """From ASGI `scope["headers"]`."""
        force: str | None = None
        cookies: dict[str, str] = {}
        for name, value in headers:
            if name == FORCE_HEADER.encode():
                force = value.decode("latin-1")
            elif name == b"cookie":
                cookies.update(cookie_parser(value.decode("latin-1")))
        return cls(force, cookies, user_id)


@dataclass(frozen=True)
class Assignment:
    side: Side
    reason: Reason
    set_cookie: str | None = None
    """A Set-Cookie header value to send back (a new client id), or None."""


class CanaryAssigner:
    def __init__(
        self,
        secret: bytes,
        *,
        secure_cookie: bool = False,
        metrics: CutoverMetrics | None = None,
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the canary secret must be at least 16 bytes")
        self._secret = secret
        self._secure = secure_cookie
        self._metrics = metrics

    def sign(self, client_id: str) -> str:
        return f"{client_id}.{self._signature(client_id)}"

    def _signature(self, client_id: str) -> str:
        digest = hmac.new(self._secret, b"client:" + client_id.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verified_client_id(self, cookie: str | None) -> str | None:
        """The client id of a cookie whose signature is ours, else None."""
        if not cookie or cookie.count(".") != 1:
            return None
        client_id, signature = cookie.split(".")
        if not client_id or not hmac.compare_digest(signature, self._signature(client_id)):
            return None
        return client_id

    def bucket(self, route: str, identity: str) -> int:
        """0-99, stable for one identity on one route, independent from route to route."""
        digest = hmac.new(
            self._secret, f"bucket:{route}\x00{identity}".encode(), hashlib.sha256
        ).digest()
        return int.from_bytes(digest[:8], "big") % 100

    def assign(self, route: str, weight: int, hints: ClientHints) -> Assignment:
        assignment = self._assign(route, weight, hints)
        if self._metrics is not None:
            self._metrics.canary_assignments.labels(route, assignment.side, assignment.reason).inc()
        return assignment

    def _assign(self, route: str, weight: int, hints: ClientHints) -> Assignment:
        cookies = hints.cookies or {}
        forced = _FORCED.get((hints.force_header or "").strip().lower())
        if forced is not None:
            return Assignment(forced, "forced_header")
        forced = _FORCED.get(cookies.get(FORCE_COOKIE, "").strip().lower())
        if forced is not None:
            return Assignment(forced, "forced_cookie")
        if hints.user_id:
            return Assignment(self._side(route, weight, f"user:{hints.user_id}"), "user")
        client_id = self.verified_client_id(cookies.get(CLIENT_COOKIE))
        if client_id is not None:
            return Assignment(self._side(route, weight, f"client:{client_id}"), "cookie")
        client_id = secrets.token_urlsafe(16)
        return Assignment(
            self._side(route, weight, f"client:{client_id}"),
            "new_client",
            set_cookie=self._cookie(client_id),
        )

    def _side(self, route: str, weight: int, identity: str) -> Side:
        return "new" if self.bucket(route, identity) < weight else "legacy"

    def _cookie(self, client_id: str) -> str:
        attributes = f"; Path=/; Max-Age={CLIENT_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax"
        return f"{CLIENT_COOKIE}={self.sign(client_id)}{attributes}" + (
            "; Secure" if self._secure else ""
        )
