"""The SQLAlchemy session of the converted Django views: on the database Django's settings name
(`DATABASES["default"]`), so both sides read and write the same tables. Permanent.

    def post_detail(request: DjangoRequest, pk: int, session: Session = Depends(get_session)):

`STRANGLER_DATABASE_URL`, when set, points the migrated side elsewhere on purpose.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, configure_mappers

from codemods.runtime.common.database import release, sessions_for

DRIVERS = {
    "django.db.backends.sqlite3": "sqlite",
    "django.db.backends.postgresql": "postgresql+psycopg",
    "django.db.backends.mysql": "mysql+pymysql",
}


class UnsupportedDatabase(ValueError):
    """Django's database engine has no SQLAlchemy driver here."""


def url_for_settings(database: Mapping[str, Any]) -> str:
    """The SQLAlchemy URL of one entry of Django's `DATABASES`."""
    engine = str(database.get("ENGINE", ""))
    driver = DRIVERS.get(engine)
    if driver is None:
        raise UnsupportedDatabase(f"no SQLAlchemy driver for Django's database engine {engine!r}")
    name = str(database.get("NAME") or "")
    if driver == "sqlite":
        if name.startswith("file:"):  # a URI: Django's test database is a shared in-memory one
            return f"sqlite:///{name}{'&' if '?' in name else '?'}uri=true"
        in_memory = not name or name == ":memory:"
        return "sqlite://" if in_memory else f"sqlite:///{name}"
    port = database.get("PORT")
    url = URL.create(
        driver,
        username=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=int(port) if port else None,
        database=name or None,
    )
    return url.render_as_string(hide_password=False)


def database_url() -> str:
    from django.conf import settings

    return os.environ.get("STRANGLER_DATABASE_URL") or url_for_settings(
        settings.DATABASES["default"]
    )


def new_session() -> Session:
    configure_mappers()  # the backrefs (`Tag.posts`, `Post.comments`) exist before any query
    return sessions_for(database_url())()


async def get_session() -> AsyncIterator[Session]:
    """The request's session (a FastAPI dependency), closed after the response."""
    session = new_session()
    try:
        yield session
    finally:
        await release(session)
