"""Flask-RESTful resources on the FastAPI side: the legacy `Resource` class runs as Flask-RESTful
runs it, and its answer is serialised as Flask-RESTful serialises it. Transitional: a person
ports each resource to plain handlers (typed parameters, a Pydantic model) when the legacy app
goes.

The generated route of each resource method calls `dispatch_resource(request, Resource, "get",
**path_params)`. It runs what `Api.add_resource` registered in Flask, in Flask's order:

- the resource is made per request (`Resource.as_view`), its `method_decorators` (a list, or a
  dict per HTTP method) wrap the method (lemur's `login_required` token check answers its own
  401/403 there), and the method is called with the path parameters;
- `reqparse.RequestParser.parse_args()`, `marshal`/`marshal_with`/`fields`, `flask_restful.abort`
  and anything else the resource's library code reads of `flask.request`/`flask.current_app`
  see a real Flask request context: a Flask app holding the generated app's config
  (`current_config()`), and the request rebuilt as a WSGI environ with its body, so a parser
  reads the same query string, form, JSON and headers, and its 400 is the same
  `{"message": {field: help}}`;
- the answer, a dict/list/`(data, status[, headers])`, goes through Flask-RESTful's `unpack` and
  its JSON representation (`output_json`: `RESTFUL_JSON`, indented in debug, a trailing
  newline); a Response is answered as it is;
- a Werkzeug `HTTPException` raised by the resource (`abort(404)`, a parser's 400) answers as
  `Api.handle_error` does: `{"message": description}` or the exception's `data`, its status
  and headers, as JSON; any other exception propagates (500, as the app answers it).

Flask-Principal's permissions read `flask.g.identity`: the principals the generated factory
registers (`init_principal(principal, app)`, codemods/runtime/flask/principal.py) are installed
on the Flask app the resources run in, and its `before_request` hooks run before the resource,
so a login decorator's `identity_changed` sets the identity the permission reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from flask import Flask
from flask import Response as FlaskResponse
from starlette.requests import Request
from starlette.responses import Response
from werkzeug.exceptions import HTTPException
from werkzeug.test import EnvironBuilder

from codemods.runtime.flask.compat import url_for
from codemods.runtime.flask.context import bind, current_config, current_request, request_data
from codemods.runtime.flask.principal import install_principals, run_before_request

SHADOW_STATE = "flask_restful_app"
JSON = "application/json"


def dispatch_resource(
    request: Request, resource: type[Any], method: str, /, **view_args: Any
) -> Response:
    """Run `resource`'s `method` for `request` as Flask-RESTful does; its answer."""
    if _bound_request() is not request:
        bind(request)  # the resource's converted code reads `current_request()`
    flask_app = _flask_app(request)
    environ = _environ(request)
    with flask_app.request_context(environ):
        try:
            early = run_before_request(flask_app)
            if early is not None:
                return _from_flask(flask_app.make_response(early))
            answer = _dispatch(resource, method, view_args)
        except HTTPException as error:
            return _from_flask(_error_response(error))
        return _from_flask(_restful_response(answer))


def _bound_request() -> Request | None:
    try:
        return current_request()
    except RuntimeError:
        return None


def _dispatch(resource: type[Any], method: str, view_args: dict[str, Any]) -> Any:
    """`Resource.dispatch_request`: the method wrapped in `method_decorators`, then called."""
    instance = resource()
    handler = getattr(instance, method, None)
    if handler is None and method == "head":
        handler = getattr(instance, "get", None)
    if handler is None:
        raise AssertionError(f"{resource.__name__} has no {method} method")
    decorators = resource.method_decorators
    if isinstance(decorators, Mapping):
        decorators = decorators.get(method, [])
    for decorator in decorators:
        handler = decorator(handler)
    return handler(**view_args)


def _restful_response(answer: Any) -> Any:
    """`Api.output` then `Api.make_response` with the default JSON representation."""
    from flask_restful.representations.json import output_json
    from flask_restful.utils import unpack

    if isinstance(answer, FlaskResponse | Response):
        return answer
    data, code, headers = unpack(answer)
    response = output_json(data, code, headers)
    response.headers["Content-Type"] = JSON  # `Api.make_response` names its representation
    return response


