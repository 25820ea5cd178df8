"""Django responses sent from FastAPI. Transitional.

    return to_starlette(django_response)      # any HttpResponse (render, redirect, csrf failure)
    raise DjangoResponse(django_response)     # from a dependency: answers with it (see install)
    raise Http404 / PermissionDenied / ...    # from a route: Django's error page (see install)

`to_starlette` keeps the status, body, every header and each cookie as its own `Set-Cookie`,
as Django's WSGI handler sends them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponseBase
from starlette.requests import Request
from starlette.responses import Response


class DjangoResponse(Exception):
    """Raised to answer with a Django response (e.g. the CSRF failure page) from a
    dependency; `install` registers the handler that sends it."""

    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__(response.status_code)
        self.response = response


def _body(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        chunks: Iterable[bytes] = response
        return b"".join(chunks)
    content: bytes = response.content
    return content


def django_headers(response: HttpResponseBase) -> list[tuple[bytes, bytes]]:
    """The response's headers and cookies as raw ASGI headers (without Content-Length)."""
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in response.items()
        if name.lower() != "content-length"
    ]
    headers += [
        (b"set-cookie", morsel.OutputString().encode("latin-1"))
        for morsel in response.cookies.values()
    ]
    return headers


def to_starlette(response: HttpResponseBase) -> Response:
    """The same answer as a Starlette response."""
    converted = Response(_body(response), status_code=response.status_code)
    content_length = [(k, v) for k, v in converted.raw_headers if k == b"content-length"]
    converted.raw_headers = content_length + django_headers(response)
    return converted


async def send_django_response(request: Request, exc: Exception) -> Response:
    """Exception handler for `DjangoResponse`."""
    assert isinstance(exc, DjangoResponse)
    return to_starlette(exc.response)


DJANGO_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


async def send_django_error_page(request: Request, exc: Exception) -> Response:
    """Exception handler for `DJANGO_ERRORS` raised by a route (`get_object_or_404`,
    `PermissionDenied`, ...): the page Django's own handler answers (`handler404` and friends,
    or the debug pages under `DEBUG`), with its logging."""
    from codemods.runtime.django.connections import run_in_django
    from codemods.runtime.django.request import SCOPE_KEY, build_django_request, django_state

    state = django_state(request.scope)
    if state is None:  # the route never asked for it; the error page does not need the body
        state = await run_in_django(build_django_request, request.scope, b"")
        request.scope[SCOPE_KEY] = state
    answer = await run_in_django(response_for_exception, state.request, exc)
    return to_starlette(answer)


async def send_django_routing_error(request: Request, exc: Exception) -> Response:
    """Exception handler for Starlette's `HTTPException`: a 404 (no route matched, or a path
    value its convertor refused) answers the `APPEND_SLASH` redirect when the slashed path has a
    route, else the project's 404 page, and a 405 Django's empty
    `HttpResponseNotAllowed`, as Django's resolver and views answer them; any other status is
    FastAPI's own answer."""
    from fastapi.exception_handlers import http_exception_handler
    from starlette.exceptions import HTTPException

    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        slashed = _append_slash_redirect(request)
        if slashed is not None:
            return slashed
        return await send_django_error_page(request, Http404())
    if exc.status_code == 405:
        from django.http import HttpResponseNotAllowed

        allowed = (exc.headers or {}).get("Allow", "")
        methods = [m.strip() for m in allowed.split(",") if m.strip()]
        return to_starlette(HttpResponseNotAllowed(methods))
    return await http_exception_handler(request, exc)


def _common_middleware() -> bool:
    """Whether MIDDLEWARE has Django's CommonMiddleware (or a subclass of it)."""
    from django.conf import settings
    from django.middleware.common import CommonMiddleware
    from django.utils.module_loading import import_string

    for dotted in settings.MIDDLEWARE:
        try:
            found = import_string(dotted)
        except ImportError:
            continue
        if isinstance(found, type) and issubclass(found, CommonMiddleware):
            return True
    return False


def _append_slash_redirect(request: Request) -> Response | None:
    """`APPEND_SLASH` as Django's `CommonMiddleware` does it: a path that matches no route while
    the same path with a trailing slash does is redirected there, 301, query string kept (only
    when the project's MIDDLEWARE has CommonMiddleware, which does it in Django)."""
    from django.conf import settings
    from django.http import HttpResponsePermanentRedirect
    from starlette.routing import Match

    path = request.scope["path"]
    if not settings.APPEND_SLASH or path.endswith("/") or not _common_middleware():
        return None
    router = request.scope.get("router") or request.app.router
    slashed = {**request.scope, "path": path + "/", "raw_path": None}
    if not any(route.matches(slashed)[0] != Match.NONE for route in router.routes):
        return None
    query = request.scope.get("query_string", b"").decode("latin-1")
    location = request.scope.get("root_path", "") + path + "/" + (f"?{query}" if query else "")
    return to_starlette(HttpResponsePermanentRedirect(location))
