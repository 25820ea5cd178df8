"""The user id the legacy session names, so a canary keeps a signed-in user on one side on every
device (`canary_assignment` prefers it to the client cookie).

- **Flask**'s default session (a cookie signed with the app's `SECRET_KEY`) is read with the
  legacy app's own serializer; the id is flask-login's `_user_id`, else a plain `user_id`.
- **Django**'s session is looked up with the session engine the legacy Django settings name
  (`SESSION_ENGINE`: database, cached_db, cache, file, signed_cookies), from the cookie they name
  (`SESSION_COOKIE_NAME`); the id is `_auth_user_id`, what `django.contrib.auth.login` stores.
  The lookup runs on a small thread pool of its own (a database or cache engine does I/O, and
  Django's ORM refuses to run on an event loop), once per session key: the answer is kept in a
  bounded table. Django gives a session a new key on login and on logout, so the user of a key
  does not change while it is kept.
- `[canary] session_cookie` names the cookie where the legacy app's own setting is not the name
  clients send, or where the front cannot see the Django handler inside the middleware that wraps
  it (Django's settings are then read as the process has them).

Other session kinds (Flask server-side sessions) are not read: their clients keep the client
cookie.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import structlog

UserReader = Callable[[Mapping[str, str]], Awaitable[str | None]]
USER_KEYS = ("_user_id", "user_id")
DJANGO_USER_KEY = "_auth_user_id"  # django.contrib.auth.SESSION_KEY
KEPT_SESSIONS = 10_000
log = structlog.get_logger("strangler.canary")


def session_user_reader(legacy_wsgi: Any, cookie_name: str | None = None) -> UserReader | None:
    """A coroutine function from a request's cookies to its session's user id, or None when the
    legacy app's session cannot be read here. `cookie_name` overrides the app's own setting."""
    return flask_session_users(legacy_wsgi, cookie_name) or django_session_users(
        legacy_wsgi, cookie_name
    )


def flask_session_users(legacy_wsgi: Any, cookie_name: str | None = None) -> UserReader | None:
    flask = sys.modules.get("flask")
    if flask is None or not isinstance(legacy_wsgi, flask.Flask):
        return None
    interface = legacy_wsgi.session_interface
    get_serializer = getattr(interface, "get_signing_serializer", None)
    serializer = get_serializer(legacy_wsgi) if get_serializer is not None else None
    if serializer is None:  # no SECRET_KEY, or not a signed-cookie session
        return None
    from itsdangerous import BadSignature

    name = cookie_name or str(legacy_wsgi.config["SESSION_COOKIE_NAME"])
    max_age = int(legacy_wsgi.permanent_session_lifetime.total_seconds())

    async def user_id(cookies: Mapping[str, str]) -> str | None:
        value = cookies.get(name)
        if not value:
            return None
        try:
            data = serializer.loads(value, max_age=max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict):
            return None
        for key in USER_KEYS:
            user = data.get(key)
            if user not in (None, ""):
                return str(user)
        return None

    return user_id


def is_django(legacy_wsgi: Any, *, named_cookie: bool = False) -> bool:
    """Whether the legacy app is Django's WSGI handler, or wraps it (`application`/`app`
    attributes, as WhiteNoise and most WSGI middleware keep it). With `named_cookie` (the config
    names the session cookie), any WSGI app of a process whose Django settings are configured is
    taken for Django's, whatever wraps it."""
    handlers = sys.modules.get("django.core.handlers.wsgi")
    flask = sys.modules.get("flask")
    if handlers is None or (flask is not None and isinstance(legacy_wsgi, flask.Flask)):
        return False
    app = legacy_wsgi
    for _ in range(5):
        if isinstance(app, handlers.WSGIHandler):
            return True
        app = getattr(app, "application", None) or getattr(app, "app", None)
        if app is None:
            break
    if not named_cookie:
        return False
    from django.conf import settings

    return bool(settings.configured)


def django_session_users(legacy_wsgi: Any, cookie_name: str | None = None) -> UserReader | None:
    if not is_django(legacy_wsgi, named_cookie=cookie_name is not None):
        return None
    from importlib import import_module

    from django.conf import settings

    try:
        store_class = import_module(settings.SESSION_ENGINE).SessionStore
    except (ImportError, AttributeError) as error:
        log.warning("session_engine_unreadable", engine=settings.SESSION_ENGINE,
                    error=repr(error), action="canary clients keep the client cookie")  # fmt: skip
        return None
    return DjangoSessionUsers(store_class, cookie_name or str(settings.SESSION_COOKIE_NAME))


class _Failed:
    """A lookup that raised: not kept (the next request asks again)."""


FAILED = _Failed()


class DjangoSessionUsers:
    def __init__(
        self,
        store_class: Any,
        cookie_name: str,
        kept: int = KEPT_SESSIONS,
        close_connections: Callable[[], None] | None = None,
    ) -> None:
        """`store_class`: the engine's SessionStore; `close_connections`: what runs before and
        after each lookup (default: Django's `close_old_connections`, as around a request)."""
        if close_connections is None:
            from django.db import close_old_connections

            close_connections = close_old_connections
        self.store_class = store_class
        self.cookie_name = cookie_name
        self.kept = kept
        self.close_connections: Callable[[], None] = close_connections
        self.known: dict[str, str | None] = {}
        self.pending: dict[str, asyncio.Future[str | _Failed | None]] = {}
        self.executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="strangler-session")

    async def __call__(self, cookies: Mapping[str, str]) -> str | None:
        session_key = cookies.get(self.cookie_name)
        if not session_key:
            return None
        known = self.known.get(session_key, FAILED)
        if known is not FAILED:
            return known  # type: ignore[return-value]
        future = self.pending.get(session_key)
        if future is None:
            future = asyncio.get_running_loop().run_in_executor(
                self.executor, self.lookup, session_key
            )
            self.pending[session_key] = future
            future.add_done_callback(lambda done: self.keep(session_key, done))
        user = await asyncio.shield(future)  # a client that leaves does not cancel the others'
        return None if isinstance(user, _Failed) else user

    def keep(self, session_key: str, done: asyncio.Future[str | _Failed | None]) -> None:
        self.pending.pop(session_key, None)
        if done.cancelled() or done.exception() is not None:
            return
        user = done.result()
        if isinstance(user, _Failed):
            return
        if len(self.known) >= self.kept:
            del self.known[next(iter(self.known))]  # the oldest kept
        self.known[session_key] = user

    def lookup(self, session_key: str) -> str | _Failed | None:
        """The user id of a session, as Django's own engine loads it (on the pool's thread)."""
        try:
            self.close_connections()
            user = self.store_class(session_key=session_key).get(DJANGO_USER_KEY)
        except Exception as error:
            log.warning("session_user_lookup_failed", error=repr(error))
            return FAILED
        finally:
            self.close_connections()
        return str(user) if user not in (None, "") else None
