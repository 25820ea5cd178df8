"""What Django's querysets do that plain `select()` does not, for the converted queries
(codemods/django/querysets.py writes the calls). Permanent.

- `ordered(stmt)`: Django's default ordering (the model's `Meta.ordering`, kept by the models
  rule as `__ordering__`); `first()` falls back to the primary key as Django's does.
- `reversed_order(stmt)`: `last()`'s ordering, each ORDER BY clause reversed as Django's
  `reverse()` does (`-date, -pk` -> `date, pk`).
- `related(Post.tags, slug=value)`, `related(Comment.topic, related(Topic.category, cond))`:
  relation traversal (`tags__slug=`, `topic__category__is_removed=`), `any()` for a
  collection and `has()` for a single object, nested along a path; `keyed_rows(key, owner)` for
  the reverse relation of a foreign key with no related_name (an EXISTS on the key).
- `is_null(column, flag)`: `__isnull=True/False`.
- `get_one`, `get_or_404`, `create`: `.get()` (Django's `DoesNotExist`/`MultipleObjectsReturned`
  of the legacy model), `get_object_or_404` (Django's `Http404` with its message, which the
  runtime answers as Django's 404 page) and `.objects.create()` (committed at once, as Django's
  autocommit does).
- `get_or_create(session, stmt, **fields)`: `.get_or_create()`, the row read again when a
  concurrent insert wins the unique constraint (Django's IntegrityError handling).
- `update_or_create(session, stmt, defaults, **lookups)`: `.update_or_create()`, the row found
  (read for update) given the defaults and saved, else created as `get_or_create` creates it.
- `in_user_groups(Group.id, user)`: `user.groups`, through Django's `auth_user_groups`;
  `in_group_users(User.id, group)`: `group.user_set`, the other way.
- `in_year(column, year)`: `__year=`, the range of that year in UTC (Django's BETWEEN).
- `annotated(result, *names)`: `.annotate(...)` rows, each instance given its counted names.
- `update_rows(session, stmt, **fields)`: `queryset.update(...)`, one UPDATE of the rows `stmt`
  selects, committed, their number returned; `auto_now` columns are left as they are, as
  Django's `update()` leaves them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.http import Http404
from sqlalchemy import ColumnElement, Result, Select, exists, select, table, update
from sqlalchemy import column as table_column
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, MultipleResultsFound
from sqlalchemy.orm import InstrumentedAttribute, Session, object_session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql import operators

T = TypeVar("T")


def _entity(statement: Select[Any]) -> Any:
    return statement.column_descriptions[0]["entity"]


def ordered(statement: Select[Any], by_pk: bool = False) -> Select[Any]:
    """`statement` ordered as Django orders the model's querysets by default."""
    model = _entity(statement)
    ordering = list(getattr(model, "__ordering__", None) or [])
    if not ordering and not by_pk:
        return statement
    if not ordering:
        ordering = [column.key for column in model.__mapper__.primary_key]
    clauses = []
    for name in ordering:
        descending = name.startswith("-")
        field = name.lstrip("-")
        column = getattr(model, "id" if field == "pk" else field)
        clauses.append(column.desc() if descending else column.asc())
    return statement.order_by(*clauses)


@dataclass(frozen=True)
class KeyedRows:
    """The rows of another model whose foreign key `key` holds the row's `owner` key: Django's
    reverse relation of a foreign key with no related_name (`topicunread__is_read=False`),
    which the generated model has no relationship for."""

    key: InstrumentedAttribute[Any]
    owner: InstrumentedAttribute[Any]


def keyed_rows(key: InstrumentedAttribute[Any], owner: InstrumentedAttribute[Any]) -> KeyedRows:
    return KeyedRows(key, owner)


def reversed_order(statement: Select[Any]) -> Select[Any]:
    """`statement` with each of its ORDER BY clauses reversed: ascending ones descending and
    descending ones ascending, as Django's `QuerySet.reverse()` (`last()` reads its first row)."""
    clauses = []
    for clause in statement._order_by_clauses:
        modifier = getattr(clause, "modifier", None)
        if modifier is operators.desc_op:
            clauses.append(clause.element.asc())
        elif modifier is operators.asc_op:
            clauses.append(clause.element.desc())
        elif modifier is None:
            clauses.append(clause.desc())
        else:
            raise ValueError(f"cannot reverse the ordering {clause}")
    return statement.order_by(None).order_by(*clauses)


