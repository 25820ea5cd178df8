"""Flask's context locals for generated FastAPI code: the request, the SQLAlchemy session, the
app config and `g`, bound in ContextVars for the duration of a request. Permanent: the migrated
code keeps reading them until a person makes them parameters.

Module helpers of a legacy app (`json_body()`, `validate_product()`, `place_order()`) read
`flask.request`, `db.session`, `Model.query` and `current_app.config` without being passed them;
the codemod rewrites those reads into `current_request()`, `current_session()` and
`current_config()`. An async dependency (the generated `database.get_session`) binds them: it runs
in the request's task, so FastAPI's threadpool copies the bound values into sync handlers and the
helpers they call.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI, Request
from flask import Config, Flask
from flask.helpers import get_debug_flag
from flask.sessions import SecureCookieSession
from sqlalchemy.orm import Session
from werkzeug.datastructures import (
    Accept,
    CharsetAccept,
    LanguageAccept,
    MIMEAccept,
    MultiDict,
)
from werkzeug.http import parse_accept_header

from codemods.runtime.common.thread_hop import run_on_loop
from codemods.runtime.flask import compat as flask_compat
from codemods.runtime.flask.session_hook import flask_session

_request: ContextVar[Request] = ContextVar("strangler_request")
_session: ContextVar[Session] = ContextVar("strangler_session")
# `flask.g`'s own class: `in`, `get`, `pop`, `setdefault` and iteration, as in Flask.
AppGlobals = Flask.app_ctx_globals_class
_g: ContextVar[Any] = ContextVar("strangler_g")
_app: ContextVar[FastAPI] = ContextVar("strangler_app")


class FlaskConfig(Config):
    """`app.config`: Flask's own `Config` (`from_mapping`, `from_object`, `from_pyfile`,
    `from_envvar`, `from_prefixed_env`, `from_file`, `get_namespace`), starting from
    `Flask.default_config` like a Flask app's. `root_path` is where relative file names are
    read: the legacy package's folder, or its instance folder with `instance_relative_config`."""

    def __init__(
        self,
        root_path: str | os.PathLike[str] = "",
        defaults: Mapping[str, Any] | None = None,
        **values: Any,
    ) -> None:
        flask_defaults = {**Flask.default_config, "DEBUG": get_debug_flag()}  # as Flask() sets
        super().__init__(root_path or os.getcwd(), {**flask_defaults, **(defaults or {}), **values})


def package_root(import_name: str) -> str:
    """Flask's `root_path` of a legacy module or package: the folder it lives in."""
    spec = importlib.util.find_spec(import_name)
    if spec is None or not spec.origin or spec.origin in ("namespace", "built-in"):
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        return os.path.abspath(locations[0]) if locations else os.getcwd()
    return os.path.dirname(os.path.abspath(spec.origin))


def default_instance_path(import_name: str, given: str | os.PathLike[str] | None = None) -> str:
    """`app.instance_path`: the `instance_path=` given to `Flask(...)` (absolute, as Flask
    demands), else Flask's default for a package that is not installed: `<root>/instance`
    beside the package's folder."""
    if given is not None:
        if not os.path.isabs(given):
            raise ValueError(
                "If an instance path is provided it must be absolute. A relative path was given"
                " instead."
            )
        return os.fspath(given)
    package_dir = package_root(import_name.partition(".")[0])
    return os.path.join(os.path.dirname(package_dir), "instance")


instance_path = default_instance_path  # the name generated code used before


@contextmanager
def app_context(app: FastAPI) -> Iterator[FastAPI]:
    """`with app.app_context():`: `current_config()` and `g` work outside a request (start-up
    code, commands), with a `g` of their own."""
    app_token = _app.set(app)
    g_token = _g.set(AppGlobals())
    try:
        yield app
    finally:
        _g.reset(g_token)
        _app.reset(app_token)


def push_app_context(app: FastAPI) -> None:
    """`app.app_context().push()`: the app is the current one from here on in this context
    (start-up code, a script), as Flask's pushed context is until it is popped."""
    _app.set(app)
    _g.set(AppGlobals())


def bind(request: Request, session: Session | None = None) -> None:
    """Make the request (and the session) the current ones. Not undone: each request runs in
    its own task, whose context ends with it; error handlers still see them after the
    dependencies' clean-up."""
    _request.set(request)
    if session is not None:
        _session.set(session)


async def bind_request(request: Request) -> None:
    """A dependency binding the request alone (routes with no database)."""
    bind(request)


def close_bound_session() -> None:
    """Give the request's database session back to its pool, on this thread (Flask-SQLAlchemy
    removes its session at teardown): the connection is free before the answer is sent."""
    session = _session.get(None)
    if session is not None:
        session.close()


def current_request() -> Request:
    """`flask.request` outside a view."""
    try:
        return _request.get()
    except LookupError:
        raise RuntimeError("Working outside of request context.") from None


