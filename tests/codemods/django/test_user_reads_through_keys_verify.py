"""End to end, on a small project: a view whose template includes another with an alias given a
row's foreign key (`{% include "_who.html" with u=c.user only %}`), reads the user's
`get_full_name`, and gives a tag of its own a column's value through the key
(`{% hue c.user.pk %}`) comes out `converted` and verified by the codemod's own check, and the
generated app renders what Django renders."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "notesite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "notes-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "notesite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "notesite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("NOTESITE_DB", "notesite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("notes/", include("notesite.notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.conf import settings
        from django.db import models


        class Note(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            text = models.CharField(max_length=20)
        """,
    "notes/views.py": """
        from django.shortcuts import render

        from .models import Note


        def index(request):
            notes = Note.objects.order_by("pk")
            return render(request, "notes/index.html", {"notes": notes})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("", views.index, name="index")]
        """,
    "notes/templatetags/__init__.py": "",
    "notes/templatetags/note_tags.py": """
        from django import template

        register = template.Library()


        @register.simple_tag()
        def hue(user_id):
            return (user_id % 37) * 10
        """,
    "notes/templates/notes/index.html": (
        "{% load note_tags %}{% for c in notes %}{{ c.text }}:"
        '{% include "notes/_who.html" with u=c.user only %}:'
        "[{{ c.user.get_full_name }}]:{% hue c.user.pk %};{% endfor %}\n"
    ),
    "notes/templates/notes/_who.html": "{{ u.username }}/{{ u.get_short_name }}",
}
SIDES = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app
from notesite.notes.models import Note

ada = User.objects.create_user("ada", first_name="Ada", last_name="Lovelace")
bob = User.objects.create_user("bob")
Note.objects.create(user=ada, text="one")
Note.objects.create(user=bob, text="two")
a, b = Client().get("/notes/"), TestClient(create_app()).get("/notes/")
print(json.dumps([a.status_code, b.status_code, a.content.decode(), b.text]))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("notes")
    return converted_and_asked(root, "notesite", PROJECT, SETTINGS, SIDES)


def test_the_view_reading_the_users_through_include_method_and_tag_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    index = converted["routes"]["index"]
    assert (index["status"], index["verified"], index.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_the_generated_app_renders_what_django_renders(converted: dict[str, Any]) -> None:
    legacy_status, new_status, legacy, new = converted["sides"]
    assert (legacy_status, new_status) == (200, 200)
    assert legacy == "one:ada/Ada:[Ada Lovelace]:10;two:bob/:[]:20;\n"
    assert new == legacy