def related(
    relation: InstrumentedAttribute[Any] | KeyedRows,
    criterion: ColumnElement[bool] | None = None,
    **equal: Any,
) -> ColumnElement[bool]:
    """Rows whose `relation` holds an object meeting `criterion` (a condition on the related
    model, itself a `related(...)` for a longer path) and with these values (Django's
    `rel__field=value`, `rel__other__field=value`): an EXISTS on the related rows."""
    if isinstance(relation, KeyedRows):
        model = relation.key.class_
        conditions = [relation.key == relation.owner]
        conditions += [criterion] if criterion is not None else []
        conditions += [getattr(model, name) == value for name, value in equal.items()]
        return exists(select(model).where(*conditions).correlate_except(model))
    if relation.property.uselist:
        return relation.any(criterion, **equal)
    return relation.has(criterion, **equal)


def is_null(column: InstrumentedAttribute[Any], flag: bool) -> ColumnElement[bool]:
    return column.is_(None) if flag else column.is_not(None)


MAX_GET_RESULTS = 21  # Django's QuerySet.get() reads at most this many rows


def get_one(session: Session, statement: Select[Any], legacy: Any = None) -> Any:
    """Django's `.get()`: exactly one row, else an error (a 500, as in Django). With the legacy
    model class, the error is Django's own, with its message: `Post.DoesNotExist`,
    `Post.MultipleObjectsReturned`, which the view's `except Post.DoesNotExist:` catches."""
    if legacy is None:
        return session.scalars(statement).unique().one()
    found = session.scalars(statement.limit(MAX_GET_RESULTS)).unique().all()
    if len(found) == 1:
        return found[0]
    name = legacy._meta.object_name
    if not found:
        raise legacy.DoesNotExist(f"{name} matching query does not exist.")
    many = "more than 20" if len(found) == MAX_GET_RESULTS else str(len(found))
    raise legacy.MultipleObjectsReturned(
        f"get() returned more than one {name} -- it returned {many}!"
    )


def get_or_404(session: Session, statement: Select[Any]) -> Any:
    """Django's `get_object_or_404`: the one row, or `Http404` with Django's message."""
    found = session.scalars(statement).unique().one_or_none()
    if found is None:
        raise Http404(f"No {_entity(statement).__name__} matches the given query.")
    return found


def create(session: Session, model: type[T], **fields: Any) -> T:
    """Django's `.objects.create()`: the row inserted and committed."""
    instance = model(**fields)
    session.add(instance)
    session.commit()
    return instance


def get_or_create(session: Session, statement: Select[Any], **fields: Any) -> tuple[Any, bool]:
    """Django's `.get_or_create(**lookups, defaults=...)`: (the row `statement` selects, False),
    else (a row made of `fields`, the lookups' and the defaults', committed, True). More than
    one row raises, as Django's `get()` does. When the insert breaks a unique constraint
    (another request created the row between the read and the write), the row is read again
    and returned, as Django does; if there is none, the IntegrityError is raised. The runtime's
    writes are committed as they are made, so the rollback undoes only this insert."""
    found = session.scalars(statement.limit(2)).unique().all()
    if len(found) > 1:
        raise MultipleResultsFound(f"get_or_create() found {len(found)} rows, not one")
    if found:
        return found[0], False
    row = _entity(statement)(**fields)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        again = session.scalars(statement).unique().one_or_none()
        if again is None:
            raise
        return again, False
    return row, True


