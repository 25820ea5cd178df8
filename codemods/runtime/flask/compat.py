"""Flask behaviour for generated FastAPI code: what a handler answers must not change for clients.

Each helper reproduces one Flask/Werkzeug behaviour that FastAPI does differently:
`abort()` bodies, `jsonify` encoding, `request.args.get(k, d, type=T)` falling back to `d`,
`request.get_json()` answering 400/415, `redirect()` bodies, `url_for` paths, `login_required`,
Werkzeug's exceptions raised anywhere, Flask's request limits and first-value form keys, and the
`<float>`/`<any(...)>` URL converters. Permanent: these are the answers clients already get.
"""

from __future__ import annotations

import dataclasses
import decimal
import importlib.util
import json
import re
import uuid
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, date, datetime
from email.utils import format_datetime
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar
from urllib.parse import quote, urlencode

from fastapi import Request, params
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:  # SQLAlchemy 2.0's; an app pinning 1.3 (lemur) still imports this module
    from sqlalchemy import Select
from starlette.convertors import Convertor, register_url_convertor
from starlette.responses import Response
from starlette.routing import Match, NoMatchFound
from starlette.types import Scope

from codemods.runtime.flask import request_limits
from codemods.runtime.flask.converters import REFUSED, has_werkzeug_convertors, refuses_match
from codemods.runtime.flask.session_hook import save_session

T = TypeVar("T")
D = TypeVar("D")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Werkzeug's descriptions, used when werkzeug itself is not installed.
_DESCRIPTIONS: dict[int, tuple[str, str]] = {
    400: (
        "Bad Request",
        "The browser (or proxy) sent a request that this server could not understand.",
    ),
    401: (
        "Unauthorized",
        "The server could not verify that you are authorized to access the URL requested. You"
        " either supplied the wrong credentials (e.g. a bad password), or your browser doesn't"
        " understand how to supply the credentials required.",
    ),
    403: (
        "Forbidden",
        "You don't have the permission to access the requested resource. It is either"
        " read-protected or not readable by the server.",
    ),
    404: (
        "Not Found",
        "The requested URL was not found on the server. If you entered the URL manually please"
        " check your spelling and try again.",
    ),
    405: ("Method Not Allowed", "The method is not allowed for the requested URL."),
    409: (
        "Conflict",
        "A conflict happened while processing the request. The resource might have been modified"
        " while the request was being processed.",
    ),
    413: ("Request Entity Too Large", "The data value transmitted exceeds the capacity limit."),
    415: (
        "Unsupported Media Type",
        "The server does not support the media type transmitted in the request.",
    ),
    422: (
        "Unprocessable Entity",
        "The request was well-formed but was unable to be followed due to semantic errors.",
    ),
    500: (
        "Internal Server Error",
        "The server encountered an internal error and was unable to complete your request. Either"
        " the server is overloaded or there is an error in the application.",
    ),
}


def _werkzeug_text(code: int) -> tuple[str, str]:
    try:
        from werkzeug.exceptions import default_exceptions
    except ImportError:  # pragma: no cover - werkzeug is there while the legacy app lives
        return _DESCRIPTIONS.get(code, ("Error", ""))
    exc = default_exceptions.get(code)
    if exc is None:
        return _DESCRIPTIONS.get(code, ("Error", ""))
    return exc().name, exc.description or ""


class LegacyResponse(Exception):
    """Raised to answer with a ready response from anywhere (a dependency, a helper).

    `abort()` also carries Werkzeug's exception (`http_error`), for the app's error handlers."""

    def __init__(self, response: Response, http_error: Exception | None = None) -> None:
        super().__init__(response.status_code)
        self.response = response
        self.http_error = http_error


def http_exception(code: int, description: str | None = None) -> Exception | None:
    """Werkzeug's exception for `abort(code, description)`, when werkzeug is installed."""
    try:
        from werkzeug.exceptions import default_exceptions
    except ImportError:  # pragma: no cover - werkzeug is there while the legacy app lives
        return None
    kind = default_exceptions.get(code)
    return kind(description=description) if kind is not None else None


