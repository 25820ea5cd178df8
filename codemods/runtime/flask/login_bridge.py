"""flask-login on top of the Flask session cookie, for the migrated views. Transitional: it
exists while the legacy app and the migrated views share flask-login's cookies; once the legacy
app is gone, an authentication dependency of the team's choice can replace it.

A `LoginManager` answers who the user of a request is exactly as flask-login 0.6 does in the
legacy app: `_user_id` in the signed session (or the `remember_token` cookie) through the app's
user loader, session protection, and `login_required`'s 302 to the login view with `next=` (and
the flashed login message) or 401. `login_user`/`logout_user` write the same session and remember
cookies flask-login writes, so either side can log a user in or out for the other.

The user loader is the legacy `@login_manager.user_loader` function, converted to take the
SQLAlchemy session of the request as a second argument.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from hashlib import sha512
from typing import Any

from fastapi import Depends, Request
from flask.sessions import SecureCookieSession
from flask_login import AnonymousUserMixin, encode_cookie, make_next_param
from flask_login import config as defaults
from starlette.requests import HTTPConnection
from starlette.responses import Response
from werkzeug.http import dump_cookie
from werkzeug.sansio.utils import get_current_url

from codemods.runtime.flask import session as flask_session
from codemods.runtime.flask.compat import LegacyResponse, abort, redirect, url_for

UserLoader = Callable[[str, Any], Any]  # (user id, SQLAlchemy session) -> user or None
REQUEST_USER = "strangler.user"


@dataclass
class LoginState:
    """What flask-login found for one request: the user and the session it read."""

    user: Any
    session: dict[str, Any]
    manager: LoginManager
    modified: bool = False
    loaded: bool = False  # the user was looked up (not only the session read)
    committed: bool = False  # a response carries the session as it is now

    def changed(self) -> bool:
        """flask-login changed the session, or a view wrote to it (flash, CSRF token)."""
        return self.modified or bool(getattr(self.session, "modified", False))


@dataclass
class LoginManager:
    """flask-login's `LoginManager`, reading the legacy app's configuration through `config`
    (called per request, so environment changes are seen like a restarted legacy app)."""

    config: Callable[[], Mapping[str, Any]]
    login_message: str | None = defaults.LOGIN_MESSAGE
    login_message_category: str = defaults.LOGIN_MESSAGE_CATEGORY
    session_protection: str | None = "basic"
    loader: UserLoader | None = field(default=None, repr=False)

    def user_loader(self, loader: UserLoader) -> UserLoader:
        self.loader = loader
        return loader

    # -- reading ------------------------------------------------------------------------------
    def settings(self) -> flask_session.SessionSettings:
        return flask_session.SessionSettings.from_config(self.config())

    def state(self, request: HTTPConnection, db: Any) -> LoginState:
        """`LoginManager._load_user`, remembered on the request."""
        state = self._current_state(request)
        if state.loaded:
            return state
        state.loaded = True
        if not self._protection_failed(request, state):
            user = self._load(state.session.get("_user_id"), db)
            if user is None:
                user = self._from_remember_cookie(request, state, db)
            if user is not None:
                state.user = user
        return state

    def current_user(self, request: HTTPConnection, db: Any) -> Any:
        return self.state(request, db).user

    def session(self, request: HTTPConnection) -> MutableMapping[str, Any]:
        """The request's Flask session (the reader for `flask_session_hook.use_flask_session`):
        what is written to it goes back in the cookie when the route class calls `finish`."""
        return self._current_state(request).session

    def _load(self, user_id: Any, db: Any) -> Any:
        if user_id is None or self.loader is None:
            return None
        return self.loader(user_id, db)

    def _protection_failed(self, request: HTTPConnection, state: LoginState) -> bool:
        """`LoginManager._session_protection_failed`: "strong" forgets a session used from
        another address or browser; "basic" (the default) only marks it not fresh."""
        mode = self.config().get("SESSION_PROTECTION", self.session_protection)
        session = state.session
        if mode not in ("basic", "strong") or not session:
            return False
        if identifier(request) == session.get("_id"):
            return False
        if mode == "basic" or session.get("_permanent"):
            if session.get("_fresh") is not False:
                session["_fresh"] = False
                state.modified = True
            return False
        for key in defaults.SESSION_KEYS:
            session.pop(key, None)
        session["_remember"] = "clear"
        state.modified = True
        return True

    def _from_remember_cookie(self, request: HTTPConnection, state: LoginState, db: Any) -> Any:
        name = self.config().get("REMEMBER_COOKIE_NAME", defaults.COOKIE_NAME)
        cookie = request.cookies.get(name)
        if cookie is None or state.session.get("_remember") == "clear":
            return None
        user_id = self.decode_remember_cookie(cookie)
        if user_id is None:
            return None
        state.session["_user_id"] = user_id
        state.session["_fresh"] = False
        state.modified = True
        return self._load(user_id, db)

    def decode_remember_cookie(self, cookie: str) -> str | None:
        """flask-login's `decode_cookie`: the user id when the HMAC-SHA512 digest matches."""
        payload, separator, _ = cookie.rpartition("|")
        if not separator:
            return None
        expected = encode_cookie(payload, key=self._secret_key())
        # bytes: compare_digest refuses str with non-ASCII characters (a 500 in flask-login)
        return payload if hmac.compare_digest(expected.encode(), cookie.encode()) else None

    def _secret_key(self) -> bytes:
        key = self.config().get("SECRET_KEY") or b""
        return key.encode("latin1") if isinstance(key, str) else bytes(key)

    # -- answering ----------------------------------------------------------------------------
    def login_required(
        self, current_user: Callable[..., Any], login_view: str | None = None
    ) -> Callable[..., Any]:
        """A route dependency answering like `flask_login.login_required`: the user, or a 302 to
        the login view (an endpoint name) with `next=`, or 401 when there is no login view."""

        def dependency(request: Request, user: Any = Depends(current_user)) -> Any:
            if self.config().get("LOGIN_DISABLED") or user.is_authenticated:
                return user
            if login_view is None:
                abort(401)
            raise LegacyResponse(self.unauthorized(request, login_view))

        return dependency

    def unauthorized(self, request: Request, login_view: str) -> Response:
        """`LoginManager.unauthorized` with a login view: flash the login message and redirect,
        with the page asked for in `next=` (or in the session with `USE_SESSION_FOR_NEXT`)."""
        login_url = url_for(request, login_view)
        current = get_current_url(
            request.url.scheme,
            request.url.netloc,
            "",
            request.scope["path"],
            request.scope.get("query_string", b""),
        )
        target = make_next_param(login_url, current)
        session = self._current_state(request).session
        if self.login_message:
            flashes = list(session.get("_flashes", []))
            flashes.append((self.login_message_category, self.login_message))
            session["_flashes"] = flashes
        if self.config().get("USE_SESSION_FOR_NEXT", defaults.USE_SESSION_FOR_NEXT):
            session["_id"] = identifier(request)
            session["next"] = target
            response = redirect(login_url)
        else:
            response = redirect(url_for(request, login_view, next=target))
        return finish(request, response)

    # -- writing ------------------------------------------------------------------------------
    def login_user(
        self,
        request: HTTPConnection,
        response: Response,
        user: Any,
        *,
        remember: bool = False,
        fresh: bool = True,
        force: bool = False,
    ) -> bool:
        """`flask_login.login_user`, writing the session (and remember) cookies on `response`."""
        if not self.log_in(request, user, remember=remember, fresh=fresh, force=force):
            return False
        self.commit(request, response, self._current_state(request))
        return True

    def logout_user(self, request: HTTPConnection, response: Response) -> None:
        """`flask_login.logout_user`: forget the user (and the remember cookie) on `response`."""
        self.log_out(request)
        self.commit(request, response, self._current_state(request))

    def log_in(
        self,
        request: HTTPConnection,
        user: Any,
        *,
        remember: bool = False,
        duration: timedelta | None = None,
        fresh: bool = True,
        force: bool = False,
    ) -> bool:
        """`flask_login.login_user` on the request's session: `finish` (the route class) writes
        the cookies on whatever response the view answers."""
        if not force and not user.is_active:
            return False
        state = self._current_state(request)
        session = state.session
        session["_user_id"] = user.get_id()
        session["_fresh"] = fresh
        session["_id"] = identifier(request)
        if remember:
            session["_remember"] = "set"
            if duration is not None:
                session["_remember_seconds"] = duration.total_seconds()
        state.user = user
        state.loaded = True
        state.modified = True
        return True

    def log_out(self, request: HTTPConnection) -> bool:
        """`flask_login.logout_user` on the request's session (`finish` writes the cookies)."""
        state = self._current_state(request)
        for key in ("_user_id", "_fresh", "_id"):
            state.session.pop(key, None)
        if self.config().get("REMEMBER_COOKIE_NAME", defaults.COOKIE_NAME) in request.cookies:
            state.session["_remember"] = "clear"
            state.session.pop("_remember_seconds", None)
        state.user = AnonymousUserMixin()
        state.loaded = True
        state.modified = True
        return True

    def commit(self, request: HTTPConnection, response: Response, state: LoginState) -> None:
        """flask-login's `_update_remember_cookie` then Flask's `save_session`."""
        operation = state.session.pop("_remember", None)
        if operation == "set" and "_user_id" in state.session:
            response.headers.append("Set-Cookie", self._remember_cookie(state.session))
        elif operation == "clear":
            response.headers.append("Set-Cookie", self._remember_cookie(None))
        flask_session.save(self.settings(), response, state.session)
        state.modified = False
        state.committed = True
        if isinstance(state.session, SecureCookieSession):
            state.session.modified = False

    def _current_state(self, request: HTTPConnection) -> LoginState:
        state = getattr(request.state, REQUEST_USER, None)
        if isinstance(state, LoginState):
            return state
        session = flask_session.read(self.settings(), request)
        state = LoginState(AnonymousUserMixin(), session, self)
        setattr(request.state, REQUEST_USER, state)
        return state

    def _remember_cookie(self, session: dict[str, Any] | None) -> str:
        """flask-login's `_set_cookie` (a session) or `_clear_cookie` (None)."""
        config = self.config()
        name = config.get("REMEMBER_COOKIE_NAME", defaults.COOKIE_NAME)
        domain = config.get("REMEMBER_COOKIE_DOMAIN")
        path = config.get("REMEMBER_COOKIE_PATH", "/")
        if session is None:
            return dump_cookie(name, "", expires=0, max_age=0, domain=domain, path=path)
        duration = session.pop("_remember_seconds", None)
        if duration is None:
            duration = config.get("REMEMBER_COOKIE_DURATION", defaults.COOKIE_DURATION)
        if not isinstance(duration, timedelta):
            duration = timedelta(seconds=int(duration))
        return dump_cookie(
            name,
            encode_cookie(str(session["_user_id"]), key=self._secret_key()),
            expires=datetime.now(UTC) + duration,
            domain=domain,
            path=path,
            secure=config.get("REMEMBER_COOKIE_SECURE", defaults.COOKIE_SECURE),
            httponly=config.get("REMEMBER_COOKIE_HTTPONLY", defaults.COOKIE_HTTPONLY),
            samesite=config.get("REMEMBER_COOKIE_SAMESITE", defaults.COOKIE_SAMESITE),
        )