def update_or_create(
    session: Session, statement: Select[Any], defaults: Mapping[str, Any], /, **lookups: Any
) -> tuple[Any, bool]:
    """Django's `.update_or_create(**lookups, defaults={...})`: the row `statement` selects,
    read for update, given the defaults (a callable called, as Django resolves them) and saved
    with every default column written, committed: (row, False); else the row made of the
    lookups and the defaults, as `get_or_create` makes it: (row, True)."""
    values = {name: value() if callable(value) else value for name, value in defaults.items()}
    row, created = get_or_create(session, statement.with_for_update(), **{**lookups, **values})
    if created:
        return row, True
    for name, value in values.items():
        setattr(row, name, value)
        flag_modified(row, name)  # written even when unchanged, as Django's save() writes it
    session.commit()
    return row, False


def aggregated(
    session: Session, statement: Select[Any], *values: ColumnElement[Any]
) -> dict[str, Any]:
    """Django's `queryset.aggregate(name=Max("field"), ...)`: {name: value} over the statement's
    rows (`values` labelled with the names; its ordering dropped, as Django drops it)."""
    row = session.execute(statement.with_only_columns(*values).order_by(None)).one()
    return dict(row._mapping)


def pk_of(value: Any) -> Any:
    """The primary key of a Django or SQLAlchemy model instance, or `value` itself (a key)."""
    if hasattr(value, "_meta") and hasattr(value, "pk"):
        return value.pk
    state = sa_inspect(value, raiseerr=False)
    if state is not None and getattr(state, "identity", None):
        return state.identity[0]
    return value


def pks_of(values: Iterable[Any]) -> list[Any]:
    """The keys of `values` (instances or keys), as Django's `fk__in=values` compares them."""
    return [pk_of(value) for value in values]


def update_rows(session: Session, statement: Select[Any], **fields: Any) -> int:
    """Django's `queryset.update(**fields)`: the number of rows changed."""
    model = _entity(statement)
    for column in model.__table__.columns:
        if column.onupdate is not None and column.key not in fields:
            fields[column.key] = getattr(model, column.key)  # kept: no auto_now on update()
    change = update(model).values(**fields).execution_options(synchronize_session=False)
    if statement.whereclause is not None:
        change = change.where(statement.whereclause)
    result = session.execute(change)
    session.commit()
    return int(getattr(result, "rowcount", 0))


# Django's link of users to their groups (django.contrib.auth's User.groups), as a bare table:
# no model of the generated module maps it.
USER_GROUPS = table("auth_user_groups", table_column("user_id"), table_column("group_id"))


def in_user_groups(group_id: InstrumentedAttribute[Any], user: Any) -> ColumnElement[bool]:
    """Groups (by their `id` column) the user belongs to: Django's `user.groups`."""
    linked = select(USER_GROUPS.c.group_id).where(USER_GROUPS.c.user_id == pk_of(user))
    return group_id.in_(linked)


def in_group_users(user_id: InstrumentedAttribute[Any], group: Any) -> ColumnElement[bool]:
    """Users (by their `id` column) in the group: Django's `group.user_set`."""
    linked = select(USER_GROUPS.c.user_id).where(USER_GROUPS.c.group_id == pk_of(group))
    return user_id.in_(linked)


def in_year(column: InstrumentedAttribute[Any], year: int) -> ColumnElement[bool]:
    """Django's `field__year=year` on a datetime under USE_TZ (UTC): the whole year."""
    start = datetime(int(year), 1, 1, tzinfo=UTC)
    end = datetime(int(year), 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    return column.between(start, end)


def annotated(result: Result[Any], *names: str) -> list[Any]:
    """The rows of `select(Model, count.label(name), ...)` as Django's annotated instances:
    each model instance with its counts set as attributes."""
    rows = []
    for row in result:
        instance = row[0]
        values: tuple[Any, ...] = tuple(row[1:])
        for name, value in zip(names, values, strict=True):
            setattr(instance, name, value)
        rows.append(instance)
    return rows


def related_row(instance: Any, model: type[T], key: Any) -> T | None:
    """A foreign key's row when the related model is in another generated models module (no
    relationship joins their declarative bases): loaded by its key on the instance's session,
    as Django's `instance.<fk>` loads it; None for a null key."""
    if key is None:
        return None
    session = object_session(instance)
    if session is None:
        raise RuntimeError(
            f"{type(instance).__name__} is not on a session: its related row cannot be loaded"
        )
    return session.get(model, key)
