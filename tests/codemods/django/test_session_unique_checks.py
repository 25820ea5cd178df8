"""`SessionModelForm.validate_unique` (codemods/runtime/django/unique_checks.py) against real
Django on SQLite: the twin of a ModelForm refuses a value of a unique field or a
`unique_together` group that another row holds with Django's own errors, lets a row keep its own
values on update, and skips the checks of fields the form leaves out, as Django's form does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.codemods.django.support import run_django

SCRIPT = """
import json
from django import forms
from django.core.management import call_command
from django.db import connection, models
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from codemods.runtime.django.database import new_session
from codemods.runtime.django.forms import SessionModelForm
from legacy_examples.django_blog.blog.models import Tag
from migrated.django_blog.blog import models as tables

call_command("migrate", verbosity=0)


class Shelf(models.Model):
    owner = models.CharField(max_length=20)
    title = models.CharField(max_length=20)
    note = models.CharField(max_length=20, blank=True)

    class Meta:
        app_label = "blog"
        unique_together = ("owner", "title")


with connection.schema_editor() as editor:
    editor.create_model(Shelf)


class Base(DeclarativeBase):
    pass


class ShelfRow(Base):
    __tablename__ = Shelf._meta.db_table
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(20))


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]


class TagFormWithSession(SessionModelForm, TagForm):
    table = tables.Tag


class TagNameForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]


class TagNameFormWithSession(SessionModelForm, TagNameForm):
    table = tables.Tag


class ShelfForm(forms.ModelForm):
    class Meta:
        model = Shelf
        fields = ["owner", "title", "note"]


class ShelfFormWithSession(SessionModelForm, ShelfForm):
    table = ShelfRow


class ShelfTitleForm(forms.ModelForm):
    class Meta:
        model = Shelf
        fields = ["title"]


class ShelfTitleFormWithSession(SessionModelForm, ShelfTitleForm):
    table = ShelfRow


def both(legacy_form, twin_form, data, instance=None):
    legacy = legacy_form(data=data, instance=instance)
    row = None if instance is None else session.get(twin_form.table, instance.pk)
    twin = twin_form(data=data, instance=row, session=session)
    return [twin.is_valid(), legacy.is_valid(), twin.errors.get_json_data() ==
            legacy.errors.get_json_data(), twin.errors.get_json_data()]


session = new_session()
python = Tag.objects.create(name="Python", slug="python")
Tag.objects.create(name="Go", slug="go")
shelf = Shelf.objects.create(owner="ada", title="Reading")
Shelf.objects.create(owner="bob", title="Later")
found = {
    "unique_fields": both(TagForm, TagFormWithSession, {"name": "Python", "slug": "go"}),
    "unique_fields_free": both(TagForm, TagFormWithSession, {"name": "Rust", "slug": "rust"}),
    "own_row": both(TagForm, TagFormWithSession, {"name": "Python", "slug": "py"}, python),
    "other_row": both(TagForm, TagFormWithSession, {"name": "Go", "slug": "py"}, python),
    "left_out": both(TagNameForm, TagNameFormWithSession, {"name": "Rust"}),
    "together": both(ShelfForm, ShelfFormWithSession, {"owner": "bob", "title": "Later"}),
    "together_free": both(ShelfForm, ShelfFormWithSession, {"owner": "bob", "title": "Reading"}),
    "together_own_row": both(
        ShelfForm, ShelfFormWithSession, {"owner": "ada", "title": "Reading", "note": "n"}, shelf
    ),
    "together_left_out": both(ShelfTitleForm, ShelfTitleFormWithSession, {"title": "Later"}),
}
session.add(tables.Tag(name="Zig", slug="zig"))
session.flush()  # a row of the session's transaction, which Django's connection does not see
found["session_row"] = both(TagForm, TagFormWithSession, {"name": "Zig", "slug": "zag"})
session.rollback()
session.close()
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database: Path = tmp_path_factory.mktemp("session-unique") / "blog.sqlite3"
    return json.loads(run_django(database, SCRIPT).strip().splitlines()[-1])


def test_values_of_unique_fields_another_row_holds_are_refused_with_django_s_errors(
    found: dict[str, Any],
) -> None:
    assert found["unique_fields"][:3] == [False, False, True]
    assert found["unique_fields"][3] == {
        "name": [{"message": "Tag with this Name already exists.", "code": "unique"}],
        "slug": [{"message": "Tag with this Slug already exists.", "code": "unique"}],
    }


def test_values_no_row_holds_pass_the_unique_checks(found: dict[str, Any]) -> None:
    assert found["unique_fields_free"] == [True, True, True, {}]


def test_a_row_changed_keeps_its_own_unique_values(found: dict[str, Any]) -> None:
    assert found["own_row"] == [True, True, True, {}]


def test_a_row_changed_to_another_row_s_unique_value_is_refused(found: dict[str, Any]) -> None:
    assert found["other_row"][:3] == [False, False, True]
    assert list(found["other_row"][3]) == ["name"]


def test_the_checks_query_the_session_not_django_s_connection(found: dict[str, Any]) -> None:
    twin_valid, legacy_valid, _, errors = found["session_row"]
    assert [twin_valid, legacy_valid] == [False, True]
    assert errors == {"name": [{"message": "Tag with this Name already exists.", "code": "unique"}]}


def test_a_unique_field_the_form_leaves_out_is_not_checked(found: dict[str, Any]) -> None:
    assert found["left_out"] == [True, True, True, {}]


def test_a_unique_together_group_another_row_holds_is_refused_with_django_s_error(
    found: dict[str, Any],
) -> None:
    assert found["together"][:3] == [False, False, True]
    message = "Shelf with this Owner and Title already exists."
    assert found["together"][3] == {"__all__": [{"message": message, "code": "unique_together"}]}


def test_a_unique_together_group_no_row_holds_passes(found: dict[str, Any]) -> None:
    assert found["together_free"] == [True, True, True, {}]
    assert found["together_own_row"] == [True, True, True, {}]


def test_a_unique_together_group_with_a_field_the_form_leaves_out_is_not_checked(
    found: dict[str, Any],
) -> None:
    assert found["together_left_out"] == [True, True, True, {}]
