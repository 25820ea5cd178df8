"""Django's `validate_unique` of a ModelForm, run on a SQLAlchemy session.

A ModelForm checks its model's unique fields and `Meta.unique_together` groups with a query
(`Model._perform_unique_checks`: `Model.objects.filter(**values).exclude(pk=pk).exists()`). The
twin of the form (forms.py) holds a Django instance that is never saved, so the same checks run
here on the session's table: Django chooses the checks (`_get_unique_checks`, leaving out the
fields the form excludes) and words the errors (`unique_error_message`); only the lookup is
SQLAlchemy's.

The codemod gives a twin only to forms whose checks are these: no `unique_for_date`, no
`UniqueConstraint` (Django's `validate_constraints`), no unique relation, no parent model.
Transitional: it goes with the form twin (`SessionModelForm`), when a person ports the form to the
Pydantic model.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from sqlalchemy import exists, select
from sqlalchemy.orm import Session


def session_unique_errors(
    instance: Any, table: type[Any], session: Session, exclude: set[str]
) -> ValidationError | None:
    """The errors Django's `instance.validate_unique(exclude)` would raise, the rows looked up
    in `table` through `session` (None: no row clashes)."""
    unique_checks, date_checks = instance._get_unique_checks(exclude=exclude)
    if date_checks:
        raise NotImplementedError("unique_for_date/month/year is not checked on the session")
    errors: dict[str, list[Any]] = {}
    for model_class, unique_check in unique_checks:
        if model_class is not instance._meta.model:
            raise NotImplementedError(f"a unique check of the parent model {model_class}")
        clash = _clash(instance, table, unique_check)
        if clash is not None and session.scalar(select(exists().where(*clash))):
            key = unique_check[0] if len(unique_check) == 1 else NON_FIELD_ERRORS
            errors.setdefault(key, []).append(
                instance.unique_error_message(model_class, unique_check)
            )
    return ValidationError(errors) if errors else None


def _clash(instance: Any, table: type[Any], unique_check: tuple[str, ...]) -> list[Any] | None:
    """The conditions on `table` of a row holding `instance`'s values of `unique_check`, other
    than the instance's own row; None when Django skips the check (a value is None, or the
    primary key of a row being changed)."""
    meta = instance._meta
    conditions = []
    for name in unique_check:
        field = meta.get_field(name)
        value = getattr(instance, field.attname)
        if value is None or (field.primary_key and not instance._state.adding):
            return None
        conditions.append(getattr(table, field.attname) == value)
    if not instance._state.adding and instance.pk is not None:
        conditions.append(getattr(table, meta.pk.attname) != instance.pk)
    return conditions
