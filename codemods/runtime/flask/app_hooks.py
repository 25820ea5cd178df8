"""Flask's app hooks on a FastAPI app: `before_request`, `after_request`, `teardown_request`,
`teardown_appcontext` and `errorhandler`. Permanent: the legacy hooks keep running as written.

    @before_request(app)            # was @app.before_request
    @after_request(app)             # was @app.after_request
    @teardown_request(app)          # was @app.teardown_request
    teardown_appcontext(app)(close_db)  # was app.teardown_appcontext(close_db)
    @errorhandler(app, HTTPException)  # was @app.errorhandler(HTTPException)

The hooks run in Flask's order (before hooks in registration order, after hooks in reverse, then
the teardowns in reverse with the unhandled exception or None), with a fresh `g` per request, on
the view's own thread (`request_run.py`). Error handlers get what Flask's get: Werkzeug's
exception for `abort(...)`, `InternalServerError` (with `original_exception`) for anything
unhandled; a handler is looked up by status code first, then along the exception's classes. A
Werkzeug exception nobody handles answers its own response, as in Flask.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from codemods.runtime.flask.compat import (
    LegacyResponse,
    error_response,
    is_http_exception,
    make_response,
    redirect,
    werkzeug_response,
)
from codemods.runtime.flask.context import bind
from codemods.runtime.flask.request_run import FlaskRequests, Hooks

F = TypeVar("F", bound=Callable[..., Any])
logger = logging.getLogger("strangler.app_hooks")

__all__ = [
    "Hooks",
    "after_request",
    "before_request",
    "errorhandler",
    "routing_errors_like_flask",
    "teardown_appcontext",
    "teardown_request",
]


def hooks_of(app: FastAPI) -> Hooks:
    """The app's hooks; the first call installs the middleware and the error handler."""
    found = getattr(app.state, "flask_hooks", None)
    if isinstance(found, Hooks):
        return found
    hooks = Hooks()
    app.state.flask_hooks = hooks
    app.state.flask_error_handler = handle_error
    app.add_middleware(FlaskRequests, hooks=hooks)
    return hooks


def before_request(app: FastAPI) -> Callable[[F], F]:
    def register(function: F) -> F:
        hooks_of(app).before.append(function)
        return function

    return register


def after_request(app: FastAPI) -> Callable[[F], F]:
    def register(function: F) -> F:
        hooks_of(app).after.append(function)
        return function

    return register


def teardown_request(app: FastAPI) -> Callable[[F], F]:
    """`@app.teardown_request` and `@app.teardown_appcontext`: called with the request's
    exception (or None) once it is answered, on the view's thread."""

    def register(function: F) -> F:
        hooks_of(app).teardown.append(function)
        return function

    return register


teardown_appcontext = teardown_request


def errorhandler(app: FastAPI, key: int | type[BaseException]) -> Callable[[F], F]:
    def register(function: F) -> F:
        hooks_of(app).errors.append((key, function))
        return function

    return register


def flask_error(error: Exception) -> BaseException:
    """The exception Flask would hand its error handlers."""
    if isinstance(error, LegacyResponse):
        return error.http_error or error
    try:
        from werkzeug.exceptions import HTTPException, InternalServerError
    except ImportError:  # pragma: no cover - werkzeug is there while the legacy app lives
        return error
    if isinstance(error, HTTPException):
        return error
    return InternalServerError(original_exception=error)


ErrorHandlers = list[tuple[int | type[BaseException], Any]]


def find_handler(
    error_lists: list[ErrorHandlers], error: BaseException
) -> tuple[Callable[[Any], Any], BaseException] | None:
    """Flask's lookup, and what the handler is given: for an exception a view raised (the
    `original_exception` of the 500 it became), a handler of its own class first, given that
    exception (`handle_user_exception`); then a handler of the error's status code, then of its
    class (up its MRO), given the error. At each step the blueprint's handlers (the first list)
    come before the app's."""
    original = getattr(error, "original_exception", None)
    if original is not None:
        function = _class_handler(error_lists, original)
        if function is not None:
            return function, original
    code = getattr(error, "code", None)
    for errors in error_lists:
        for key, function in errors:
            if isinstance(key, int) and key == code:
                return function, error
    function = _class_handler(error_lists, error)
    return None if function is None else (function, error)


def _class_handler(error_lists: list[ErrorHandlers], error: BaseException) -> Any:
    for errors in error_lists:
        for kind in type(error).__mro__:
            for key, function in errors:
                if key is kind:
                    return function
    return None


def _blueprint_of(request: Request) -> str:
    """The blueprint of the route that answered (its name is `<blueprint>.<view>`), or ""."""
    endpoint = getattr(request.scope.get("route"), "name", None) or ""
    return endpoint.rpartition(".")[0]


