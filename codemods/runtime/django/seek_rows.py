"""A converted queryset given to infinite-scroll-pagination's seek paginator: `seek_rows(session,
stmt)` is the statement as much of a Django `QuerySet` as `SeekPaginator` and its pages use
(`filter(Q)` of plain and `__lt/__lte/__gt/__gte` lookups on the model's columns, `order_by`,
`exists()`, `count()`, a `[:n]` slice, iteration), so the library's own code seeks, orders and
builds the page keys as it does on Django's queryset. It is a `QuerySet` subclass only for the
library's `isinstance(query_set, QuerySet)` check: none of Django's query machinery is set up,
and any other queryset method raises. Permanent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select
from sqlalchemy.orm import Session

_OPERATORS = {
    "exact": lambda column, value: column == value,
    "lt": lambda column, value: column < value,
    "lte": lambda column, value: column <= value,
    "gt": lambda column, value: column > value,
    "gte": lambda column, value: column >= value,
}


class SeekRows(QuerySet):
    """The rows of `statement` (on `session`) for the seek paginator."""

    def __init__(self, session: Session, statement: Select[Any]) -> None:  # no QuerySet setup
        self.session = session
        self.statement = statement

    @property
    def entity(self) -> Any:
        return self.statement.column_descriptions[0]["entity"]

    def _with(self, statement: Select[Any]) -> SeekRows:
        return SeekRows(self.session, statement)

    def _column(self, name: str) -> Any:
        if name == "pk":
            return self.entity.__mapper__.primary_key[0]
        if "__" in name or not hasattr(self.entity, name):
            raise TypeError(f"{name}: only the model's own columns are read by seek_rows")
        return getattr(self.entity, name)

    def _condition(self, lookup: str, value: Any) -> ColumnElement[bool]:
        name, _, operator = lookup.partition("__")
        column = self._column(name)
        if operator not in ("", *_OPERATORS):
            raise TypeError(f"{lookup}: a lookup seek_rows does not read")
        if isinstance(value, str) and column.type.python_type is int:
            value = int(value)  # the page key's pk, a string Django would convert
        condition: ColumnElement[bool] = _OPERATORS[operator or "exact"](column, value)
        return condition

    def _q(self, q: Q) -> ColumnElement[bool]:
        parts = [
            self._q(child) if isinstance(child, Q) else self._condition(*child)
            for child in q.children
        ]
        joined = or_(*parts) if q.connector == Q.OR else and_(*parts)
        return not_(joined) if q.negated else joined

    def filter(self, *args: Any, **kwargs: Any) -> SeekRows:
        q = Q(*args, **kwargs)
        return self._with(self.statement.where(self._q(q)))

    def order_by(self, *names: str) -> SeekRows:
        clauses = [
            self._column(name.lstrip("-")).desc()
            if name.startswith("-")
            else self._column(name).asc()
            for name in names
        ]
        return self._with(self.statement.order_by(None).order_by(*clauses))

    def exists(self) -> bool:
        return bool(self.session.scalar(select(exists(self.statement.order_by(None)))))

    def count(self) -> int:
        counted = select(func.count()).select_from(self.statement.order_by(None).subquery())
        return int(self.session.scalar(counted) or 0)

    def __getitem__(self, window: Any) -> Any:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("only [start:stop] slices of the rows are read")
        start = window.start or 0
        statement = self.statement.offset(start) if start else self.statement
        if window.stop is not None:
            statement = statement.limit(max(window.stop - start, 0))
        return self._with(statement)

    def _rows(self) -> list[Any]:
        return list(self.session.scalars(self.statement).unique().all())

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows())

    def __len__(self) -> int:  # `list(rows)` asks it first
        return len(self._rows())

    def __bool__(self) -> bool:
        return self.exists()

    def __repr__(self) -> str:
        return f"<SeekRows {self.entity.__name__}>"


def seek_rows(session: Session, statement: Select[Any]) -> SeekRows:
    return SeekRows(session, statement)
