"""A twin's many-to-many field (`SessionModelForm.choices` on a `ModelMultipleChoiceField`,
codemods/runtime/django/form_choices.py and forms.py) against real Django, on django_blog's
Post and its tags: the twin offers its statement's rows as Django offers its queryset's, refuses
a key not among them with Django's error, saves the chosen links through the association table
as Django's `save_m2m` does (at once, or when called after `save(commit=False)`), and renders a
post's links selected as Django does."""

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
from django.db import connection
from django.test.utils import CaptureQueriesContext
from sqlalchemy import select

from codemods.runtime.django.database import new_session
from codemods.runtime.django.forms import SessionModelForm
from legacy_examples.django_blog.blog.models import Post, Tag
from migrated.django_blog.blog import models as tables

call_command("migrate", verbosity=0)
user = User.objects.create_user("ada", password="pw-123456")
red, blue, green = (Tag.objects.create(name=n, slug=n) for n in ("red", "blue", "green"))


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "slug", "body", "author", "tags"]


class PostFormWithSession(SessionModelForm, PostForm):
    table = tables.Post
    choices = {
        "author": lambda form: select(tables.User),
        "tags": lambda form: select(tables.Tag).order_by(tables.Tag.name),
    }


def data(slug, *tags):
    return {"title": "T", "slug": slug, "body": "b" * 30, "author": str(user.pk),
            "tags": [str(t) for t in tags]}


found = {}
session = new_session()
found["unbound_html"] = PostForm().as_p() == PostFormWithSession(session=session).as_p()
for label, keys in [("foreign", (red.pk, green.pk + 100)), ("not_a_key", ("x",))]:
    legacy = PostForm(data=data("a", *keys))
    twin = PostFormWithSession(data=data("a", *keys), session=session)
    found[label] = [legacy.is_valid(), twin.is_valid(), twin.errors.get("tags"),
                    legacy.errors == twin.errors, legacy.as_p() == twin.as_p()]
twin = PostFormWithSession(data=data("saved", red.pk, blue.pk), session=session)
found["valid"] = twin.is_valid()
row = twin.save()
found["saved"] = sorted(Post.objects.get(pk=row.id).tags.values_list("name", flat=True))
twin = PostFormWithSession(data=data("later", green.pk), session=session)
twin.is_valid()
later = twin.save(commit=False)
session.add(later)
session.commit()
found["before_save_m2m"] = list(Post.objects.get(pk=later.id).tags.values_list("name", flat=True))
twin.save_m2m()
found["after_save_m2m"] = list(Post.objects.get(pk=later.id).tags.values_list("name", flat=True))
legacy_bound = PostForm(instance=Post.objects.get(pk=row.id))
with CaptureQueriesContext(connection) as django_queries:
    twin_bound = PostFormWithSession(instance=session.get(tables.Post, row.id), session=session)
    twin_html = twin_bound.as_p()
found["instance_html"] = legacy_bound.as_p() == twin_html
found["django_queries"] = len(django_queries.captured_queries)
edited = PostFormWithSession(
    data=data("saved", green.pk), instance=session.get(tables.Post, row.id), session=session
)
found["edited_valid"] = edited.is_valid()
edited.save()
found["edited"] = list(Post.objects.get(pk=row.id).tags.values_list("name", flat=True))
session.close()
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database: Path = tmp_path_factory.mktemp("session-m2m") / "blog.sqlite3"
    return json.loads(run_django(database, SCRIPT).strip().splitlines()[-1])


def test_the_twin_renders_a_many_to_many_fields_choices_as_django_does(
    found: dict[str, Any],
) -> None:
    assert found["unbound_html"] is True


def test_a_key_not_among_the_choices_is_refused_with_django_s_message(
    found: dict[str, Any],
) -> None:
    assert found["foreign"][:2] == [False, False]
    assert found["foreign"][3:] == [True, True]
    assert found["not_a_key"][:2] == [False, False]
    assert found["not_a_key"][3:] == [True, True]


def test_the_chosen_rows_are_saved_as_links_with_the_row(found: dict[str, Any]) -> None:
    assert found["valid"] is True
    assert found["saved"] == ["blue", "red"]


def test_save_m2m_after_an_unsaved_save_writes_the_links(found: dict[str, Any]) -> None:
    assert found["before_save_m2m"] == []
    assert found["after_save_m2m"] == ["green"]


def test_a_rows_links_render_selected_and_an_edit_replaces_them(found: dict[str, Any]) -> None:
    assert found["instance_html"] is True
    assert found["django_queries"] == 0
    assert found["edited_valid"] is True
    assert found["edited"] == ["green"]