def finish(request: HTTPConnection, response: Response) -> Response:
    """What Flask and flask-login add to the response of a request whose user was looked up:
    `Vary: Cookie`, and the session cookie again when flask-login changed the session (a user
    loaded from the remember-me cookie, a session no longer fresh) or a view wrote to it (a
    flashed message, a CSRF token, a login). `FlaskRoute` calls it once the view has answered."""
    state = getattr(request.state, REQUEST_USER, None)
    if not isinstance(state, LoginState):
        return response
    refresh = state.manager.config().get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST")
    if refresh and "_remember" not in state.session and "_user_id" in state.session:
        state.session["_remember"] = "set"
        state.modified = True
    if state.changed():
        state.manager.commit(request, response, state)
    elif not state.committed:
        flask_session.save(state.manager.settings(), response, state.session, modified=False)
    return response


def identifier(request: HTTPConnection) -> str:
    """flask-login's `_create_identifier`: SHA-512 of the client address and user agent, spelt
    as flask-login spells them (the repr of their UTF-8 bytes)."""
    forwarded = request.headers.get("X-Forwarded-For")
    client = request.client.host if request.client else None
    address_text = forwarded if forwarded is not None else client
    address = address_text.encode().split(b",")[0].strip() if address_text is not None else None
    agent_text = request.headers.get("User-Agent")
    agent = agent_text.encode() if agent_text is not None else None
    return sha512(f"{address!r}|{agent!r}".encode()).hexdigest()
