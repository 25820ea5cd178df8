"""End to end, on a small project: a view saving a ModelForm whose `__init__` narrows a foreign
key's choices (spirit's CategoryForm offering the visible parents but the category itself) comes
out `converted` and verified by the codemod's own check; the generated app renders the same
options as Django on GET, accepts a listed key and saves it, and refuses a row the `__init__`
leaves out with Django's message (form_init_choices.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "pinsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "pins-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "pinsite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "pinsite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("PINSITE_DB", "pinsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("notes/", include("pinsite.notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=20)
            hidden = models.BooleanField(default=False)

            class Meta:
                ordering = ["title"]

            def __str__(self):
                return self.title


        class Pin(models.Model):
            note = models.ForeignKey(Note, on_delete=models.CASCADE)
            label = models.CharField(max_length=20, blank=True)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Note, Pin


        class PinForm(forms.ModelForm):
            class Meta:
                model = Pin
                fields = ["note", "label"]

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                notes = Note.objects.filter(hidden=False)
                if self.instance.pk:
                    notes = notes.exclude(pk=self.instance.note_id)
                self.fields["note"] = forms.ModelChoiceField(queryset=notes)
                self.fields["note"].label_from_instance = lambda note: note.title.upper()
        """,
    "notes/views.py": """
        from django.shortcuts import redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import PinForm


        @csrf_exempt
        def pin(request):
            form = PinForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("pin")
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("pin/", views.pin, name="pin")]
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
from pinsite.notes.models import Note, Pin

second, first = Note.objects.create(title="second"), Note.objects.create(title="first")
hidden = Note.objects.create(title="hidden", hidden=True)
legacy, new = Client(), TestClient(create_app())
a, b = legacy.get("/notes/pin/"), new.get("/notes/pin/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text,
                  b.text.index(">FIRST<") < b.text.index(">SECOND<"), "HIDDEN" not in b.text]}
answer = new.post("/notes/pin/", data={"note": str(second.pk), "label": "mine"},
                  follow_redirects=False)
pin = Pin.objects.get()
found["saved"] = [answer.status_code, answer.headers["location"], pin.note_id == second.pk,
                  pin.label]
foreign = {"note": str(hidden.pk), "label": "theirs"}
a, b = legacy.post("/notes/pin/", foreign), new.post("/notes/pin/", data=foreign)
found["foreign"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                    "That choice is not one of the available choices." in b.text,
                    Pin.objects.count()]
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, SETTINGS, SIDES)


def test_the_view_saving_a_form_narrowing_a_foreign_key_in_init_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    pin = converted["routes"]["pin"]
    assert (pin["status"], pin["verified"], pin.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_offers_the_init_s_options_in_django_s_order_with_its_labels(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["page"] == [200, 200, True, True, True]


def test_a_listed_key_is_saved_as_the_relation(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, "/notes/pin/", True, "mine"]


def test_a_row_the_init_leaves_out_is_refused_with_django_s_message_and_nothing_written(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["foreign"] == [200, 200, True, True, 1]
