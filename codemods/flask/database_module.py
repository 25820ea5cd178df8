"""The generated `database.py`: the session dependency of the migrated views."""

from __future__ import annotations

from codemods.engine.state import ModuleState

DATABASE_MODULE = '''"""The SQLAlchemy session of the migrated views: the legacy app's database (see
codemods/runtime/flask/database.py for how its URL is found)."""

from fastapi import Request
from sqlalchemy.orm import Session

from codemods.runtime.flask.database import request_session


async def get_session(request: Request) -> Session:
    """The request's session, bound with the request for module helpers (`current_session()`)
    and closed when the request is answered: async, so the thread running a sync handler sees
    the binding."""
    return request_session(request)
'''


def add_database_module(state: ModuleState) -> None:
    """Have `database.py` written beside the converted package."""
    state.extra_files["database.py"] = DATABASE_MODULE