def current_session() -> Session:
    """`db.session` outside a view: the same session the handler got from `get_session`."""
    try:
        return _session.get()
    except LookupError:
        raise RuntimeError("no SQLAlchemy session is bound to this request") from None


def current_flask_session() -> SecureCookieSession:
    """`flask.session` outside a view: the request's Flask session from the session bridge
    (`flask_session_hook`). Flask's own session class: a write marks it modified and the route
    class signs it into the cookie again; a read alone answers `Vary: Cookie`, as in Flask."""
    session = flask_session(current_request())
    if session is None:
        raise RuntimeError("The session is unavailable: no session bridge is plugged in.")
    if not isinstance(session, SecureCookieSession):
        raise TypeError(f"the session bridge gave a {type(session).__name__}, not Flask's session")
    return session


def current_app() -> FastAPI:
    """The app of the current request, or of the enclosing `app_context(app)`."""
    request = _request.get(None)
    if request is not None:
        app: FastAPI = request.app
        return app
    try:
        return _app.get()
    except LookupError:
        raise RuntimeError("Working outside of application context.") from None


def running_app() -> FastAPI:
    """`flask.current_app` where the app set attributes on itself (`current_app.redis_conn`):
    `current_app()` under a name the legacy module's own `current_app` cannot hide."""
    return current_app()


def current_config() -> FlaskConfig:
    """`current_app.config`: what the generated `create_app` stored on `app.state.config`."""
    config = getattr(current_app().state, "config", None)
    if config is None:
        raise RuntimeError("the app has no config: create it with the generated create_app")
    assert isinstance(config, FlaskConfig)
    return config


def request_json(*, silent: bool = False, force: bool = False) -> Any:
    """`request.get_json(...)` from a sync helper: the body is read on the event loop."""
    request = current_request()
    body = flask_compat.read_body(request)
    if body is not None or not (force or flask_compat.is_json(request)):
        return flask_compat.json_of(request, body or b"", force=force, silent=silent)

    async def read() -> Any:
        return await flask_compat.read_json(request, force=force, silent=silent)

    return run_on_loop(read)


def request_args() -> MultiDict[str, str]:
    """`request.args` from a helper: Werkzeug's MultiDict of the query string (`get` gives the
    first value, `get(key, type=int)`, `getlist`)."""
    return MultiDict(current_request().query_params.multi_items())


def request_form() -> MultiDict[str, Any]:
    """`request.form` from a sync helper: the form, read on the event loop with Flask's limits
    (empty for a request that sends none)."""
    request = current_request()
    return run_on_loop(lambda: form_of(request))