async def handle_error(request: Request, error: Exception) -> Response:
    """Answer `error` with the app's error handler, or as Flask would without one. FastAPI's
    own answers (422 for a declared parameter, an `HTTPException`) stay FastAPI's."""
    if isinstance(error, StarletteHTTPException | RequestValidationError):
        raise error
    hooks = hooks_of(request.app)
    flask_exception = flask_error(error)
    blueprint_errors = hooks.blueprint_errors.get(_blueprint_of(request), [])
    found = find_handler([blueprint_errors, hooks.errors], flask_exception)
    if found is None:
        if isinstance(error, LegacyResponse):
            return error.response
        if is_http_exception(error):
            return werkzeug_response(error)
        raise error
    handler, given = found
    if given is flask_exception and not isinstance(error, LegacyResponse):
        logger.error("Exception on %s [%s]", request.url.path, request.method, exc_info=error)
    bind(request)
    try:
        returned = await run_in_threadpool(handler, given)
    except Exception:
        logger.exception("the error handler for %r failed", flask_exception)
        return error_response(500)
    if returned is flask_exception:
        if isinstance(error, LegacyResponse):
            return error.response
        if is_http_exception(flask_exception):
            return werkzeug_response(flask_exception)
        code = getattr(flask_exception, "code", 500) or 500
        return error_response(code, getattr(flask_exception, "description", None))
    return make_response(returned)


def routing_errors_like_flask(app: FastAPI) -> None:
    """The router's own 404 (no route) and 405 (another method) answer as Flask's: Werkzeug's
    page (with `Allow` for a 405), or the app's `errorhandler(404)`/`(405)`. An
    `HTTPException` a view raises with its own detail stays FastAPI's. A path missing only the
    trailing slash of a route is redirected as Werkzeug does (308, to the full URL); one with a
    slash its route lacks is a 404, not Starlette's 307. HEAD is answered wherever GET is
    (`HeadAsGet`). At start-up, each router's routes are
    put in Werkzeug's order (`order_like_werkzeug`)."""
    app.router.redirect_slashes = False
    app.add_middleware(HeadAsGet)
    app.router.on_startup.append(lambda: order_like_werkzeug(app.router))

    async def answer(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code not in (404, 405) or error.detail != _phrase(error.status_code):
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, error)
        if error.status_code == 404 and _slash_added_matches(request):
            return redirect(str(request.url.replace(path=request.url.path + "/")), 308)
        from werkzeug.exceptions import MethodNotAllowed, NotFound

        flask_exception: Exception = NotFound()
        if error.status_code == 405:
            allow = (error.headers or {}).get("Allow", "")
            methods = [m.strip() for m in allow.split(",") if m.strip()]
            if "GET" in methods and "HEAD" not in methods:
                methods.append("HEAD")  # Flask answers HEAD wherever it answers GET
            if methods and "OPTIONS" not in methods:
                methods.append("OPTIONS")  # and OPTIONS on every rule
            flask_exception = MethodNotAllowed(valid_methods=methods)
        if isinstance(getattr(request.app.state, "flask_hooks", None), Hooks):
            return await handle_error(request, flask_exception)
        return werkzeug_response(flask_exception)

    app.add_exception_handler(StarletteHTTPException, answer)


def _phrase(code: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(code).phrase


def _slash_added_matches(request: Request) -> bool:
    """Werkzeug's strict slashes: a route matches the path with a slash added."""
    from starlette.routing import Match

    from codemods.runtime.flask.app_setup import StaticFallback
    from codemods.runtime.flask.converters import REFUSED

    path = request.scope.get("path", "")
    if path.endswith("/") or request.scope.get(REFUSED):  # a refusing converter: a plain 404
        return False
    scope = {**request.scope, "path": path + "/"}
    # the static folder's rule (`/static/<path:filename>`) ends with no slash: it redirects none
    routes = (r for r in request.app.router.routes if not isinstance(r, StaticFallback))
    return any(route.matches(scope)[0] != Match.NONE for route in routes)


_WEIGHTS = {"int": 50, "float": 50, "flask_float": 50, "path": 200}
_PLACEHOLDER = re.compile(r"\{[^{}:]+(?::([^{}]+))?\}")


def werkzeug_key(path: str) -> tuple[bool, int, tuple[tuple[int, int], ...]]:
    """Werkzeug's `Rule.match_compare_key` for a Starlette path: rules without variables
    first, then those with more segments, then static segments before variables, variables
    by their converter's weight."""
    weights = tuple(
        (0, -len(segment))
        if (found := _PLACEHOLDER.search(segment)) is None
        else (1, _WEIGHTS.get(found.group(1) or "", 100))
        for segment in path.strip("/").split("/")
    )
    return (any(w[0] for w in weights), -len(weights), weights)


def order_like_werkzeug(router: Any) -> None:
    """Sort the plain routes of `router` and of the routers it includes as Werkzeug orders
    rules (a blueprint's catch-all registered by one module no longer hides the routes another
    module adds later); included routers and mounts keep their places."""
    routes = router.routes
    plain = [i for i, r in enumerate(routes) if type(r).__name__ in ("APIRoute", "FlaskRoute")]
    ordered = sorted((routes[i] for i in plain), key=lambda r: werkzeug_key(r.path))
    for index, route in zip(plain, ordered, strict=True):
        routes[index] = route
    if hasattr(router, "_routes_version"):
        router._routes_version += 1  # FastAPI caches the routes of included routers
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None and inner is not router:
            order_like_werkzeug(inner)


class HeadAsGet:
    """Werkzeug answers HEAD wherever it answers GET, by running the GET view: a HEAD request
    reaches the routes as a GET (the server, which knows it was a HEAD, sends no body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            scope = {**scope, "method": "GET"}
        await self.app(scope, receive, send)