def error_response(code: int, description: str | None = None) -> Response:
    """The HTML error page Werkzeug answers for `abort(code)`."""
    name, default_description = _werkzeug_text(code)
    text = description if description is not None else default_description
    body = (
        "<!doctype html>\n<html lang=en>\n"
        f"<title>{code} {escape(name)}</title>\n"
        f"<h1>{escape(name)}</h1>\n"
        f"<p>{escape(text)}</p>\n"
    )
    return Response(body, status_code=code, media_type="text/html; charset=utf-8")


def werkzeug_response(error: BaseException) -> Response:
    """What Flask answers for a Werkzeug `HTTPException` nobody handled (`werkzeug.exceptions.
    abort(404)`, `raise NotFound()`, `abort(response)`): the exception's own response, with its
    body and headers (`Allow` for a 405, `WWW-Authenticate` for a 401)."""
    answer = error.get_response()  # type: ignore[attr-defined]
    response = Response(answer.get_data(), status_code=answer.status_code)
    del response.headers["content-length"]
    for key, value in answer.headers.items():
        response.headers.append(key, value)
    return response


def is_http_exception(error: BaseException) -> bool:
    """A Werkzeug `HTTPException` (Flask answers it with its own response)."""
    try:
        from werkzeug.exceptions import HTTPException
    except ImportError:  # pragma: no cover - werkzeug is there while the legacy app lives
        return False
    return isinstance(error, HTTPException)


def abort(code: int, description: str | None = None) -> NoReturn:
    """`flask.abort`: the same status and the same HTML body (or the app's error handler's)."""
    raise LegacyResponse(error_response(code, description), http_exception(code, description))


class FlaskRoute(APIRoute):
    """Route class of generated routers: turns `LegacyResponse` into its response, and writes
    the Flask session back in its cookie when the view changed it (the session bridge)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # imported here: request_run imports this module
        from codemods.runtime.flask.request_run import deferred, in_request_thread

        name = str(kwargs.get("name") or getattr(endpoint, "__name__", ""))
        view = in_request_thread(endpoint, name)
        if getattr(view, "strangler_request_thread", False) and kwargs.get("dependencies"):
            kwargs["dependencies"] = [
                params.Depends(deferred(d.dependency), use_cache=d.use_cache)
                if type(d) is params.Depends and d.dependency is not None
                else d
                for d in kwargs["dependencies"]
            ]
        super().__init__(path, view, **kwargs)
        if has_werkzeug_convertors(self.param_convertors):
            self.matches = self._matches_unless_refused  # type: ignore[method-assign]

    def _matches_unless_refused(self, scope: Scope) -> tuple[Match, Scope]:
        """A route whose own converter refused a value does not match (Werkzeug's
        `ValidationError`; see converters.py)."""
        match, child = super().matches(scope)
        if match is not Match.NONE and refuses_match(child.get("path_params", {})):
            # Werkzeug tries no rule after one whose converter refused: the static folder's
            # fallback (app_setup.StaticFallback) does not match then either
            scope[REFUSED] = True
            return Match.NONE, {}
        return match, child

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        from codemods.runtime.flask.plain_route import plain_handler

        handler = plain_handler(self, super().get_route_handler())
        reads_form = self.body_field is not None and isinstance(
            self.body_field.field_info, params.Form
        )

        async def handle(request: Request) -> Response:
            # imported here: the session bridge and the context import this module
            from codemods.runtime.flask.context import bind
            from codemods.runtime.flask.database import SESSIONS_KEY, release_request_sessions
            from codemods.runtime.flask.login_bridge import finish
            from codemods.runtime.flask.request_run import forget_deferred

            bind(request)  # `current_request()` and the Flask session work in every view
            forget_deferred()
            try:
                response = finish(request, await answer(request))
                return save_session(request, response)
            finally:
                if SESSIONS_KEY in request.scope:
                    await release_request_sessions(request.scope)

        async def answer(request: Request) -> Response:
            try:
                request_limits.first_query_values(request)
                if reads_form:
                    await request_limits.read_form(request)
                elif request.method in BODY_METHODS and is_json(request):
                    # read here, on the event loop: the view's `request_json()` then parses
                    # it on its thread, without a round trip to the loop
                    await request.body()
                return await handler(request)
            except Exception as error:
                # Error handlers registered like Flask's (codemods.runtime.flask.app_hooks).
                error_handler = getattr(request.app.state, "flask_error_handler", None)
                if error_handler is not None:
                    from codemods.runtime.flask.request_run import after_error

                    handled: Response = await error_handler(request, error)
                    return await after_error(request, handled)
                if isinstance(error, LegacyResponse):
                    return error.response
                if is_http_exception(error):
                    return werkzeug_response(error)
                raise

        return handle


# -- JSON -------------------------------------------------------------------------------------
def _json_default(value: Any) -> Any:
    """Flask's `DefaultJSONProvider.default`."""
    if isinstance(value, date):
        moment = value if isinstance(value, datetime) else datetime(*value.timetuple()[:3])
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return format_datetime(moment.astimezone(UTC), usegmt=True)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> str:
    """Flask's JSON text: sorted keys, ASCII only, compact, RFC 822 dates."""
    return json.dumps(
        value, default=_json_default, ensure_ascii=True, sort_keys=True, separators=(",", ":")
    )


