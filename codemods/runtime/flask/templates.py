"""Flask's template context for generated views: the legacy templates render unchanged.

`flask_templates(package)` reads the legacy package's templates in place and gives them what
Flask gives every template: `url_for` (Flask's paths and query strings), `get_flashed_messages`,
`csrf_token()`, `current_user` and `request`. `flash()` is Flask's: messages go to the Flask
session when the session bridge is plugged in (`flask_session_hook.use_flask_session`);
without it they only reach a page rendered in the same request.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.background import BackgroundTask
from starlette.templating import _TemplateResponse

from codemods.runtime.flask import csrf
from codemods.runtime.flask.blueprint_hooks import template_context
from codemods.runtime.flask.compat import current_user, url_for
from codemods.runtime.flask.session_hook import flask_session

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


def flask_context(request: Request) -> dict[str, Any]:
    return {"current_user": current_user(request) or AnonymousUser()}


@pass_context
def _url_for(context: Context, endpoint: str, **values: Any) -> str:
    return url_for(context["request"], endpoint, **values)


@pass_context
def _get_flashed_messages(
    context: Context, with_categories: bool = False, category_filter: Sequence[str] = ()
) -> list[Any]:
    return get_flashed_messages(context["request"], with_categories, category_filter)


@pass_context
def _csrf_token(context: Context) -> str:
    return csrf.csrf_token(context["request"])


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
