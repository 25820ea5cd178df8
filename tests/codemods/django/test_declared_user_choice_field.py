"""A twin's choice field on a foreign key to django.contrib.auth's User that the form declares
itself, posting the username (`forms.ModelChoiceField(queryset=User.objects.all(),
to_field_name="username")`, spirit's TopicPrivateInviteForm), against real Django on
django_blog's Post.author: the twin offers every user by username as Django's form does, takes a
listed username and refuses another with Django's message."""

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
from legacy_examples.django_blog.blog.models import Post
from migrated.django_blog.blog import models as tables

call_command("migrate", verbosity=0)
ada = User.objects.create_user("ada", password="pw-123456")
bob = User.objects.create_user("bob", password="pw-123456")


class AuthorForm(forms.ModelForm):
    author = forms.ModelChoiceField(queryset=User.objects.all(), to_field_name="username")

    class Meta:
        model = Post
        fields = ["author", "title"]


class AuthorFormWithSession(SessionModelForm, AuthorForm):
    table = tables.Post
    choices = {"author": lambda form: select(tables.User)}


found = {}
session = new_session()
found["unbound_html"] = AuthorForm().as_p() == AuthorFormWithSession(session=session).as_p()
found["options"] = [c[1] for c in AuthorFormWithSession(session=session).fields["author"].choices]
found["values"] = [
    str(c[0]) for c in AuthorFormWithSession(session=session).fields["author"].choices
]
for label, key in [("listed", "bob"), ("foreign", "eve"), ("key", str(bob.pk))]:
    data = {"author": key, "title": "Hello"}
    legacy, twin = AuthorForm(data=data), AuthorFormWithSession(data=data, session=session)
    found[label] = [legacy.is_valid(), twin.is_valid(), legacy.errors == twin.errors,
                    legacy.as_p() == twin.as_p()]
twin = AuthorFormWithSession(data={"author": "bob", "title": "Hello"}, session=session)
found["chosen"] = twin.is_valid() and twin.cleaned_data["author"].username
session.close()
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    database: Path = tmp_path_factory.mktemp("declared-user-choice") / "blog.sqlite3"
    return json.loads(run_django(database, SCRIPT).strip().splitlines()[-1])


def test_the_twin_offers_every_user_by_username_as_django_does(found: dict[str, Any]) -> None:
    assert found["unbound_html"] is True
    assert found["values"] == ["", "ada", "bob"]


def test_a_listed_username_is_taken_and_others_refused_as_django_does(
    found: dict[str, Any],
) -> None:
    assert found["listed"] == [True, True, True, True]
    assert found["foreign"] == [False, False, True, True]
    assert found["key"] == [False, False, True, True]
    assert found["chosen"] == "bob"
