"""Django's `QuerySet.datetimes()` and `dates()` over the values of a column, for the date-based
generic views on SQLAlchemy rows (`Rows.datetimes`, `Rows.dates`: generic.py). Permanent while
the date views stay Django's.

Django truncates each value in SQL (`Trunc`), in the current time zone when `USE_TZ` is on (a
`DateTimeField`'s aware value is first seen in that zone), leaves NULLs out, and answers the
distinct truncated values in order. The same is done here in Python on the column's distinct
values: `datetimes()` answers aware datetimes in the current zone (naive without `USE_TZ`),
`dates()` answers `date`s; a week starts on Monday, as Django's `week` truncation does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

DATETIME_KINDS = ("year", "month", "week", "day", "hour", "minute", "second")
DATE_KINDS = ("year", "month", "week", "day")


def _check(kind: str, order: str, kinds: tuple[str, ...]) -> None:
    if kind not in kinds:  # Django's messages
        names = ", ".join(f"'{k}'" for k in kinds[:-1])
        raise ValueError(f"'kind' must be one of {names}, or '{kinds[-1]}'.")
    if order not in ("ASC", "DESC"):
        raise ValueError("'order' must be either 'ASC' or 'DESC'.")


def _local(value: datetime.datetime, tzinfo: Any) -> datetime.datetime:
    """The value as the database's truncation sees it: in `tzinfo`, naive (None: as stored)."""
    if tzinfo is None or value.tzinfo is None:
        return value.replace(tzinfo=None) if tzinfo is None else value
    return value.astimezone(tzinfo).replace(tzinfo=None)


def _truncated(value: datetime.datetime, kind: str) -> datetime.datetime:
    if kind == "week":
        start = value - datetime.timedelta(days=value.weekday())
        return start.replace(hour=0, minute=0, second=0, microsecond=0)
    fields = ("year", "month", "day", "hour", "minute", "second")
    kept = fields.index(kind) + 1
    parts = [getattr(value, f) for f in fields[:kept]] + [1, 1][: max(0, 3 - kept)]
    return datetime.datetime(*parts)


def _as_datetime(value: datetime.date) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time.min)


def _tzinfo(given: Any = None) -> Any:
    """The zone Django truncates in: the one given, else the current one (None: no `USE_TZ`)."""
    from django.conf import settings
    from django.utils import timezone

    return (given or timezone.get_current_timezone()) if settings.USE_TZ else None


def datetimes(
    values: Iterable[Any], kind: str, order: str = "ASC", tzinfo: Any = None
) -> list[Any]:
    """`QuerySet.datetimes(field, kind, order, tzinfo)` over the field's values."""
    _check(kind, order, DATETIME_KINDS)
    zone = _tzinfo(tzinfo)
    found = set()
    for value in values:
        if value is None:
            continue
        truncated = _truncated(_local(_as_datetime(value), zone), kind)
        found.add(truncated.replace(tzinfo=zone) if zone is not None else truncated)
    return sorted(found, reverse=order == "DESC")


def dates(values: Iterable[Any], kind: str, order: str = "ASC") -> list[datetime.date]:
    """`QuerySet.dates(field, kind, order)` over the field's values (a `DateTimeField`'s seen
    in the current time zone)."""
    _check(kind, order, DATE_KINDS)
    zone = _tzinfo()
    found = set()
    for value in values:
        if value is None:
            continue
        local = _local(_as_datetime(value), zone)
        found.add(_truncated(local, kind).date())
    return sorted(found, reverse=order == "DESC")
