"""`db.paginate(select, page=, per_page=, max_per_page=, error_out=)`: Flask-SQLAlchemy 3's
pagination on a SQLAlchemy 2.0 session, with its exact clamping and 404 rules. Permanent."""

from __future__ import annotations

from collections.abc import Iterator
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, lazyload

from codemods.runtime.flask.compat import abort


def _from_args(key: str, default: int, error_out: bool) -> int:
    """`int(request.args.get(key, default))` of the current request, like Flask-SQLAlchemy."""
    from codemods.runtime.flask.context import current_request

    try:
        raw = current_request().query_params.get(key)
    except RuntimeError:  # no request: the defaults
        return default
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        if error_out:
            abort(404)
        return default


def page_args(
    page: int | None, per_page: int | None, max_per_page: int | None, error_out: bool
) -> tuple[int, int]:
    """Flask-SQLAlchemy's `Pagination._prepare_page_args`."""
    if page is None:
        page = _from_args("page", 1, error_out)
    if per_page is None:
        per_page = _from_args("per_page", 20, error_out)
    if max_per_page is not None:
        per_page = min(per_page, max_per_page)
    if page < 1:
        if error_out:
            abort(404)
        page = 1
    if per_page < 1:
        if error_out:
            abort(404)
        per_page = 20
    return page, per_page


class Pagination:
    """What `db.paginate` returns: `items`, `page`, `per_page`, `total`, `pages`, ..."""

    def __init__(
        self,
        session: Session,
        statement: Select[Any],
        *,
        page: int,
        per_page: int,
        max_per_page: int | None,
        error_out: bool,
        count: bool,
    ) -> None:
        self._session = session
        self._statement = statement
        self.page = page
        self.per_page = per_page
        self.max_per_page = max_per_page
        limited = statement.limit(per_page).offset((page - 1) * per_page)
        self.items: list[Any] = list(session.execute(limited).unique().scalars())
        if not self.items and page != 1 and error_out:
            abort(404)
        self.total: int | None = None
        if count:
            sub = statement.options(lazyload("*")).order_by(None).subquery()
            self.total = session.execute(select(func.count()).select_from(sub)).scalar()

    @property
    def first(self) -> int:
        return 0 if not self.items else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return max(self.first, self.first + len(self.items) - 1)

    @property
    def pages(self) -> int:
        if not self.total:
            return 0
        return ceil(self.total / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def __iter__(self) -> Iterator[Any]:
        yield from self.items


def paginate(
    session: Session,
    statement: Select[Any],
    *,
    page: int | None = None,
    per_page: int | None = None,
    max_per_page: int | None = None,
    error_out: bool = True,
    count: bool = True,
) -> Pagination:
    """`db.paginate(...)`: the page and per_page default to the request's query arguments."""
    page, per_page = page_args(page, per_page, max_per_page, error_out)
    return Pagination(
        session,
        statement,
        page=page,
        per_page=per_page,
        max_per_page=max_per_page,
        error_out=error_out,
        count=count,
    )
