"""Django's generic views (`ListView`, `DetailView`) reading SQLAlchemy rows instead of Django
querysets. Permanent while the templates stay on Django's engine.

    class IndexView(SelectedObjects, generic.ListView):
        model = tables.Question
        paginate_by = 5

        def get_queryset(self):
            return self.rows(select(tables.Question).where(...).order_by(...))

Django's own generic code runs unchanged: pagination (`paginator`, `page_obj`, `is_paginated`,
the `?page=` 404s), the pk/slug lookup and its 404, the context names (`question_list`,
`question`) and the template names (`polls/question_detail.html`). What it asks of a queryset
`Rows` gives it on the statement: a COUNT, a LIMIT/OFFSET slice, `filter(pk=...)` and
`filter(slug=...)`, `get()` raising the Django model's `DoesNotExist`, and `model`, the Django
model on the same table (for its `_meta`: names, verbose name). The objects are the SQLAlchemy
rows; the codemod serves a view this way only when its templates read what those rows have.
A row also answers Django's default reverse accessors its model lacks (`question.choice_set`:
`.all`, `.count`, `.exists`, as the related manager reads them; `attach_related_sets`).

`class_view` gives the view the route's SQLAlchemy session (`self.session`: view_session.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session, object_session

from codemods.runtime.django import dated
from codemods.runtime.django.queries import ordered
from codemods.runtime.django.view_session import SessionView

MAX_GET_RESULTS = 21  # Django's: a .get() matching more rows says "more than 20"
COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "exact": lambda column, value: column == value,  # `== None` is SQL's IS NULL
    "lt": lambda column, value: column < value,
    "lte": lambda column, value: column <= value,
    "gt": lambda column, value: column > value,
    "gte": lambda column, value: column >= value,
}


@cache
def django_model(table_model: Any) -> Any:
    """The Django model on the same table as a generated SQLAlchemy model (None: none is)."""
    from django.apps import apps

    table = getattr(table_model, "__tablename__", None)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table and not model._meta.proxy:
            return model
    return None


def _entity(statement: Select[Any]) -> Any:
    return statement.column_descriptions[0]["entity"]


def _condition(table_model: Any, parts: list[str], value: Any) -> Any:
    """The condition of a lookup's parts (`["message", "slug"]`, `["publish_date", "lte"]`)
    on a generated model; None: not one `Rows.filter` takes."""
    field, rest = parts[0], parts[1:]
    if field == "pk":
        field = table_model.__mapper__.primary_key[0].key
    relationship = table_model.__mapper__.relationships.get(field)
    if relationship is not None and rest and rest[0] not in COMPARISONS:
        if relationship.uselist:
            return None  # a to-many join may repeat the object in Django: not taken
        inner = _condition(relationship.mapper.class_, rest, value)
        return None if inner is None else getattr(table_model, field).has(inner)
    column = getattr(table_model, field, None)
    compare = COMPARISONS.get(rest[0] if rest else "exact")
    if column is None or compare is None or len(rest) > 1:
        return None
    return compare(column, value)


class Rows:
    """The rows of a statement, as much of a Django queryset as the generic views use."""

    def __init__(self, session: Session, statement: Select[Any]) -> None:
        self.session = session
        self.statement = statement
        self.table_model = _entity(statement)
        self.model = django_model(self.table_model)
        self._found: list[Any] | None = None

    def _rows(self) -> list[Any]:
        if self._found is None:
            self._found = list(self.session.scalars(self.statement).unique().all())
        return self._found

    def _with(self, statement: Select[Any]) -> Rows:
        return Rows(self.session, statement)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self._rows())

    def __bool__(self) -> bool:
        return bool(self._rows())

    def __getitem__(self, index: int | slice) -> Any:
        """A row, or the rows of a window (themselves `Rows`, as Django's sliced queryset is a
        queryset: `object_list.count` of a page reads as Django's)."""
        if isinstance(index, int) and index < 0:
            raise ValueError("Negative indexing is not supported.")  # Django's message
        if isinstance(index, slice) and (
            index.step is not None or (index.start or 0) < 0 or (index.stop or 0) < 0
        ):
            raise ValueError("Negative indexing is not supported.")
        windowed = (
            self.statement._limit_clause is not None or self.statement._offset_clause is not None
        )
        if self._found is not None or windowed:  # a window of a window: from the rows read
            return self._rows()[index]
        if isinstance(index, int):
            found = self.session.scalars(self.statement.offset(index).limit(1)).first()
            if found is None:
                raise IndexError(index)
            return found
        start = index.start or 0
        statement = self.statement.offset(start) if start else self.statement
        if index.stop is not None:
            statement = statement.limit(max(index.stop - start, 0))
        return self._with(statement)

    def count(self) -> int:
        if self._found is not None:
            return len(self._found)
        counted = select(func.count()).select_from(self.statement.order_by(None).subquery())
        return int(self.session.scalar(counted) or 0)

    def exists(self) -> bool:
        return bool(self.session.scalar(select(self.statement.exists())))

    def first(self) -> Any:
        if self._found is not None:
            return self._found[0] if self._found else None
        return self.session.scalars(self.statement.limit(1)).first()

    def all(self) -> Rows:
        return self._with(self.statement)

    def filter(self, **lookups: Any) -> Rows:
        """Comparisons of columns (`pk` is the primary key): what `get_object` filters by
        (`exact`), and the date views' bounds (`lt`, `lte`, `gt`, `gte`); a column of a row
        related by a foreign key (`message__slug`, a `slug_field` through a relation) is
        compared through the relationship (`EXISTS`, as Django's join keeps one row per
        object for a many-to-one)."""
        statement = self.statement
        for name, value in lookups.items():
            condition = _condition(self.table_model, name.split("__"), value)
            if condition is None:
                raise ImproperlyConfigured(f"Rows.filter() compares columns only, not {name!r}")
            statement = statement.where(condition)
        return self._with(statement)

    def none(self) -> Rows:
        return self._with(self.statement.where(false()))

    def _values(self, field: str) -> list[Any]:
        """The distinct values of a column among the rows."""
        column = getattr(self.table_model, field, None)
        if column is None:
            raise ImproperlyConfigured(f"{self.table_model.__name__} has no column {field!r}")
        found = self.statement.order_by(None).with_only_columns(column).distinct()
        return list(self.session.scalars(found).all())

    def datetimes(self, field: str, kind: str, order: str = "ASC", tzinfo: Any = None) -> list[Any]:
        """Django's `QuerySet.datetimes()` (dated.py)."""
        return dated.datetimes(self._values(field), kind, order, tzinfo)

    def dates(self, field: str, kind: str, order: str = "ASC") -> list[Any]:
        """Django's `QuerySet.dates()` (dated.py)."""
        return dated.dates(self._values(field), kind, order)

    def order_by(self, *names: str) -> Rows:
        clauses = []
        for name in names:
            field = name.lstrip("-")
            column = getattr(self.table_model, "id" if field == "pk" else field)
            clauses.append(column.desc() if name.startswith("-") else column.asc())
        return self._with(self.statement.order_by(None).order_by(*clauses))

    def get(self) -> Any:
        """Django's `.get()`: the one row, else the Django model's `DoesNotExist` (which the
        generic views answer with their 404) or `MultipleObjectsReturned`."""
        found = list(self.session.scalars(self.statement.limit(MAX_GET_RESULTS)).unique().all())
        if len(found) == 1:
            return found[0]
        name = self.model._meta.object_name
        if not found:
            raise self.model.DoesNotExist(f"{name} matching query does not exist.")
        number = len(found) if len(found) < MAX_GET_RESULTS else f"more than {MAX_GET_RESULTS - 1}"
        raise self.model.MultipleObjectsReturned(
            f"get() returned more than one {name} -- it returned {number}!"
        )


class _RelatedSet:
    """`question.choice_set` on a generated model whose foreign key has no `related_name`:
    Django's reverse accessor, read as its related manager reads (`.all`, `.count`,
    `.exists`, in the related model's default ordering), on the row's session."""

    def __init__(self, related: Any, key: str, target: str) -> None:
        self.related, self.key, self.target = related, key, target

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self
        session = object_session(instance)
        column = getattr(self.related, self.key)
        statement = ordered(select(self.related).where(column == getattr(instance, self.target)))
        return Rows(session, statement) if session is not None else None


def attach_related_sets(table_model: Any) -> None:
    """Give a generated model Django's default reverse accessors (`choice_set`) it lacks, for
    the foreign keys of generated models to it (once per model)."""
    if getattr(table_model, "__related_sets__", None) is table_model:
        return
    table_model.__related_sets__ = table_model
    model = django_model(table_model)
    if model is None:
        return
    tables = {
        getattr(m.class_, "__tablename__", None): m.class_ for m in table_model.registry.mappers
    }
    for relation in model._meta.related_objects:
        if not relation.one_to_many or relation.related_name:
            continue
        accessor = relation.get_accessor_name()
        related = tables.get(relation.related_model._meta.db_table)
        if accessor is None or related is None or hasattr(table_model, accessor):
            continue
        key = relation.field.attname
        target = relation.field.target_field.attname
        if hasattr(related, key):
            setattr(table_model, accessor, _RelatedSet(related, key, target))


class SelectedObjects(SessionView):
    """A mixin put before Django's `ListView`/`DetailView` (and their bases): its objects are
    the rows of `self.rows(statement)`, `queryset` (a `select()`) or `model` (a generated
    SQLAlchemy model, in Django's default ordering)."""

    # Django's generic views set these (annotations only: the mixin must not shadow them)
    session: Session
    model: Any
    queryset: Any
    template_name: str | None
    template_name_suffix: str
    request: Any

    def rows(self, statement: Select[Any]) -> Rows:
        attach_related_sets(_entity(statement))
        return Rows(self.session, statement)

    def get_queryset(self) -> Rows:
        if self.queryset is not None:
            found = self.rows(self.queryset)
        elif self.model is not None:
            found = self.rows(ordered(select(self.model)))
        else:
            raise ImproperlyConfigured(
                f"{type(self).__name__} is missing a QuerySet. Define {type(self).__name__}"
                ".model, .queryset, or override .get_queryset()."
            )
        ordering = getattr(self, "get_ordering", lambda: None)()
        if ordering:
            found = found.order_by(*((ordering,) if isinstance(ordering, str) else ordering))
        return found

    def _django_model(self) -> Any:
        table_model = self.model
        if table_model is None and self.queryset is not None:
            table_model = _entity(self.queryset)
        found = getattr(self, "object", None)
        if table_model is None and found is not None:
            table_model = type(found)
        return django_model(table_model) if table_model is not None else None

    def get_context_object_name(self, obj: Any) -> str | None:
        name: str | None = super().get_context_object_name(obj)  # type: ignore[misc]
        if name is None and not isinstance(obj, Rows):
            table_model: Any = type(obj)
            model = django_model(table_model)
            name = model._meta.model_name if model is not None else None
        return name

    def get_template_names(self) -> list[str]:
        if self.template_name is not None or isinstance(getattr(self, "object_list", None), Rows):
            names: list[str] = super().get_template_names()  # type: ignore[misc]
            return names
        model = self._django_model()
        if model is None:
            raise ImproperlyConfigured(
                "TemplateResponseMixin requires either a definition of 'template_name' or an "
                "implementation of 'get_template_names()'"
            )
        names = []
        field = getattr(self, "template_name_field", None)
        found = getattr(self, "object", None)
        if found is not None and field:
            chosen = getattr(found, field, None)
            if chosen:
                names.append(chosen)
        opts = model._meta
        names.append(f"{opts.app_label}/{opts.model_name}{self.template_name_suffix}.html")
        return names


class SelectedDeletion(SelectedObjects):
    """`SelectedObjects` for Django's `DeleteView`: the row is deleted as `instance.delete()`
    deletes it (instances.delete: with the relationships' cascades), then the redirect to
    `success_url`, on POST (the confirmation form) and on DELETE, as Django's `DeleteView`."""

    object: Any

    def _deleted(self) -> Any:
        from django.http import HttpResponseRedirect

        from codemods.runtime.django.instances import delete

        success_url = self.get_success_url()  # type: ignore[attr-defined]
        delete(self.session, self.object)
        return HttpResponseRedirect(success_url)

    def form_valid(self, form: Any) -> Any:
        return self._deleted()

    def delete(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        self.object = self.get_object()  # type: ignore[attr-defined]
        return self._deleted()


class SelectedDates(SelectedObjects):
    """`SelectedObjects` for Django's date-based views (`ArchiveIndexView`, the year, month,
    week and day archives, `DateDetailView`): Django's own code filters the rows by the dates
    of the URL (`Rows.filter` with `__gte`/`__lt`, future ones left out by `__lte` now unless
    `allow_future`), answers 404 when they are empty and `allow_empty` is off, and lists the
    dates through `Rows.datetimes`/`dates`. Only whether `date_field` is a `DateTimeField` is
    read here, from the Django model on the same table."""

    @property
    def uses_datetime_field(self) -> bool:  # DateMixin's reads `self.model._meta`
        from django.db import models

        model = self._django_model()
        if model is None:
            model = self.get_queryset().model
        field = model._meta.get_field(self.get_date_field())  # type: ignore[attr-defined]
        return isinstance(field, models.DateTimeField)
