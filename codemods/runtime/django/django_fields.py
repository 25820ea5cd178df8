"""A column stored through Django's own model field: django-cryptography's `encrypt(...)`
(codemods/django/encrypted_fields.py writes the type). The row reads the value Django's
instance holds (the field's `from_db_value`) and writes what Django would store (its
`get_db_prep_save`), so both sides read each other's rows. Permanent while the rows share
Django's tables; a port off Django replaces it with the project's own encryption.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class DjangoFieldValue(TypeDecorator[Any]):
    """Field `field` of the Django model on table `table`, stored as bytes."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, table: str, field: str) -> None:
        super().__init__()
        self.table = table
        self.field = field

    def _django_field(self) -> Any:
        return _django_field(self.table, self.field)

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        from django.db import connection

        stored = self._django_field().get_db_prep_save(value, connection)
        return None if stored is None else bytes(stored)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        from django.db import connection

        field = self._django_field()
        if not hasattr(field, "from_db_value"):  # Django's stored value is the value
            return bytes(value)
        return field.from_db_value(bytes(value), None, connection)


@cache
def _django_field(table: str, name: str) -> Any:
    from django.apps import apps

    for model in apps.get_models():
        if model._meta.db_table == table:
            return model._meta.get_field(name)
    raise LookupError(f"no Django model on table {table!r}")