async def form_of(request: Request) -> MultiDict[str, Any]:
    """Werkzeug's `request.form` of `request`: its text fields, read with Flask's limits (empty
    for a request that sends no form)."""
    from codemods.runtime.flask.request_limits import read_form

    await read_form(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return MultiDict()
    form = await request.form()
    return MultiDict([(k, v) for k, v in form.multi_items() if isinstance(v, str)])


async def values_of(request: Request) -> MultiDict[str, Any]:
    """Werkzeug's `request.values` of `request`: the query string's values, then the form's
    (for another method than GET, as Werkzeug 2.3+ does)."""
    values: MultiDict[str, Any] = MultiDict(request.query_params.multi_items())
    if request.method != "GET":
        values.update(await form_of(request))
    return values


MALFORMED_FORM_KEY = "strangler.flask_malformed_form"  # its body is read: not read again


def request_files() -> MultiDict[str, Any]:
    """`request.files` from a sync helper: each uploaded file of the form as Werkzeug's
    `FileStorage` (its `filename`, `save`, `read`, `stream`), read on the event loop with Flask's
    limits (none for a request that sends no form data, or malformed multipart)."""
    from starlette.datastructures import UploadFile
    from starlette.exceptions import HTTPException as StarletteHTTPException
    from werkzeug.datastructures import FileStorage, Headers

    from codemods.runtime.flask.files import form_or_empty
    from codemods.runtime.flask.request_limits import read_form

    request = current_request()

    async def read() -> MultiDict[str, Any]:
        if request.scope.get(MALFORMED_FORM_KEY):
            return MultiDict()
        try:
            await read_form(request)  # Flask's limits: a 413 is Werkzeug's, and goes on
        except StarletteHTTPException:  # malformed multipart: Werkzeug finds no files
            request.scope[MALFORMED_FORM_KEY] = True
            return MultiDict()
        form = await form_or_empty(request)
        return MultiDict(
            (
                key,
                FileStorage(
                    stream=value.file,
                    filename=value.filename,
                    name=key,
                    content_type=value.content_type,
                    headers=Headers(list(value.headers.items())),
                ),
            )
            for key, value in form.multi_items()
            if isinstance(value, UploadFile)
        )

    return run_on_loop(read)


def request_environ(request: Request) -> dict[str, Any]:
    """`request.environ`: the request as the WSGI environ a WSGI server would have given Flask
    (CGI variables, `HTTP_*` headers, `wsgi.*` keys), built from the ASGI scope; its
    `wsgi.input` is empty (read the body through the request). `SERVER_SOFTWARE` names the
    ASGI server."""
    import io
    import sys

    scope = request.scope
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope.get("method", "GET"),
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": scope.get("path", "/").encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1] if server[1] is not None else 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "SERVER_SOFTWARE": "uvicorn (ASGI)",
        "REMOTE_ADDR": client[0] if client else "",
        "REMOTE_PORT": str(client[1]) if client else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def request_blueprint(request: Request) -> str | None:
    """`request.blueprint`: the blueprint of the matched route, its name without the view's
    (`parent.child` for `parent.child.view`, as Flask names nested blueprints); None for a route
    of the app itself or when no route matched."""
    name = getattr(request.scope.get("route"), "name", None)
    if not isinstance(name, str) or "." not in name:
        return None
    return name.rpartition(".")[0]


def accept_languages(request: Request) -> LanguageAccept:
    """`request.accept_languages`: Werkzeug's parse of Accept-Language (`best_match`, `values`)."""
    return parse_accept_header(request.headers.get("accept-language"), LanguageAccept)


def accept_mimetypes(request: Request) -> MIMEAccept:
    """`request.accept_mimetypes`: Werkzeug's parse of Accept (`best`, `accept_json`...)."""
    return parse_accept_header(request.headers.get("accept"), MIMEAccept)


def accept_charsets(request: Request) -> CharsetAccept:
    """`request.accept_charsets`: Werkzeug's parse of Accept-Charset."""
    return parse_accept_header(request.headers.get("accept-charset"), CharsetAccept)


def accept_encodings(request: Request) -> Accept:
    """`request.accept_encodings`: Werkzeug's parse of Accept-Encoding."""
    return parse_accept_header(request.headers.get("accept-encoding"))


def request_data(*, as_text: bool = False, **_: Any) -> Any:
    """`request.data` / `request.get_data()` from a sync view or helper: the body, read on the
    event loop (Flask's limits apply: MAX_CONTENT_LENGTH)."""
    from codemods.runtime.flask.request_limits import check_content_length

    request = current_request()

    async def read() -> bytes:
        check_content_length(request)
        try:
            return await request.body()
        except RuntimeError:  # the form was parsed from the stream: empty, as Werkzeug's
            return b""

    body: bytes = run_on_loop(read)
    return body.decode("utf-8", "replace") if as_text else body


def request_values() -> MultiDict[str, Any]:
    """`request.values` from a sync helper: the query string's values, then the form's (for
    other methods than GET, as Werkzeug 2.3+ does)."""
    values = request_args()
    if current_request().method != "GET":
        values.update(request_form())
    return values


def value_of(key: str) -> Callable[[Request], Awaitable[str | None]]:
    """`request.values.get(key)` in a view: a dependency giving the first value of `key` in the
    query string, else in the form (`values_of`), or None."""

    async def dependency(request: Request) -> str | None:
        found = (await values_of(request)).get(key)
        return found if isinstance(found, str) else None

    return dependency


def all_values_of(key: str) -> Callable[[Request], Awaitable[list[str]]]:
    """`request.values.getlist(key)` in a view: every value of `key`, the query string's first."""

    async def dependency(request: Request) -> list[str]:
        return [v for v in (await values_of(request)).getlist(key) if isinstance(v, str)]

    return dependency


class _G:
    """`flask.g`: a namespace per request (the request hooks middleware gives each its own),
    with the whole API of Flask's: `"db" in g`, `g.get`, `g.pop`, `g.setdefault`, `iter(g)`."""

    def _namespace(self) -> Any:
        try:
            return _g.get()
        except LookupError:
            namespace = AppGlobals()
            _g.set(namespace)
            return namespace

    def __getattr__(self, name: str) -> Any:
        return getattr(self._namespace(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._namespace(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._namespace(), name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._namespace().get(name, default)

    def pop(self, name: str, *default: Any) -> Any:
        return self._namespace().pop(name, *default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        return self._namespace().setdefault(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self._namespace()

    def __iter__(self) -> Iterator[str]:
        return iter(self._namespace())

    def __repr__(self) -> str:
        return f"<flask.g {sorted(self._namespace())}>"


g = _G()


def fresh_g() -> None:
    """Start a request with an empty `g`."""
    _g.set(AppGlobals())


def ensure_g() -> None:
    """Give the current context a `g` unless it has one (set it before work is handed to a
    thread: a `g` made in the thread would be lost with the thread's copy of the context)."""
    if _g.get(None) is None:
        fresh_g()