def json_response(
    value: Any, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        dumps(value) + "\n",
        status_code=status_code,
        headers=dict(headers or {}),
        media_type="application/json",
    )


def jsonify(*args: Any, **kwargs: Any) -> Response:
    """`flask.jsonify`: one argument as is, several as a list, keywords as an object."""
    if args and kwargs:
        raise TypeError("jsonify() behavior undefined when passed both args and kwargs")
    value: Any = kwargs if kwargs else (args[0] if len(args) == 1 else list(args))
    return json_response(value)


def text_response(
    body: str | bytes, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A Flask view returning a string: `text/html; charset=utf-8`."""
    return Response(
        body, status_code=status_code, headers=dict(headers or {}), media_type="text/html"
    )


def make_response(value: Any, status_code: int | None = None, headers: Any = None) -> Response:
    """Any Flask view return value (body, `(body, status)`, `(body, status, headers)`, ...)."""
    if isinstance(value, tuple):
        parts = list(value)
        body = parts[0]
        extra = parts[1:]
        if extra and not isinstance(extra[0], int):
            return make_response(body, status_code, extra[0])
        return make_response(
            body, extra[0] if extra else status_code, extra[1] if len(extra) > 1 else headers
        )
    if isinstance(value, Response):
        response = value
        if status_code is not None:
            response.status_code = status_code
    elif isinstance(value, dict | list):
        response = json_response(value)
        if status_code is not None:
            response.status_code = status_code
    elif value is None:
        raise TypeError("The view function did not return a valid response.")
    else:
        response = text_response(value, status_code or 200)
    if headers:
        items = headers.items() if isinstance(headers, Mapping) else headers
        for key, item in items:
            response.headers[key] = str(item)
    return response


# -- request data -----------------------------------------------------------------------------
def coerce_arg(raw: str | None, convert: Callable[[str], T], default: D) -> T | D:
    """`MultiDict.get(key, default, type=convert)`: the default when missing or not convertible."""
    if raw is None:
        return default
    try:
        return convert(raw)
    except (ValueError, TypeError):
        return default


def require_arg(raw: T | None, key: str) -> T:
    """`request.args[key]` / `request.form[key]`: 400 Bad Request when the key is missing. FastAPI
    gives an empty form field as missing; Flask gives `""`, read here from the request's form."""
    if raw is None:
        empty = _empty_form_field(key)
        if empty is None:
            abort(400)
        return empty  # type: ignore[return-value]
    return raw


def _empty_form_field(key: str) -> str | None:
    from codemods.runtime.flask.context import _request  # the context imports this module

    request = _request.get(None)
    form = request.scope.get(request_limits.FORM_KEY) if request is not None else None
    value = form.get(key) if form is not None else None
    return "" if isinstance(value, str) and not value else None


def is_json(request: Request) -> bool:
    """Flask's `request.is_json`: `application/json` or `application/*+json`."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


async def read_json(request: Request, *, force: bool, silent: bool) -> Any:
    """`request.get_json(force=, silent=)`."""
    if not (is_json(request) or force):
        return json_of(request, b"", force=force, silent=silent)
    return json_of(request, await request.body(), force=force, silent=silent)


def json_of(request: Request, raw: bytes, *, force: bool, silent: bool) -> Any:
    """`request.get_json(force=, silent=)` of a body already read (`raw`)."""
    if not (is_json(request) or force):
        if silent:
            return None
        abort(
            415,
            "Did not attempt to load JSON data because the request Content-Type was not"
            " 'application/json'.",
        )
    try:
        return json.loads(raw)
    except ValueError:
        if silent:
            return None
        abort(400)


def read_body(request: Request) -> bytes | None:
    """The request's body when it was read already (Starlette keeps it on the request)."""
    body = getattr(request, "_body", None)
    return body if isinstance(body, bytes) else None


async def json_body(request: Request) -> Any:
    """`request.get_json()` / `request.json`: 415 unless JSON, 400 when it does not parse."""
    return await read_json(request, force=False, silent=False)


async def json_body_silent(request: Request) -> Any:
    """`request.get_json(silent=True)`: None instead of an error."""
    return await read_json(request, force=False, silent=True)


async def json_body_forced(request: Request) -> Any:
    """`request.get_json(force=True)`: parse whatever the content type says."""
    return await read_json(request, force=True, silent=False)


# -- redirects and URLs -----------------------------------------------------------------------
def redirect(location: str, code: int = 302) -> Response:
    """`flask.redirect`: the same status, Location and HTML body as Werkzeug."""
    shown = escape(location)
    body = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n"
        "<p>You should be redirected automatically to the target URL: "
        f'<a href="{shown}">{shown}</a>. If not, click the link.\n'
    )
    return Response(body, status_code=code, headers={"Location": location}, media_type="text/html")


