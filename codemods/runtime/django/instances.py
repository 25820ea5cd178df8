"""Django's model-instance methods, for the converted views working on SQLAlchemy instances
(codemods/django/view_queries.py writes the calls). Permanent.

    post.save()            ->  save(session, post)
    post.delete()          ->  delete(session, post)
    post.tags.set(tags)    ->  set_related(session, post, "tags", tags)

Each commits at once, as Django's autocommit does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import MANYTOONE, Session


def save(session: Session, instance: Any) -> None:
    """Django's `instance.save()`: written now; `auto_now` columns (those with an `onupdate`)
    take the current time on every save, even when nothing else changed, as Django's do."""
    for column in instance.__table__.columns:
        if column.onupdate is not None:
            setattr(instance, column.key, datetime.now(UTC))
    session.add(instance)
    session.commit()


def delete(session: Session, instance: Any) -> None:
    """Django's `instance.delete()`: the row and, through the relationships' cascades, the rows
    Django's `on_delete=CASCADE` removes (and the instance's many-to-many links). The instance
    stays readable as Django's does: its foreign keys' rows are loaded first (a deleted row is
    detached by the commit and could not load them), and its primary key is then None."""
    mapper = inspect(instance).mapper
    for relation in mapper.relationships:
        if relation.direction is MANYTOONE:
            getattr(instance, relation.key)
    session.delete(instance)
    session.commit()
    for column in mapper.primary_key:
        setattr(instance, mapper.get_property_by_column(column).key, None)


def set_related(session: Session, instance: Any, name: str, values: Iterable[Any]) -> None:
    """Django's `instance.<many-to-many>.set(values)`: the links replaced by these."""
    setattr(instance, name, list(values))
    session.commit()