def _error_response(error: HTTPException) -> FlaskResponse:
    """`Api.handle_error` for a Werkzeug exception: its data, or `{"message": description}`."""
    from flask_restful.representations.json import output_json

    code = error.code or 500
    data = getattr(error, "data", None) or {"message": error.description}
    headers = dict(error.get_response().headers)
    headers.pop("Content-Length", None)
    headers.pop("Content-Type", None)
    response: FlaskResponse = output_json(data, code, headers)
    response.headers["Content-Type"] = JSON
    return response


def _from_flask(response: Any) -> Response:
    """A Flask/Werkzeug response as a Starlette one (a Starlette response as it is)."""
    if isinstance(response, Response):
        return response
    assert isinstance(response, FlaskResponse)
    status = response.status_code
    # Werkzeug sends no body for these (`Response.get_app_iter`)
    bodiless = status in (204, 304) or 100 <= status < 200 or current_request().method == "HEAD"
    answer = Response(b"" if bodiless else response.get_data(), status_code=status)
    del answer.headers["content-length"]
    for key, value in response.headers.items():
        if key.lower() != "content-length":
            answer.headers.append(key, value)
    answer.headers["content-length"] = str(len(answer.body))
    return answer


def _flask_app(request: Request) -> Flask:
    """The Flask app the resources' library code sees as `current_app`: the generated app's
    config, made once per FastAPI app."""
    state = request.app.state
    flask_app = getattr(state, SHADOW_STATE, None)
    if flask_app is None:
        # given, so that Flask looks nothing up in the cwd (which may be gone)
        root = getattr(state, "root_path", None) or os.path.dirname(os.path.abspath(__file__))
        instance = getattr(state, "instance_path", None) or os.path.join(root, "instance")
        flask_app = Flask(__name__, root_path=root, instance_path=os.path.abspath(instance))
        flask_app.config.update(current_config())
        install_principals(request.app, flask_app)
        setattr(state, SHADOW_STATE, flask_app)
    assert isinstance(flask_app, Flask)
    return flask_app


def _environ(request: Request) -> dict[str, Any]:
    """The request as a WSGI environ, with its body."""
    scope = request.scope
    server = scope.get("server") or ("localhost", 80)
    host = request.headers.get("host") or f"{server[0]}:{server[1]}"
    body = request_data() if request.method not in ("GET", "HEAD") else b""
    builder = EnvironBuilder(
        path=scope.get("path", "/"),
        base_url=f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}",
        query_string=scope.get("query_string", b"").decode("latin-1"),
        method=request.method,
        headers=list(request.headers.items()),
        data=body,
    )
    try:
        environ: dict[str, Any] = builder.get_environ()
    finally:
        builder.close()
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = client[0]
    return environ


def resource_url(endpoint: str, **values: Any) -> str:
    """`api.url_for(Resource, **values)`: the URL of the resource added with `endpoint`, in the
    current request's blueprint first, else any blueprint's (Flask-RESTful names it
    `<blueprint>.<endpoint>`)."""
    request = current_request()
    names = list(_route_names(request.app.routes))
    here = (getattr(request.scope.get("route"), "name", "") or "").rpartition(".")[0]
    candidates = [f"{here}.{endpoint}" if here else endpoint, endpoint]
    candidates += [name for name in names if name.endswith(f".{endpoint}")]
    for name in candidates:
        if name in names:
            return url_for(request, name, **values)
    raise LookupError(f"no resource added with endpoint {endpoint!r}")


def _route_names(routes: Any) -> Iterator[str]:
    """The names of the routes, those of included routers and mounts too."""
    for route in routes:
        name = getattr(route, "name", None)
        if name:
            yield name
        inner = getattr(route, "original_router", None)  # FastAPI's included router
        yield from _route_names(getattr(inner or route, "routes", None) or [])
