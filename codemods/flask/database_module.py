"""The generated `database.py`: the session dependency of the migrated views."""

from __future__ import annotations

from codemods.engine.state import ModuleState

DATABASE_MODULE = '''"""The SQLAlchemy session of the migrated views: the legacy app's database (see
codemods/runtime/flask/database.py for how its URL is found)."""

from collections.abc import AsyncIterator

from fastapi import Request
from sqlalchemy.orm import Session

from codemods.runtime.flask.context import bind
from codemods.runtime.flask.database import new_session, release


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session, bound with the request for module helpers (`current_session()`):
    async, so the threadpool running sync handlers copies the binding into them."""
    session = new_session(request)
    bind(request, session)
    try:
        yield session
    finally:
        await release(session)
'''


def add_database_module(state: ModuleState) -> None:
    """Have `database.py` written beside the converted package."""
    state.extra_files["database.py"] = DATABASE_MODULE
