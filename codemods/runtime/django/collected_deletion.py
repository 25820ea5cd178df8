"""`DeleteView` on SQLAlchemy rows of a model other rows point at with `on_delete=CASCADE` or
`SET_NULL` (codemods/django/collected_deletion.py puts it first in the bases): before the row
is deleted (`SelectedDeletion`), Django's collector is replayed from Django's own model
metadata on the route's session: the rows pointing at it deleted, theirs first, transitively,
or their keys set to NULL, in the one transaction the deletion commits. Transitional: it reads
Django's models.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import column, delete, select, table, update
from sqlalchemy.orm import Session

from codemods.runtime.django.generic import SelectedDeletion, django_model


class CollectedDeletion(SelectedDeletion):
    """`SelectedDeletion`, the pointing rows deleted or set to NULL first as Django's are."""

    def _deleted(self) -> Any:
        row: Any = self.object
        table_model: Any = type(row)
        collect(self.session, django_model(table_model), [row.pk])
        return super()._deleted()


def collect(session: Session, model: Any, keys: Sequence[Any]) -> None:
    """Django's collector for the rows of Django model `model` whose primary keys are `keys`:
    each relation Django would follow (its `get_candidate_relations_to_delete`) with CASCADE
    deletes the pointing rows (after their own), with SET_NULL empties their key; DO_NOTHING
    leaves them; any other `on_delete` raises, as the codemod keeps such views on the ORM."""
    from django.db.models import CASCADE, DO_NOTHING, SET_NULL
    from django.db.models.deletion import get_candidate_relations_to_delete

    if not keys:
        return
    for relation in get_candidate_relations_to_delete(model._meta):
        field = relation.field
        related = relation.related_model
        if field.target_field != model._meta.pk:
            raise NotImplementedError(f"{field}: a key to another field than the primary key")
        pk = related._meta.pk.column
        rows = table(related._meta.db_table, column(field.column), column(pk))
        pointing = rows.c[field.column].in_(keys)
        on_delete = field.remote_field.on_delete
        if on_delete is CASCADE:
            found = list(session.scalars(select(rows.c[pk]).where(pointing)))
            collect(session, related, found)
            if found:
                session.execute(delete(rows).where(rows.c[pk].in_(found)))
        elif on_delete is SET_NULL:
            session.execute(update(rows).where(pointing).values({field.column: None}))
        elif on_delete is not DO_NOTHING:
            raise NotImplementedError(f"{field}: on_delete={on_delete.__name__}")
