"""The legacy app's database for the migrated views, found the way Flask-SQLAlchemy finds it.
Permanent: the migrated views' SQLAlchemy sessions.

`STRANGLER_DATABASE_URL` when set (to point the migrated side elsewhere on purpose), else the app's
`SQLALCHEMY_DATABASE_URI` (its config, filled by the generated factory exactly as the legacy
factory fills it, defaults included), else `DATABASE_URL`, else an in-memory SQLite database.
One engine per URL, made on first use.

A request's session (`request_session`, what the generated `get_session` dependency returns) is
closed by the request's teardown on the view's thread, and at the latest by the route class once
the answer is ready (`release_request_sessions`): a plain async dependency, not a generator,
since FastAPI's clean-up of generator dependencies (an exit stack and a cancel scope per
request) cost as much CPU as a small view.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.types import Scope

from codemods.runtime.common.database import release, sessions_for
from codemods.runtime.flask.context import bind

__all__ = [
    "new_session",
    "release",
    "release_request_sessions",
    "request_session",
    "url_for_app",
    "with_driver",
]

SESSIONS_KEY = "strangler.sessions"  # the request's sessions still to release, in its scope


def with_driver(url: str) -> str:
    """Plain PostgreSQL URLs use the psycopg 3 driver, as the legacy app's do."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def url_for_app(request: Request) -> str:
    config = getattr(request.app.state, "config", None) or {}
    url = (
        os.environ.get("STRANGLER_DATABASE_URL")
        or config.get("SQLALCHEMY_DATABASE_URI")
        or os.environ.get("DATABASE_URL")
        or "sqlite://"
    )
    return with_driver(str(url))


def new_session(request: Request) -> Session:
    """A session on the database of the app serving `request`."""
    return sessions_for(url_for_app(request))()


def request_session(request: Request) -> Session:
    """A new session for `request`, bound with it for module helpers (`current_session()`) and
    released by the route class when the request is answered."""
    session = new_session(request)
    bind(request, session)
    request.scope.setdefault(SESSIONS_KEY, []).append(session)
    return session


async def release_request_sessions(scope: Scope) -> None:
    """Release the sessions `request_session` gave this request (see `release`)."""
    for session in scope.pop(SESSIONS_KEY, ()):
        await release(session)
