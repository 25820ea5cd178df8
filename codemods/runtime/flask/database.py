"""The legacy app's database for the migrated views, found the way Flask-SQLAlchemy finds it.
Permanent: the migrated views' SQLAlchemy sessions.

`STRANGLER_DATABASE_URL` when set (to point the migrated side elsewhere on purpose), else the app's
`SQLALCHEMY_DATABASE_URI` (its config, filled by the generated factory exactly as the legacy
factory fills it, defaults included), else `DATABASE_URL`, else an in-memory SQLite database.
One engine per URL, made on first use.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session
from starlette.requests import Request

from codemods.runtime.common.database import release, sessions_for

__all__ = ["new_session", "release", "url_for_app", "with_driver"]


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
