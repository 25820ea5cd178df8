"""End to end, on a small project: a view saving a ModelForm and a view calling a querying helper
of another module come out `converted` and verified by the codemod's own check, and the generated
app answers as Django does: the form page, its errors re-rendered, the row it saves and the
helper's write, read back by Django."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "twinsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "twins-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "twinsite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "twinsite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("TWINSITE_DB", "twinsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("notes/", include("twinsite.notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=20)
            body = models.TextField(blank=True)
            pinned = models.BooleanField(default=False)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Note


        class NoteForm(forms.ModelForm):
            class Meta:
                model = Note
                fields = ["title", "body"]
        """,
    "notes/utils.py": """
        from .models import Note


        def toggle_pinned(note_id):
            note = Note.objects.get(pk=note_id)
            note.pinned = not note.pinned
            note.save()
            return note.pinned
        """,
    "notes/views.py": """
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404, redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import NoteForm
        from .models import Note
        from .utils import toggle_pinned


        @csrf_exempt
        def edit(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = NoteForm(data=request.POST or None, instance=note)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("edit", pk=pk)
            return render(request, "notes/edit.html", {"form": form})


        def pin(request, pk):
            return JsonResponse({"pinned": toggle_pinned(pk)})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("<int:pk>/edit/", views.edit, name="edit"),
            path("<int:pk>/pin/", views.pin, name="pin"),
        ]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = """
import json
import os

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app
from twinsite.notes.models import Note

Note.objects.create(title="first", body="b")
legacy, new = Client(), TestClient(create_app())
found = {}
for label, data in [("page", None), ("errors", {"title": "", "body": "x"})]:
    a = legacy.get("/notes/1/edit/") if data is None else legacy.post("/notes/1/edit/", data)
    b = new.get("/notes/1/edit/") if data is None else new.post("/notes/1/edit/", data=data)
    found[label] = [a.status_code, b.status_code, a.content.decode() == b.text]
answer = new.post("/notes/1/edit/", data={"title": "second", "body": "new body"},
                  follow_redirects=False)
note = Note.objects.get(pk=1)
found["saved"] = [answer.status_code, answer.headers["location"], note.title, note.body]
found["pinned"] = [new.get("/notes/1/pin/").json(), Note.objects.get(pk=1).pinned]
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "twinsite", PROJECT, SETTINGS, SIDES)


def test_the_view_saving_a_model_form_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    edit = converted["routes"]["edit"]
    assert (edit["status"], edit["verified"], edit.get("reasons", [])) == ("converted", True, [])


def test_the_view_calling_another_modules_helper_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    pin = converted["routes"]["pin"]
    assert (pin["status"], pin["verified"], pin.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_is_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["page"] == [200, 200, True]


def test_the_form_s_errors_are_re_rendered_as_django_renders_them(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["errors"] == [200, 200, True]


def test_the_saved_form_writes_the_row_django_reads(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, "/notes/1/edit/", "second", "new body"]


def test_the_helper_s_twin_writes_through_the_session(converted: dict[str, Any]) -> None:
    assert converted["sides"]["pinned"] == [{"pinned": True}, True]
