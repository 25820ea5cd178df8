"""The generated `database.py`: the session dependency of the migrated views."""

from __future__ import annotations

from pathlib import Path

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


DEFAULT_MODULE = "database"
# The name taken when the legacy package has a `database` module of its own (lemur's
# `lemur/database.py`), which converts to `database.py` and would hide `get_session`.
OWN_DATABASE_FALLBACK = "strangler_database"


def session_module(state: ModuleState) -> str:
    """The name of the generated session module, under the package's top."""
    root = getattr(state.analysis, "root", None)
    if isinstance(root, Path) and ((root / "database.py").exists() or (root / "database").is_dir()):
        return OWN_DATABASE_FALLBACK
    return DEFAULT_MODULE


def add_database_module(state: ModuleState) -> None:
    """Have the session module (`database.py`) written beside the converted package."""
    state.extra_files[f"{session_module(state)}.py"] = DATABASE_MODULE
