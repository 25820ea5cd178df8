"""A route handler that skips FastAPI's dependency solving where it has nothing to solve.
Permanent: the migrated routes' request path.

Most generated views take only the request's database session (`Depends(get_session)`, an async
function of the request) and perhaps the request itself, and answer a `Response`. For them,
FastAPI's `solve_dependencies` (overrides, caches, scopes, parameter validation, a fresh
`Response` to collect headers) cost about a tenth of such a request's CPU. `plain_handler`
gives those routes a handler that awaits each dependency with the request and calls the
endpoint, in FastAPI's order and with its per-request cache, and returns what FastAPI's handler
would. It is used only while FastAPI would do nothing more: a route with any parameter read
from the request (path, query, header, cookie, body), a sub-dependency, security scopes, a
generator or sync dependency, a response model or a response class of its own keeps FastAPI's
handler; so does every request while the app has `dependency_overrides` or FastAPI's telemetry
is recording the request.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.telemetry import get_telemetry_data
from starlette.requests import Request
from starlette.responses import Response

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
# What a Dependant may carry and still be called with the request alone.
_READS_REQUEST = (
    "path_params",
    "query_params",
    "header_params",
    "cookie_params",
    "body_params",
    "dependencies",
)
_SPECIAL_PARAMETERS = (
    "websocket_param_name",
    "http_connection_param_name",
    "response_param_name",
    "background_tasks_param_name",
    "security_scopes_param_name",
)


def _takes_only_the_request(dependant: Dependant) -> bool:
    return (
        not any(getattr(dependant, name) for name in _READS_REQUEST)
        and not any(getattr(dependant, name) for name in _SPECIAL_PARAMETERS)
        and not dependant.own_oauth_scopes
        and not dependant.parent_oauth_scopes
        and getattr(dependant, "concurrency", None) is None
    )


def _plain_dependency(dependant: Dependant) -> bool:
    call = dependant.call
    return (
        call is not None
        and inspect.iscoroutinefunction(call)
        and _takes_only_the_request(dependant)
    )


def plain_handler(route: APIRoute, fastapi_handler: Handler) -> Handler:
    """`fastapi_handler`, or a cheaper one giving the same answers when the route's endpoint is
    async and its parameters are plain async dependencies of the request (and the request)."""
    dependant = route.dependant
    endpoint = dependant.call
    top = dependant.dependencies
    if (
        endpoint is None
        or not inspect.iscoroutinefunction(endpoint)
        or route.body_field is not None
        or route.response_field is not None
        or getattr(route, "stream_item_field", None) is not None
        or not isinstance(route.response_class, DefaultPlaceholder)
        or route.response_class.value is not JSONResponse
        or route.status_code is not None
        or any(not _plain_dependency(sub) for sub in top)
        or any(getattr(dependant, name) for name in _READS_REQUEST[:-1])
        or any(getattr(dependant, name) for name in _SPECIAL_PARAMETERS)
    ):
        return fastapi_handler
    dependencies: list[tuple[Callable[..., Any], str | None, str | None, bool]] = [
        (sub.call, sub.name, sub.request_param_name, sub.use_cache)
        for sub in top
        if sub.call is not None
    ]
    request_name = dependant.request_param_name
    overrides = route.dependency_overrides_provider

    async def handle(request: Request) -> Response:
        if (overrides is not None and overrides.dependency_overrides) or (
            get_telemetry_data() is not None
        ):
            return await fastapi_handler(request)
        values: dict[str, Any] = {}
        cache: dict[Any, Any] = {}
        for call, name, request_param, use_cache in dependencies:
            if use_cache and call in cache:
                solved = cache[call]
            else:
                solved = await (call(**{request_param: request}) if request_param else call())
                cache.setdefault(call, solved)
            if name is not None:
                values[name] = solved
        if request_name is not None:
            values[request_name] = request
        answer = await endpoint(**values)
        if isinstance(answer, Response):
            return answer
        return JSONResponse(jsonable_encoder(answer))

    return handle
