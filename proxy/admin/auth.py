"""Who is calling: a bearer token (`Authorization: Bearer ...`), or the dashboard's HttpOnly
cookie holding the same token. Roles: `viewer` reads, `operator` also changes.

The dashboard keeps the token in an HttpOnly, SameSite=Strict cookie scoped to `/_strangler`
rather than in sessionStorage: page scripts can never read it (an injected script could not
take it away), and the dashboard page itself can require the viewer role. The cost of a cookie,
cross-site request forgery, is closed twice: SameSite=Strict, and a change made with the cookie
must carry an `Origin` naming this host.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from proxy.admin_tokens import AdminIdentity, Role, TokenVerifier

COOKIE = "strangler_admin"
UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="strangler"'}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate(request: Request) -> AdminIdentity | None:
    """The caller's identity, or None (no token, or one no `[[admin.tokens]]` hash matches)."""
    verifier: TokenVerifier = request.app.state.verifier
    header = request.headers.get("authorization")
    if header is not None:
        return verifier.from_authorization(header)
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    identity = verifier.identify(token)
    if identity is not None and request.method not in SAFE_METHODS and not _same_origin(request):
        raise HTTPException(403, "a change made with the dashboard cookie needs this host's Origin")
    return identity


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    host = request.headers.get("host")
    return bool(origin and host and urlsplit(origin).netloc == host)


def require(role: Role) -> Callable[[Request], AdminIdentity]:
    """A FastAPI dependency: the caller's identity, 401 without a valid token, 403 when its role
    is below `role`."""

    def dependency(request: Request) -> AdminIdentity:
        identity = authenticate(request)
        if identity is None:
            raise HTTPException(401, "a valid admin token is needed", headers=UNAUTHENTICATED)
        request.scope.setdefault("state", {})["admin_identity"] = identity
        if not identity.may(role):
            raise HTTPException(403, f"the {role} role is needed; this token is {identity.role}")
        return identity

    dependency.__name__ = f"require_{role}"
    return dependency


viewer = require("viewer")
operator = require("operator")


def audit_who(identity: AdminIdentity) -> str:
    """The audit log's "who" for a change made through the admin API."""
    return f"{identity.name}@admin-api"
