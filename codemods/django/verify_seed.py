"""Rows for the verification's sandbox database: every model whose table is empty after `migrate`
gets one row, so that a route with a path parameter (`comment/<int:pk>/`) reaches its view on
both sides instead of answering two alike 404s.

Only the sandbox's database is written (its copy of a SQLite file, or the empty file that stands
for any other database): a table that already has rows (the copy of the user's) is left as it
is. Each row gets a value for every field that needs one (no default, not nullable, not set by
Django on save): the first of its choices, else a sample of its type; a foreign key takes the
first row of its model, so models are seeded in as many passes as their keys need, and a
nullable one the first row of its model when it has one by then (left empty otherwise). A
many-to-many field's own table (Django's auto-created through model, of the project's apps) gets
its link between the first rows, so the templates' `post.tags.all` loops run too. A model
whose row cannot be made (a custom field, a constraint, a `save()` that wants more) is left
empty, and its routes answer 404 on both sides as before.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import uuid
from collections.abc import Callable
from typing import Any

SAMPLE_TEXT = "sample"
# A value per Django field class name (`get_internal_type()`), for a field that needs one.
SAMPLES: dict[str, Callable[[Any], Any]] = {
    "CharField": lambda f: SAMPLE_TEXT[: f.max_length or None],
    "TextField": lambda f: SAMPLE_TEXT,
    "SlugField": lambda f: "sample-slug"[: f.max_length or None],
    "EmailField": lambda f: "sample@example.invalid",
    "URLField": lambda f: "https://example.invalid/",
    "GenericIPAddressField": lambda f: "127.0.0.1",
    "IPAddressField": lambda f: "127.0.0.1",
    "FilePathField": lambda f: SAMPLE_TEXT,
    "FileField": lambda f: "sample.txt",
    "ImageField": lambda f: "sample.png",
    "IntegerField": lambda f: 1,
    "BigIntegerField": lambda f: 1,
    "SmallIntegerField": lambda f: 1,
    "PositiveIntegerField": lambda f: 1,
    "PositiveBigIntegerField": lambda f: 1,
    "PositiveSmallIntegerField": lambda f: 1,
    "DecimalField": lambda f: decimal.Decimal(1),
    "FloatField": lambda f: 1.0,
    "BooleanField": lambda f: False,
    "NullBooleanField": lambda f: False,
    "DateField": lambda f: datetime.date(2024, 1, 1),
    "DateTimeField": lambda f: _now(),
    "TimeField": lambda f: datetime.time(12, 0),
    "DurationField": lambda f: datetime.timedelta(0),
    "UUIDField": lambda f: uuid.UUID(int=1),
    "JSONField": lambda f: {},
    "BinaryField": lambda f: b"",
}
RELATIONS = ("ForeignKey", "OneToOneField")


class NotYet(Exception):
    """A foreign key's model has no row yet: try the model again in the next pass."""


def seed_empty_tables(database: str = "default") -> list[str]:
    """One row in each empty table of the concrete models of `database`; what was done."""
    from django.apps import apps
    from django.db import router

    pending = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(database, model)
        and not (model._meta.auto_created and _django_own(model))
    ]
    notes: list[str] = []
    while pending:
        waiting = []
        for model in pending:
            try:
                note = _seed(model, database)
            except NotYet:
                waiting.append(model)
                continue
            if note:
                notes.append(note)
        if len(waiting) == len(pending):  # a cycle, or a model no row can be made for
            notes += [f"{m._meta.label}: left empty (a related model has no row)" for m in waiting]
            break
        pending = waiting
    return notes


def _django_own(model: Any) -> bool:
    """A model of Django's own apps (auth's `User_groups` links are left alone)."""
    return bool(model._meta.app_config.name.startswith("django."))


def _seed(model: Any, database: str) -> str | None:
    from django.db import transaction

    manager = model._base_manager.db_manager(database)
    try:
        if manager.exists():
            return None
    except Exception as error:  # no table (an app without migrations)
        return f"{model._meta.label}: left empty ({type(error).__name__})"
    values = {field.attname: _value(field, database) for field in _needing_values(model)}
    values.update(_optional_relations(model, database))
    try:
        with transaction.atomic(using=database):
            manager.create(**values)
    except Exception as error:
        return f"{model._meta.label}: left empty ({type(error).__name__}: {error})"[:200]
    _sample_files(model, values)
    return f"{model._meta.label}: one row"


# the content of a seeded file field's file: text, and a 1x1 PNG for an image
SAMPLE_FILES = {
    "FileField": b"sample\n",
    "ImageField": base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    ),
}


def _sample_files(model: Any, values: dict[str, Any]) -> None:
    """The files a seeded row's file fields name, written in the sandbox's media folder (a
    page reading a file's size or url finds it on both sides); a storage elsewhere (another
    folder, a server) is not written."""
    from django.conf import settings
    from django.core.files.base import ContentFile

    media = str(settings.MEDIA_ROOT)
    for field in model._meta.concrete_fields:
        content = SAMPLE_FILES.get(_kind(field))
        if content is None or field.attname not in values:
            continue
        storage = field.storage
        location = str(getattr(storage, "location", ""))
        if not media or not location.startswith(media):
            continue
        name = values[field.attname]
        if not storage.exists(name):
            storage.save(name, ContentFile(content))


def _needing_values(model: Any) -> list[Any]:
    """The concrete fields Django gives no value of its own."""
    from django.db.models import NOT_PROVIDED

    found = []
    for field in model._meta.concrete_fields:
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if field.primary_key and field.get_internal_type() in (
            "AutoField",
            "BigAutoField",
            "SmallAutoField",
        ):
            continue
        if field.null or field.default is not NOT_PROVIDED or automatic:
            continue
        if getattr(field, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
            continue
        found.append(field)
    return found


def _optional_relations(model: Any, database: str) -> dict[str, Any]:
    """A nullable foreign key's value: the first row of its model when it has one (a comment
    with its author, as the app's own pages write it), else left empty."""
    found = {}
    for field in model._meta.concrete_fields:
        if field.null and _kind(field) in RELATIONS:
            row = _first_row(field, database)
            if row is not None:
                found[field.attname] = row
    return found


def _first_row(field: Any, database: str) -> Any:
    """What a foreign key to the first row of its model holds, or None: its model has no row."""
    related = field.related_model._base_manager.db_manager(database)
    return related.order_by("pk").values_list(field.target_field.attname, flat=True).first()


def _kind(field: Any) -> str:
    """The field's `get_internal_type()`, but an image field's own (Django's says FileField)."""
    from django.db.models import ImageField

    return "ImageField" if isinstance(field, ImageField) else str(field.get_internal_type())


def _value(field: Any, database: str) -> Any:
    kind = _kind(field)
    if kind in RELATIONS:
        row = _first_row(field, database)
        if row is None:
            raise NotYet(field.related_model._meta.label)
        return row
    if field.choices:
        return _first_choice(field.choices)
    sample = SAMPLES.get(kind)
    if sample is None:
        return field.get_default()
    return sample(field)


def _first_choice(choices: Any) -> Any:
    value, label = next(iter(choices))
    if isinstance(label, list | tuple):  # a named group of choices
        return _first_choice(label)
    return value


def _now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()
