"""Django's `Paginator` over a converted queryset: `Paginator(selected(session, stmt), n)`
keeps Django's own class, so page numbers, `EmptyPage`/`PageNotAnInteger` and every page
attribute are Django's; `selected` gives it what it asks of a queryset (`count()` and a slice)
as a COUNT and a LIMIT/OFFSET on the statement. Permanent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


class SelectedRows:
    """The rows of a statement, as much of a sequence as Django's Paginator uses."""

    def __init__(self, session: Session, statement: Select[Any]) -> None:
        self.session = session
        self.statement = statement

    def count(self) -> int:
        counted = select(func.count()).select_from(self.statement.order_by(None).subquery())
        return int(self.session.scalar(counted) or 0)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("only [start:stop] slices of the rows are read")
        start = window.start or 0
        statement = self.statement.offset(start)
        if window.stop is not None:
            statement = statement.limit(max(window.stop - start, 0))
        return list(self.session.scalars(statement).unique().all())


def selected(session: Session, statement: Select[Any]) -> SelectedRows:
    return SelectedRows(session, statement)