def url_for(request: Request, endpoint: str, **values: Any) -> str:
    """`flask.url_for`: the path of a named route; values that are not path parameters become the
    query string, like Werkzeug. `.view` is the current blueprint's view; `static` is the
    app's static files (`filename=`), mounted or, when they are not, the legacy app's
    `/static/` URL; `_anchor`, `_external` and `_scheme` as in Flask."""
    anchor = values.pop("_anchor", None)
    external = values.pop("_external", None)
    scheme = values.pop("_scheme", None)
    values.pop("_method", None)
    if endpoint.startswith("."):
        route_name = getattr(request.scope.get("route"), "name", "") or ""
        blueprint = route_name.rpartition(".")[0]
        endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
    root = request.scope.get("root_path", "")
    path = _route_path(request, endpoint, values)
    parts = endpoint.split(".")
    for start in range(1, len(parts)):
        if path is not None:
            break
        # A blueprint named at run time (`Blueprint(config.name, ...)`) or nested in one made
        # by a function (`ui.ui_queue.queue_page` for the `ui_queue.queue_page` route): its
        # routes are named without the outer names.
        path = _route_path(request, ".".join(parts[start:]), values)
    if path is None:
        raise LookupError(f"no route named {endpoint!r} takes {sorted(values)}")
    url = root + path
    if anchor is not None:
        url += "#" + quote(str(anchor), safe="!#$&'()*+,/:;=?@")
    if external or scheme is not None:
        base = request.base_url.replace(scheme=scheme) if scheme else request.base_url
        url = f"{base.scheme}://{base.netloc}{url}"
    return url


