"""Django's model-instance methods, for the converted views working on SQLAlchemy instances
(codemods/django/view_queries.py writes the calls). Permanent.

    post.save()            ->  save(session, post)
    post.delete()          ->  delete(session, post)
    Post.objects.filter(...).delete()  ->  delete_rows(session, select(tables.Post).where(...))
    post.tags.set(tags)    ->  set_related(session, post, "tags", tags)

Each commits at once, as Django's autocommit does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import MANYTOONE, Session, object_session
from sqlalchemy.orm.attributes import flag_modified


def save(session: Session, instance: Any) -> None:
    """Django's `instance.save()`: written now; `auto_now` columns (those with an `onupdate`)
    take the current time on every save, even when nothing else changed, as Django's do. A model
    with its own `save()` (kept on a `RowSave` row, codemods/django/own_save.py) runs it: it ends
    in the write; one whose own `save()` queries has a twin (`save_with_session`,
    codemods/django/save_twins.py), run before the row's changes reach the database, as Django's
    queries run before its write: the row is taken off the session until the twin writes it."""
    own_save = getattr(instance, "save_with_session", None)
    if own_save is not None:
        if instance in session:
            session.expunge(instance)
        own_save(session=session)
        return
    session.add(instance)
    if isinstance(instance, RowSave) and type(instance).save is not RowSave.save:
        instance.save()
    else:
        _write(session, instance)


def write_row(session: Session, instance: Any) -> None:
    """The parent `save()` of a model's own querying save (its twin's last statement): every
    column written, as Django's save writes them (the twin's queries may have changed the row's
    stored values since it was read)."""
    session.add(instance)
    state = inspect(instance)
    if state.has_identity:
        for attribute in state.mapper.column_attrs:
            if attribute.key in state.dict:
                flag_modified(instance, attribute.key)
    _write(session, instance)


def _write(session: Session, instance: Any) -> None:
    for column in instance.__table__.columns:
        if column.onupdate is not None:
            setattr(instance, column.key, datetime.now(UTC))
    session.add(instance)
    try:
        session.commit()
    except Exception:
        # Django's autocommit leaves the connection usable after a refused write (a view
        # catching IntegrityError goes on querying); the session needs its rollback for that
        session.rollback()
        raise


class RowSave:
    """The parent `save()` of a model's own `save()` kept on its generated row: the row written
    on its session, as `save(session, row)` writes it."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        session = object_session(self)
        if session is None:
            raise RuntimeError(f"{type(self).__name__} is not on a session: save(session, row)")
        _write(session, self)


def stored_row(instance: Any) -> Any:
    """`Model.objects.get(pk=self.pk)` in a model's own `save()` (codemods/django/stored_save.py):
    the row's columns as the database holds them, apart from the row (whose changes are not
    flushed for it), read on its session; Django's `DoesNotExist` when there is none."""
    table: Any = type(instance)
    columns = [getattr(table, a.key) for a in inspect(table).column_attrs]
    with _session_of(instance).no_autoflush as session:
        found = session.execute(select(*columns).where(_by_pk(instance))).one_or_none()
    if found is None:
        from codemods.runtime.django.generic import django_model  # it imports this module

        model = django_model(table)
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    return SimpleNamespace(**found._asdict())


def stored_count(instance: Any) -> int:
    """`Model.objects.filter(pk=self.pk).count()` in a model's own `save()`: 1 when the
    database holds the row, else 0, its pending changes not flushed."""
    with _session_of(instance).no_autoflush as session:
        count = session.scalar(
            select(func.count()).select_from(type(instance)).where(_by_pk(instance))
        )
    return int(count or 0)


def _session_of(instance: Any) -> Session:
    session = object_session(instance)
    if session is None:
        raise RuntimeError(f"{type(instance).__name__} is not on a session: save(session, row)")
    return session


def _by_pk(instance: Any) -> Any:
    (key,) = inspect(type(instance)).primary_key
    return key == instance.pk


def delete(session: Session, instance: Any, cascade: Iterable[Any] = ()) -> None:
    """Django's `instance.delete()`: the row and the rows Django's `on_delete=CASCADE` removes,
    through the relationships' cascades and the `cascade` keys (`[Comment.task_id]`: the rows
    whose key holds a deleted row's, first, transitively), and the deleted rows' many-to-many
    links. The instance stays readable as Django's does: its foreign keys' rows are loaded first
    (a deleted row is detached by the commit and could not load them), and its primary key is
    then None."""
    mapper = inspect(instance).mapper
    for relation in mapper.relationships:
        if relation.direction is MANYTOONE:
            getattr(instance, relation.key)
    keys = list(cascade)
    _delete_pointing(session, instance, keys, {id(instance)})
    session.delete(instance)
    session.commit()
    for column in mapper.primary_key:
        setattr(instance, mapper.get_property_by_column(column).key, None)


def delete_rows(session: Session, statement: Any, cascade: Iterable[Any] = ()) -> None:
    """Django's `queryset.delete()`: every row the statement selects, and what Django's
    `on_delete=CASCADE` removes with it (as `delete()`), in one transaction as Django's
    collector deletes them. A model's own `delete()` is not run, as Django's queryset does not
    call it."""
    keys = list(cascade)
    rows = session.scalars(statement).unique().all()
    seen = {id(row) for row in rows}
    for row in rows:
        _delete_pointing(session, row, keys, seen)
        session.delete(row)
    session.commit()


def _delete_pointing(session: Session, instance: Any, keys: list[Any], seen: set[int]) -> None:
    table = instance.__table__
    for key in keys:
        column = key.property.columns[0]
        if not any(foreign.column.table is table for foreign in column.foreign_keys):
            continue
        for row in session.scalars(select(key.class_).where(key == instance.pk)).all():
            if id(row) in seen:
                continue
            seen.add(id(row))
            _delete_pointing(session, row, keys, seen)
            session.delete(row)
    session.flush()  # the pointing rows go first, as Django's collector deletes them


def set_related(session: Session, instance: Any, name: str, values: Iterable[Any]) -> None:
    """Django's `instance.<many-to-many>.set(values)`: the links replaced by these."""
    setattr(instance, name, list(values))
    session.commit()
