"""Flask's template context for generated views: the legacy templates render unchanged.
Permanent while the legacy templates are.

`flask_templates(package)` reads the legacy package's templates in place and gives them what
Flask gives every template: `url_for` (Flask's paths and query strings, `static` and endpoint
aliases), `get_flashed_messages`, `csrf_token()`, `current_user`, `request`, `session`, `g` and
`config`, the app's context processors (`context_processor(app)`) and what the app registered on
its Jinja environment (`jinja_env(app)`, `template_filter(app)`, `template_global(app)`,
`template_test(app)`). `flash()` is Flask's: messages go to the Flask session cookie (the app's
own, see `session_hook`), so they cross sides both ways.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context
from starlette.background import BackgroundTask
from starlette.templating import _TemplateResponse
from werkzeug.datastructures import MultiDict

from codemods.runtime.flask import csrf
from codemods.runtime.flask.blueprint_hooks import (
    context_processors,
    named_decorator,
    template_context,
)
from codemods.runtime.flask.compat import current_user, url_for
from codemods.runtime.flask.context import (
    accept_languages,
    accept_mimetypes,
    current_request,
    g,
    request_blueprint,
    request_environ,
)
from codemods.runtime.flask.session_hook import flask_session

F = Callable[..., Any]

FLASHES = "_flashes"  # Flask's session key
ContextProcessor = Callable[[Request], dict[str, Any]]


class AnonymousUser:
    """flask-login's `AnonymousUserMixin`: what `current_user` is for a visitor."""

    is_authenticated = False
    is_active = False
    is_anonymous = True

    def get_id(self) -> None:
        return None


def flash(request: Request, message: str, category: str = "message") -> None:
    """`flask.flash`: keep a message for the next page that shows flashed messages."""
    session = flask_session(request)
    if session is not None:
        session[FLASHES] = [*session.get(FLASHES, []), (category, message)]
        return
    if not hasattr(request.state, "unsaved_flashes"):
        request.state.unsaved_flashes = []
    request.state.unsaved_flashes.append((category, message))


def get_flashed_messages(
    request: Request, with_categories: bool = False, category_filter: Sequence[str] = ()
) -> list[Any]:
    """`flask.get_flashed_messages`: taken from the session once per request."""
    flashes = getattr(request.state, "flashes", None)
    if flashes is None:
        session = flask_session(request)
        stored = session.pop(FLASHES, []) if session is not None else []
        flashes = [*stored, *getattr(request.state, "unsaved_flashes", [])]
        request.state.flashes = flashes
    chosen = [tuple(f) for f in flashes if not category_filter or f[0] in category_filter]
    return chosen if with_categories else [message for _, message in chosen]


class TemplateRequest(Mapping[str, Any]):
    """The request as Flask's templates read it (`request.endpoint`, `request.args.get(...)`,
    `request.path`, `request.blueprint`, `request.view_args`): Flask's attributes computed from
    the Starlette request, every other one the Starlette request's own (`url_for` and the
    template response use it as the request). changedetection.io's sidebar reads
    `request.endpoint`, which Jinja found as the scope's `endpoint`: the view function."""

    def __init__(self, request: Request) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)

    def __getitem__(self, key: str) -> Any:
        return self._request[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._request)

    def __len__(self) -> int:
        return len(self._request)

    @property
    def endpoint(self) -> str | None:
        return getattr(self._request.scope.get("route"), "name", None)

    @property
    def blueprint(self) -> str | None:
        return request_blueprint(self._request)

    @property
    def args(self) -> MultiDict[str, str]:
        return MultiDict(self._request.query_params.multi_items())

    @property
    def view_args(self) -> dict[str, Any]:
        return dict(self._request.path_params)

    @property
    def path(self) -> str:
        return str(self._request.scope.get("path", "/"))

    @property
    def full_path(self) -> str:
        return f"{self.path}?{self._request.url.query}"

    @property
    def script_root(self) -> str:
        return str(self._request.scope.get("root_path", "")).rstrip("/")

    @property
    def url_root(self) -> str:
        return str(self._request.base_url)

    @property
    def host(self) -> str:
        return self._request.headers.get("host", "")

    @property
    def remote_addr(self) -> str | None:
        client = self._request.client
        return client.host if client else None

    @property
    def accept_languages(self) -> Any:
        return accept_languages(self._request)

    @property
    def accept_mimetypes(self) -> Any:
        return accept_mimetypes(self._request)

    @property
    def environ(self) -> dict[str, Any]:
        return request_environ(self._request)


def flask_context(request: Request) -> dict[str, Any]:
    """Flask's default template context (`g`, `request`, `session`) and globals (`config`)."""
    session = flask_session(request, access=False)
    return {
        "request": TemplateRequest(request),
        "current_user": current_user(request) or AnonymousUser(),
        "g": g,
        "session": session if session is not None else {},
        "config": getattr(request.app.state, "config", {}),
    }


# -- what the app registers on its Jinja environment -------------------------------------------
def jinja_env(app: Any) -> Environment:
    """`app.jinja_env`: where the app registers filters, globals, tests and extensions; every
    template of the app's `flask_templates` gets them."""
    found = getattr(app.state, "flask_jinja_env", None)
    if isinstance(found, Environment):
        return found
    environment = Environment()
    app.state.flask_jinja_env = environment
    return environment