def _route_path(request: Request, endpoint: str, values: dict[str, Any]) -> str | None:
    if endpoint == "static" and "filename" in values:
        rest = {k: v for k, v in values.items() if k != "filename"}
        filename = str(values["filename"])
        try:
            path = str(request.app.url_path_for("static", path=filename))
        except NoMatchFound:
            path = "/static/" + quote(filename.lstrip("/"))
        return path + (f"?{urlencode(_query(rest), doseq=True)}" if _query(rest) else "")
    names = list(values)
    # Starlette matches a route only when the given parameters are exactly its own: try the
    # largest subsets first (views have a handful of values at most).
    for size in range(len(names), -1, -1):
        for chosen in combinations(names, size):
            try:
                path = request.app.url_path_for(endpoint, **{k: values[k] for k in chosen})
            except NoMatchFound:
                continue
            query = _query({k: v for k, v in values.items() if k not in chosen})
            return str(path) + (f"?{urlencode(query, doseq=True)}" if query else "")
    return None


def _query(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# -- templates --------------------------------------------------------------------------------
def legacy_templates(package: str, folder: str = "templates") -> Jinja2Templates:
    """The legacy package's Jinja2 templates, read in place."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise LookupError(f"package {package!r} not found")
    return Jinja2Templates(directory=str(Path(spec.origin).parent / folder))


# -- login ------------------------------------------------------------------------------------
# The placeholder for views of an app whose user loader the codemod could not convert (those
# routes are `manual`); otherwise the generated `login_bridge.py` provides `current_user` and
# `login_required` on the session bridge (`flask_login_bridge.py`).
UserLoader = Callable[[Request], Any]
_user_loader: list[UserLoader] = []


def set_user_loader(loader: UserLoader) -> None:
    """Plug in how a request's user is found (the session bridge); anonymous until then."""
    _user_loader[:] = [loader]


def current_user(request: Request) -> Any:
    return _user_loader[0](request) if _user_loader else None


def login_required(login_view: str | None = None) -> Callable[[Request], Any]:
    """flask-login's `login_required`: 302 to the login view (an endpoint name) with `next=`, or
    401 when the blueprint has no login view."""

    def dependency(request: Request) -> Any:
        user = current_user(request)
        if user is not None and getattr(user, "is_authenticated", True):
            return user
        if login_view is None:
            abort(401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LegacyResponse(redirect(url_for(request, login_view, next=target)))

    return dependency


# -- URL converters ---------------------------------------------------------------------------
class FlaskFloatConvertor(Convertor[float]):
    """Werkzeug's `<float:x>` needs a dot (Starlette's `float` makes it optional)."""

    regex = r"\d+\.\d+"

    def convert(self, value: str) -> float:
        return float(value)

    def to_string(self, value: float) -> str:
        return str(value)


class AnyOfConvertor(Convertor[str]):
    """Werkzeug's `<any(a,b):x>`: one of a fixed set of segments, 404 for anything else."""

    regex = ""

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def any_of(*values: str) -> str:
    """Register a convertor for `<any(values)>` and return its name for `{x:name}`."""
    name = "any_" + "_".join(re.sub(r"\W", "_", v) for v in values)
    pattern = "|".join(re.escape(v) for v in values)
    register_url_convertor(name, type(name, (AnyOfConvertor,), {"regex": pattern})())
    return name


register_url_convertor("flask_float", FlaskFloatConvertor())


def coerce_list(raw: list[str] | None, convert: Callable[[str], T]) -> list[T]:
    """`MultiDict.getlist(key, type=convert)`: values that do not convert are left out."""
    values: list[T] = []
    for item in raw or []:
        try:
            values.append(convert(item))
        except (ValueError, TypeError):
            continue
    return values


# -- Flask-SQLAlchemy query helpers -----------------------------------------------------------
def get_or_404(session: Session, model: type[T], ident: Any, description: str | None = None) -> T:
    """`db.get_or_404(Model, id)` / `Model.query.get_or_404(id)`."""
    found = session.get(model, ident)
    if found is None:
        abort(404, description)
    return found


def first_or_404(session: Session, statement: Select[Any], description: str | None = None) -> Any:
    """`query.first_or_404()` / `db.first_or_404(select(...))`."""
    found = session.scalars(statement).first()
    if found is None:
        abort(404, description)
    return found


def count(session: Session, statement: Select[Any]) -> int:
    """`query.count()`: rows the statement selects."""
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0
