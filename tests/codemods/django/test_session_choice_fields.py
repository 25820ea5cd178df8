"""A twin's model choice field (`SessionModelForm.choices`, codemods/runtime/django/form_choices.py)
against real Django, on django_blog's Comment and its foreign key to Post: the twin offers the
rows of its statement as Django offers its queryset's, accepts a listed key and saves it, and
refuses any other key with Django's own error."""

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
from legacy_examples.django_blog.blog.models import Comment, Post
from migrated.django_blog.blog import models as tables

call_command("migrate", verbosity=0)
user = User.objects.create_user("ada", password="pw-123456")
first = Post.objects.create(title="First", slug="first", body="b" * 30, author=user)
second = Post.objects.create(title="Second", slug="second", body="b" * 30, author=user)


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["post", "author_name", "body"]


class CommentFormWithSession(SessionModelForm, CommentForm):
    table = tables.Comment
    choices = {
        "post": lambda form: select(tables.Post).order_by(
            tables.Post.created.desc(), tables.Post.id.desc()
        )
    }


found = {}
session = new_session()
found["unbound_html"] = CommentForm().as_p() == CommentFormWithSession(session=session).as_p()
found["options"] = [str(c[0]) + ":" + c[1] for c in CommentFormWithSession(session=session)
                    .fields["post"].choices]
for label, key in [("foreign", str(second.pk + 100)), ("not_a_key", "abc"), ("empty", "")]:
    data = {"post": key, "author_name": "Bob", "body": "Nice"}
    legacy, twin = CommentForm(data=data), CommentFormWithSession(data=data, session=session)
    found[label] = [legacy.is_valid(), twin.is_valid(), twin.errors.get("post"),
                    legacy.errors == twin.errors, legacy.as_p() == twin.as_p()]
data = {"post": str(first.pk), "author_name": "Bob", "body": "Nice"}
twin = CommentFormWithSession(data=data, session=session)
found["valid"] = [twin.is_valid(), twin.cleaned_data["post"].title]
row = twin.save()
found["saved"] = Comment.objects.get(pk=row.id).post_id == first.pk
legacy_bound = CommentForm(instance=Comment.objects.get(pk=row.id))
twin_bound = CommentFormWithSession(instance=row, session=session)
found["instance_html"] = legacy_bound.as_p() == twin_bound.as_p()
session.close()
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database: Path = tmp_path_factory.mktemp("session-choices") / "blog.sqlite3"
    return json.loads(run_django(database, SCRIPT).strip().splitlines()[-1])


def test_the_twin_renders_the_choices_of_its_statement_as_django_renders_its_querysets(
    found: dict[str, Any],
) -> None:
    assert found["unbound_html"] is True
    assert found["options"] == [":---------", "2:Second", "1:First"]


def test_a_key_not_among_the_choices_is_refused_with_django_s_message(
    found: dict[str, Any],
) -> None:
    message = "Select a valid choice. That choice is not one of the available choices."
    assert found["foreign"] == [False, False, [message], True, True]
    assert found["not_a_key"] == [False, False, [message], True, True]


def test_an_empty_key_of_a_required_relation_is_refused_as_django_does(
    found: dict[str, Any],
) -> None:
    assert found["empty"] == [False, False, ["This field is required."], True, True]


def test_a_listed_key_gives_the_row_and_is_saved(found: dict[str, Any]) -> None:
    assert found["valid"] == [True, "First"]
    assert found["saved"] is True


def test_a_form_on_a_row_renders_its_relation_selected_as_django_does(
    found: dict[str, Any],
) -> None:
    assert found["instance_html"] is True
