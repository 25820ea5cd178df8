"""Where generated code finds the legacy Flask session (`session`, flashed messages, CSRF
tokens). Permanent while the legacy app and the migrated views share one session cookie.

A session bridge may plug in a reader with `use_flask_session` (the generated `login_bridge.py`
does, for flask-login). Without one, the session is the app's own signed cookie, read and written
exactly as Flask's `SecureCookieSessionInterface` does with the app's configuration
(`app.state.config`, filled by the generated `create_app`): `SECRET_KEY` and
`SECRET_KEY_FALLBACKS`, `PERMANENT_SESSION_LIFETIME`, `SESSION_COOKIE_*`,
`SESSION_REFRESH_EACH_REQUEST`. Without a `SECRET_KEY` it is Flask's `NullSession`: reads find
nothing and writes fail as they do in Flask. The session is read once per request, when first
used, and written back by the route class (and the hooks middleware) with `save_session`.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from flask.sessions import NullSession, SecureCookieSession
from starlette.requests import HTTPConnection
from starlette.responses import Response

from codemods.runtime.flask import session as cookie_session

SessionReader = Callable[[Any], MutableMapping[str, Any] | None]
_reader: list[SessionReader] = []
STATE_KEY = "strangler_flask_session"


@dataclass
class CookieSession:
    """The request's session from the app's own cookie, and whether a response carries it."""

    settings: cookie_session.SessionSettings
    session: SecureCookieSession
    saved: bool = False


def use_flask_session(reader: SessionReader | None) -> None:
    """Plug in (or, with None, unplug) how a request's Flask session is read and written."""
    _reader[:] = [reader] if reader is not None else []


def flask_session(
    request: HTTPConnection, *, access: bool = True
) -> MutableMapping[str, Any] | None:
    """The request's Flask session: the plugged-in bridge's, else the app's own cookie session;
    None when the app has no configuration to read it with. Like Flask's `session` proxy, a use
    marks it accessed (the answer then varies on the cookie); `access=False` for a look that
    is not a use (the templates' context)."""
    if _reader:
        return _reader[0](request)
    state = _cookie_session(request)
    if state is None:
        return None
    if access:
        state.session.accessed = True
    return state.session


def _cookie_session(request: HTTPConnection) -> CookieSession | None:
    found = getattr(request.state, STATE_KEY, None)
    if isinstance(found, CookieSession):
        return found
    config = getattr(request.app.state, "config", None)
    if config is None:
        return None
    settings = cookie_session.SessionSettings.from_config(config)
    session = cookie_session.read(settings, request) if settings.secret_key else NullSession()
    state = CookieSession(settings, session)
    setattr(request.state, STATE_KEY, state)
    return state


def save_session(request: HTTPConnection, response: Response) -> Response:
    """Flask's `save_session` for the app's own cookie session, once the answer is known:
    `Vary: Cookie` when the session was read, the cookie again when it changed (deleted when it
    became empty) or is permanent and refreshed on each request. Again after hooks only when
    they changed it."""
    state = getattr(request.state, STATE_KEY, None)
    if not isinstance(state, CookieSession) or isinstance(state.session, NullSession):
        return response
    session = state.session
    if state.saved and not session.modified:
        return response
    cookie_session.save(
        state.settings,
        response,
        session,
        modified=session.modified,
        accessed=session.accessed,
    )
    state.saved = True
    session.modified = False
    return response
