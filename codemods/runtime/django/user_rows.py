"""Django's user assigned to a row's foreign key, for the converted views. Permanent.

A view converted to SQLAlchemy still sets a row's key to the user from Django's request
(`task.created_by = request.user`); the row's relationship takes rows of the generated user
model, so the codemod writes `task.created_by = user_row(session, tables.User, request.user)`:
the user's row on the session, which the relationship then holds as Django's instance held the
user (`task.created_by.email` reads it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def user_row(session: Session, table: type[Any], user: Any) -> Any:
    """The row of `table` (the generated user model) for Django's `user`; Django's ValueError
    for a user with no row (the anonymous user)."""
    key = getattr(user, "pk", None)
    row = session.get(table, key) if key is not None else None
    if row is None:
        raise ValueError(f'Cannot assign "{user!r}": it must be a "{table.__name__}" instance.')
    return row