def register_template(kind: str, app: Any, name: str | F | None) -> Any:
    """`@app.template_filter`, `@app.template_filter()`, `@app.template_filter("name")` (and
    globals and tests: `kind`), on the app's Jinja environment."""

    def register(function: F, key: str | None = None) -> F:
        getattr(jinja_env(app), kind)[key or function.__name__] = function
        return function

    return named_decorator(register, name)


def template_filter(app: Any, name: str | F | None = None) -> Any:
    return register_template("filters", app, name)


def template_global(app: Any, name: str | F | None = None) -> Any:
    return register_template("globals", app, name)


def template_test(app: Any, name: str | F | None = None) -> Any:
    return register_template("tests", app, name)


def add_template_filter(app: Any, function: F, name: str | None = None) -> None:
    register_template("filters", app, name)(function)


def add_template_global(app: Any, function: F, name: str | None = None) -> None:
    register_template("globals", app, name)(function)


def add_template_test(app: Any, function: F, name: str | None = None) -> None:
    register_template("tests", app, name)(function)


def context_processor(app: Any) -> Callable[[F], F]:
    """`@app.context_processor`: its dict reaches every template the app renders."""

    def register(function: F) -> F:
        context_processors(app).setdefault(None, []).append(function)
        return function

    return register


def _with_app_registrations(environment: Environment, app: Any) -> None:
    _with_blueprint_folders(environment, app)
    registered = getattr(app.state, "flask_jinja_env", None)
    if not isinstance(registered, Environment):
        return
    environment.filters.update(registered.filters)
    environment.tests.update(registered.tests)
    for name, extension in registered.extensions.items():
        if name not in environment.extensions:
            environment.add_extension(type(extension))
    if hasattr(registered, "newstyle_gettext"):  # `install_gettext_callables(newstyle=True)`
        environment.newstyle_gettext = registered.newstyle_gettext  # type: ignore[attr-defined]
    # after the extensions, whose own globals (`_`) the registered ones may replace
    environment.globals.update(
        {k: v for k, v in registered.globals.items() if k not in _JINJA_DEFAULT_GLOBALS}
    )


_JINJA_DEFAULT_GLOBALS = frozenset(Environment().globals)


def _with_blueprint_folders(environment: Environment, app: Any) -> None:
    """The templates of the app's blueprints' own folders, searched after the app's folder (the
    order of Flask's loader): the environment's loader gains them once they are registered."""
    folders = tuple(getattr(app.state, "flask_blueprint_template_folders", ()))
    if not folders or getattr(environment, "strangler_folders", ()) == folders:
        return
    base = getattr(environment, "strangler_base_loader", environment.loader)
    environment.strangler_base_loader = base  # type: ignore[attr-defined]
    loaders = [base, *(FileSystemLoader(folder) for folder in folders)]
    environment.loader = ChoiceLoader([loader for loader in loaders if loader is not None])
    environment.strangler_folders = folders  # type: ignore[attr-defined]


@pass_context
def _url_for(context: Context, endpoint: Any, **values: Any) -> str:
    request = _request_of(context)
    if not isinstance(endpoint, str) and endpoint is request.scope.get("endpoint"):
        # `url_for(request.endpoint, ...)`: Flask's `request.endpoint` is the current route's
        # name; Starlette's request (a mapping over its scope) gives the view function there
        endpoint = getattr(request.scope.get("route"), "name", endpoint)
    return url_for(request, endpoint, **values)


@pass_context
def _get_flashed_messages(
    context: Context, with_categories: bool = False, category_filter: Sequence[str] = ()
) -> list[Any]:
    return get_flashed_messages(_request_of(context), with_categories, category_filter)


@pass_context
def _csrf_token(context: Context) -> str:
    return csrf.csrf_token(_request_of(context))


def _request_of(context: Context) -> Any:
    """The request a template is rendered for: its context's, else (a macro imported without
    the context, as Flask's globals need none) the request the runtime bound."""
    request = context.get("request")
    return request if request is not None else current_request()


class FlaskTemplates(Jinja2Templates):
    """Templates that also get the app's context processors (a blueprint's
    `app_context_processor`, see `blueprint_hooks`); the view's own values win, as in Flask."""

    def TemplateResponse(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> _TemplateResponse:
        _with_app_registrations(self.env, request.app)
        merged = {**template_context(request), **(context or {})}
        return super().TemplateResponse(
            request, name, merged, status_code, headers, media_type, background
        )


def flask_templates(
    package: str, folder: str = "templates", context_processors: Sequence[ContextProcessor] = ()
) -> FlaskTemplates:
    """The legacy package's Jinja2 templates, read in place, with Flask's template globals;
    `context_processors` stand for the app's own (`@app.context_processor`); those of its
    blueprints come from `register_blueprint`."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise LookupError(f"package {package!r} not found")
    templates = FlaskTemplates(
        directory=str(Path(spec.origin).parent / folder),
        context_processors=[flask_context, *context_processors],
    )
    templates.env.globals.update(
        url_for=_url_for, get_flashed_messages=_get_flashed_messages, csrf_token=_csrf_token
    )
    return templates
