"""A form twin's model choice fields, validated and listed through the SQLAlchemy session.

Django's `ModelChoiceField` (the field a ModelForm gives a foreign key) queries twice on Django's
ORM: `to_python` loads the submitted key's row from the field's queryset, and the select it
renders lists the queryset's rows. On a twin (`SessionModelForm`), each field named in the twin's
`choices` runs both on the session instead, with the statement the codemod translated from the
field's queryset:

    class TaskFormWithSession(SessionModelForm, DjangoTaskForm):
        table = tables.Task
        choices = {"task_list": lambda form: select(tables.TaskList)}

The submitted key is looked up among the statement's rows (Django's `invalid_choice` message and
code when it is not one of them), and the field's value is the row as a Django instance holding
its values (unsaved, as if loaded), which Django's form and model code take as they took the
loaded one: `construct_instance` sets the foreign key, `label_from_instance` gives the label.
Transitional: gone with the legacy project's Django forms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.forms.models import (
    ModelChoiceIterator,
    ModelChoiceIteratorValue,
    ModelMultipleChoiceField,
)
from sqlalchemy import Select
from sqlalchemy.orm import Session

Statement = Callable[[Any], Select[Any]]  # the form -> the rows its field offers


def django_instance(model: type[Any], row: Any) -> Any:
    """An unsaved instance of Django `model` holding `row`'s values, as if Django had loaded it."""
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if hasattr(row, field.attname)
    }
    instance = model(**values)
    instance._state.adding = False
    instance._state.db = "default"
    return instance


class _SessionChoiceIterator(ModelChoiceIterator):
    """Django's iterator over the field's choices, on the session's rows."""

    def __init__(self, field: Any) -> None:
        self.field = field
        self.queryset = field.queryset  # Django's, never evaluated

    def _rows(self) -> list[Any]:
        field = self.field
        rows = field.session.execute(field.statement).scalars().all()
        return [django_instance(field.queryset.model, row) for row in rows]

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self._rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        return len(self._rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self._rows())

    def choice(self, obj: Any) -> tuple[ModelChoiceIteratorValue, str]:
        return (
            ModelChoiceIteratorValue(self.field.prepare_value(obj), obj),
            self.field.label_from_instance(obj),
        )


class _SessionChoiceField:
    """Mixed before the field's own class (a `ModelChoiceField` or a subclass of it)."""

    session: Session
    statement: Select[Any]
    queryset: Any
    to_field_name: str | None
    empty_values: Any
    error_messages: dict[str, Any]
    iterator = _SessionChoiceIterator

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)  # type: ignore[attr-defined]
        model = self.queryset.model
        key = self.to_field_name or "pk"
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        try:
            if isinstance(value, model):
                value = getattr(value, key)
            key_value = field.get_prep_value(field.to_python(value))
            entity = self.statement.column_descriptions[0]["entity"]
            statement = self.statement.where(getattr(entity, field.attname) == key_value)
            row = self.session.execute(statement.limit(2)).scalars().all()
            if len(row) != 1:
                raise LookupError(value)
        except (ValueError, TypeError, LookupError, ValidationError):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None
        return django_instance(model, row[0])


class _SessionMultipleChoiceField(_SessionChoiceField):
    """Mixed before a `ModelMultipleChoiceField` (a many-to-many field): the submitted keys are
    looked up among the statement's rows, with Django's checks and messages in Django's order;
    the value is the list of their Django instances (Django's is a queryset of them)."""

    def _check_values(self, value: Any) -> list[Any]:
        model = self.queryset.model
        key = self.to_field_name or "pk"
        try:
            keys = frozenset(value)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for pk in keys:
            self.validate_no_null_characters(pk)  # type: ignore[attr-defined]
            try:
                self.queryset.filter(**{key: pk})  # Django's own check of the key, no query
            except (ValueError, TypeError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                ) from None
        field = model._meta.pk if key == "pk" else model._meta.get_field(key)
        entity = self.statement.column_descriptions[0]["entity"]
        column = getattr(entity, field.attname)
        prepared = [field.get_prep_value(field.to_python(pk)) for pk in keys]
        rows = self.session.execute(self.statement.where(column.in_(prepared))).scalars().all()
        found = [django_instance(model, row) for row in rows]
        listed = {str(getattr(obj, key)) for obj in found}
        for pk in keys:
            if str(pk) not in listed:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return found


def session_choices(form: Any, choices: dict[str, Statement], session: Session) -> None:
    """Make each field of `form` named in `choices` validate and list through `session`; an
    initial value that is a row (`initial={"group": <the user's first group>}`) becomes the
    Django instance holding its values, which the field renders as Django's (by its key)."""
    for name, statement in choices.items():
        field = form.fields.get(name)
        if field is None:  # the form's __init__ removed it
            continue
        initial = form.initial.get(name)
        if hasattr(type(initial), "__table__"):  # a SQLAlchemy row
            form.initial[name] = django_instance(field.queryset.model, initial)
        own = type(field)
        mixin = (
            _SessionMultipleChoiceField
            if isinstance(field, ModelMultipleChoiceField)
            else _SessionChoiceField
        )
        field.__class__ = type(f"Session{own.__name__}", (mixin, own), {})
        field.session = session
        field.statement = statement(form)
        field.widget.choices = field.choices
