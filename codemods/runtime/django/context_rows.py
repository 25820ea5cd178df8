"""A function view's queryset handed to its template, as the converted view hands it: the rows
of the statement, a list answering what a template reads of Django's queryset. Permanent.

    context = {"found_tasks": found_tasks}
->  context = {"found_tasks": context_rows(session, found_tasks)}

The rows are read where the context is built (as `session.scalars(stmt).all()` reads them), and
`{{ found_tasks.count }}`, `.exists` and `.all` answer as Django's queryset does (a plain list's
`count` wants an argument, so Django's template would render ""). A variable that may hold None
instead of a queryset (`found_tasks = None` on one branch) gives the template None, as Django's
view does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


class ContextRows(list[Any]):
    """The rows, with the queryset methods a template calls without arguments."""

    def count(self, *value: Any) -> int:
        """Django's `queryset.count()`: how many rows; `list.count(x)` with an argument."""
        return super().count(*value) if value else len(self)

    def exists(self) -> bool:
        return bool(self)

    def all(self) -> ContextRows:
        return self


def context_rows(session: Session, statement: Select[Any] | None) -> ContextRows | None:
    """The rows `statement` selects (None for None)."""
    if statement is None:
        return None
    return ContextRows(session.scalars(statement).unique().all())
