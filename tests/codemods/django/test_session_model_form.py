"""`SessionModelForm` (codemods/runtime/django/forms.py) against real Django, on django_blog's
models: the twin of a ModelForm shows the same fields, errors and HTML as the Django form, and
writes through SQLAlchemy what Django's `save()` writes (a new row, an update of `instance=`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.codemods.django.support import run_django

SCRIPT = """
import json
from django import forms
from django.contrib.auth.models import User
from django.core.management import call_command
from sqlalchemy import select

from codemods.runtime.django.database import new_session
from codemods.runtime.django.forms import SessionModelForm
from codemods.runtime.django.instances import save
from legacy_examples.django_blog.blog.models import Comment, Post
from migrated.django_blog.blog import models as tables

call_command("migrate", verbosity=0)
user = User.objects.create_user("ada", password="pw-123456")
post = Post.objects.create(title="Hello", slug="hello", body="b" * 30, author=user)


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["author_name", "email", "body"]


class CommentFormWithSession(SessionModelForm, CommentForm):
    table = tables.Comment


found = {}
bad = {"author_name": "", "email": "not-an-email", "body": "x"}
session = new_session()
legacy, twin = CommentForm(data=bad), CommentFormWithSession(data=bad, session=session)
found["errors"] = [legacy.is_valid(), twin.is_valid(), legacy.errors == twin.errors]
found["error_html"] = legacy.as_p() == twin.as_p()

good = {"author_name": "Bob", "email": "bob@example.com", "body": "Nice"}
form = CommentFormWithSession(data=good, session=session)
form.is_valid()
row = form.save(commit=False)
row.post_id = post.pk
save(session, row)
written = Comment.objects.get(pk=row.id)
found["created"] = [written.author_name, written.email, written.body, written.approved,
                    written.created is not None, written.post_id == post.pk]

row = session.scalars(select(tables.Comment)).one()
legacy_bound = CommentForm(instance=Comment.objects.get(pk=row.id))
twin_bound = CommentFormWithSession(instance=row, session=session)
found["instance_html"] = legacy_bound.as_p() == twin_bound.as_p()
change = {"author_name": "Bobby", "email": "", "body": "Nicer"}
form = CommentFormWithSession(data=change, instance=row, session=session)
found["update_valid"] = form.is_valid()
saved = form.save()
changed = Comment.objects.get(pk=row.id)
found["updated"] = [saved is row, changed.author_name, changed.email, changed.body,
                    Comment.objects.count()]
invalid = CommentFormWithSession(data=bad, session=session)
invalid.is_valid()
try:
    invalid.save()
    found["refused"] = None
except ValueError as error:
    found["refused"] = str(error)
session.close()
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database: Path = tmp_path_factory.mktemp("session-form") / "blog.sqlite3"
    return json.loads(run_django(database, SCRIPT).strip().splitlines()[-1])


def test_the_twin_refuses_what_the_django_form_refuses_with_the_same_errors(
    found: dict[str, Any],
) -> None:
    assert found["errors"] == [False, False, True]


def test_the_twin_renders_its_errors_as_the_django_form_does(found: dict[str, Any]) -> None:
    assert found["error_html"] is True


def test_a_new_row_is_written_with_the_models_defaults_and_auto_now_add(
    found: dict[str, Any],
) -> None:
    assert found["created"] == ["Bob", "bob@example.com", "Nice", False, True, True]


def test_a_form_on_a_row_renders_as_on_the_django_instance(found: dict[str, Any]) -> None:
    assert found["instance_html"] is True


def test_saving_a_form_on_a_row_updates_that_row(found: dict[str, Any]) -> None:
    assert found["update_valid"] is True
    assert found["updated"] == [True, "Bobby", "", "Nicer", 1]


def test_saving_an_invalid_form_fails_as_in_django(found: dict[str, Any]) -> None:
    assert found["refused"] == "The Comment could not be created because the data didn't validate."
