"""Django's `queryset.order_by(name)` where the name is a value known at run time (a string the
request chose: django-postman's folders order by `get_order_by(request.GET)`, one of
`'sender__username'`, `'-recipient__username'`, `'subject'`, `'-sent_at'`). Permanent.

Each name is a field of the model, `pk`, or a path through its foreign keys to a field of the
related model (`sender__username`), descending when it starts with `-`. A path is joined as
Django joins a nullable foreign key for ordering, LEFT OUTER, once however many names follow it.
The names replace the statement's ordering, as `order_by()` replaces Django's. Rows tied on the
names come in the database's order, which Django leaves unspecified too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.relationships import RelationshipProperty


class UnknownOrdering(ValueError):
    """A name that is no field, key or foreign-key path of the model (Django's FieldError)."""


def ordered_by_names(statement: Select[Any], *names: str) -> Select[Any]:
    """`statement` ordered by Django's field names `names`, its earlier ordering dropped."""
    model = statement.column_descriptions[0]["entity"]
    joined: dict[tuple[str, ...], Any] = {}
    clauses: list[ColumnElement[Any]] = []
    statement = statement.order_by(None)
    for name in names:
        descending = name.startswith("-")
        *path, field = name.lstrip("-").split("__")
        current = model
        for depth, part in enumerate(path):
            key = tuple(path[: depth + 1])
            if key not in joined:
                relation = _relation(current, part, name)
                target = aliased(relation.property.mapper.class_)
                statement = statement.outerjoin(target, relation.of_type(target))
                joined[key] = target
            current = joined[key]
        column = _column(current, field, name)
        clauses.append(column.desc() if descending else column.asc())
    return statement.order_by(*clauses)


def _relation(model: Any, part: str, name: str) -> Any:
    relation = getattr(model, part, None)
    if relation is None or not isinstance(
        getattr(relation, "property", None), RelationshipProperty
    ):
        raise UnknownOrdering(f"cannot order by {name!r}: {part!r} is not a foreign key")
    if relation.property.uselist:
        raise UnknownOrdering(f"cannot order by {name!r}: {part!r} is a to-many relation")
    return relation


def _column(model: Any, field: str, name: str) -> Any:
    mapper = model.__mapper__ if hasattr(model, "__mapper__") else None
    if field == "pk" and mapper is not None:
        (key,) = mapper.primary_key
        return getattr(model, key.key)
    column = getattr(model, field, None)
    prop = getattr(column, "property", None)
    if column is None or prop is None or isinstance(prop, RelationshipProperty):
        raise UnknownOrdering(f"cannot order by {name!r}: {field!r} is not a column")
    return column
