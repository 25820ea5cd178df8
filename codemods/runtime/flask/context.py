"""Flask's context locals for generated FastAPI code: the request, the SQLAlchemy session, the
app config and `g`, bound in ContextVars for the duration of a request.

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
from collections.abc import Mapping
from contextvars import ContextVar
from types import SimpleNamespace
from typing import Any

import anyio.from_thread
from fastapi import Request
from flask.sessions import SecureCookieSession
from sqlalchemy.orm import Session

from codemods.runtime.flask import compat as flask_compat
from codemods.runtime.flask.session_hook import flask_session

_request: ContextVar[Request] = ContextVar("strangler_request")
_session: ContextVar[Session] = ContextVar("strangler_session")
_g: ContextVar[SimpleNamespace] = ContextVar("strangler_g")


class FlaskConfig(dict[str, Any]):
    """`app.config`: a dict with Flask's `from_mapping` and `from_object`."""

    def from_mapping(self, mapping: Mapping[str, Any] | None = None, **kwargs: Any) -> bool:
        for key, value in {**(mapping or {}), **kwargs}.items():
            if key.isupper():
                self[key] = value
        return True

    def from_object(self, obj: object) -> None:
        for key in dir(obj):
            if key.isupper():
                self[key] = getattr(obj, key)


def instance_path(import_name: str) -> str:
    """Flask's default `instance_path` for a package that is not installed: `<root>/instance`
    beside the package's folder."""
    spec = importlib.util.find_spec(import_name.partition(".")[0])
    origin = spec.origin if spec is not None and spec.origin else os.getcwd()
    package_dir = os.path.dirname(os.path.abspath(origin))
    return os.path.join(os.path.dirname(package_dir), "instance")


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


def current_config() -> FlaskConfig:
    """`current_app.config`: what the generated `create_app` stored on `app.state.config`."""
    config = getattr(current_request().app.state, "config", None)
    if config is None:
        raise RuntimeError("the app has no config: create it with the generated create_app")
    assert isinstance(config, FlaskConfig)
    return config


def request_json(*, silent: bool = False, force: bool = False) -> Any:
    """`request.get_json(...)` from a sync helper: the body is read on the event loop."""
    request = current_request()

    async def read() -> Any:
        return await flask_compat.read_json(request, force=force, silent=silent)

    return anyio.from_thread.run(read)


class _G:
    """`flask.g`: a namespace per request (the request hooks middleware gives each its own)."""

    def _namespace(self) -> SimpleNamespace:
        try:
            return _g.get()
        except LookupError:
            namespace = SimpleNamespace()
            _g.set(namespace)
            return namespace

    def __getattr__(self, name: str) -> Any:
        return getattr(self._namespace(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._namespace(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._namespace(), name)

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self._namespace(), name, default)


g = _G()


def fresh_g() -> None:
    """Start a request with an empty `g`."""
    _g.set(SimpleNamespace())


def ensure_g() -> None:
    """Give the current context a `g` unless it has one (set it before work is handed to a
    thread: a `g` made in the thread would be lost with the thread's copy of the context)."""
    if _g.get(None) is None:
        fresh_g()
