"""Django's equality of model instances for the generated rows that stand for Django's own
models (django.contrib.auth's User and Group). Permanent.

Django's `Model.__eq__` holds two instances of one model with the same primary key equal; a view
converted to SQLAlchemy still compares a row with Django's `request.user`
(`task.created_by == request.user`), which must answer as it did. `DjangoEquality` holds a row
equal to a row of its class or to a Django instance on the same table with the same key; Django's
own `__eq__` returns NotImplemented for a row, so Python asks the row, both ways round.
"""

from __future__ import annotations

from typing import Any


class DjangoEquality:
    """`==` and `hash()` as Django's model instances have them, by primary key."""

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not _same_table(self, other):
            return NotImplemented
        key = getattr(self, "pk", None)
        return key is not None and key == getattr(other, "pk", None)

    def __hash__(self) -> int:
        key = getattr(self, "pk", None)
        return id(self) if key is None else hash(key)


def _same_table(row: Any, other: object) -> bool:
    if isinstance(other, type(row)) or isinstance(row, type(other)):
        return True
    meta = getattr(type(other), "_meta", None)  # a Django model instance
    return getattr(meta, "db_table", None) == getattr(row, "__tablename__", object())
