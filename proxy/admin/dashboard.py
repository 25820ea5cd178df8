"""The dashboard at `/_strangler/` (viewer role) and its login, and the migrated app's OpenAPI
at `/_strangler/openapi.json` (viewer role, for `strangler parity --new-url` on a running front).

Every asset is a file of this package (static/), served by the front: no CDN, no inline script
(the Content-Security-Policy says `script-src 'self'`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from proxy.admin.auth import COOKIE, authenticate, viewer
from proxy.admin.context import AdminContext

STATIC = Path(__file__).parent / "static"
router = APIRouter(prefix="/_strangler", include_in_schema=False)
MAX_LOGIN_BODY = 4096


def page(name: str, status: int = 200, **values: str) -> HTMLResponse:
    text = (STATIC / name).read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return HTMLResponse(text, status)


@router.get("/")
def dashboard(request: Request) -> Response:
    identity = authenticate(request)
    if identity is None:
        return RedirectResponse("/_strangler/login", 303)
    request.scope["state"]["admin_identity"] = identity
    return page("index.html")


@router.get("")
def bare_prefix() -> Response:
    return RedirectResponse("/_strangler/", 308)


@router.get("/login")
def login_page() -> Response:
    return page("login.html", message="")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@router.post("/login")
async def login(request: Request) -> Response:
    """The form's token, checked, is set as an HttpOnly cookie scoped to /_strangler."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        return page("login.html", 403, message="login from another site refused")
    body = await request.body()
    if len(body) > MAX_LOGIN_BODY:
        return page("login.html", 413, message="too long for a token")
    token = parse_qs(body.decode("latin-1")).get("token", [""])[0].strip()
    identity = request.app.state.verifier.identify(token) if token else None
    if identity is None:
        return page("login.html", 401, message=_escape("this token is not known to the front"))
    response = RedirectResponse("/_strangler/", 303)
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", path="/_strangler",
        secure=request.url.scheme == "https",
    )  # fmt: skip
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/_strangler/login", 303)
    response.delete_cookie(COOKIE, path="/_strangler", httponly=True, samesite="strict")
    return response


@router.get("/openapi.json", dependencies=[Depends(viewer)])
def migrated_openapi(request: Request) -> Response:
    """The migrated app's OpenAPI, as the migrated app itself would serve it."""
    ctx: AdminContext = request.app.state.context
    migrated: Any = ctx.migrated
    if migrated is None or not hasattr(migrated, "openapi"):
        raise HTTPException(404, "the front has no migrated FastAPI app loaded")
    return JSONResponse(migrated.openapi())
