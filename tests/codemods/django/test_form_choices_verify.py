"""End to end, on a small project: a view saving a ModelForm with a foreign key (django-todo's
task list of a task, spirit's category of a topic) comes out `converted` and verified by the
codemod's own check; the generated app renders the same options as Django on GET, accepts a listed
key and saves it, and refuses a foreign one with Django's message."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=20)

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

        from .models import Pin


        class PinForm(forms.ModelForm):
            class Meta:
                model = Pin
                fields = ["note", "label"]
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
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Note, Pin

second, first = Note.objects.create(title="second"), Note.objects.create(title="first")
legacy, new = Client(), TestClient(create_app())
a, b = legacy.get("/notes/pin/"), new.get("/notes/pin/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text,
                  b.text.index(">first<") < b.text.index(">second<")]}
answer = new.post("/notes/pin/", data={"note": str(second.pk), "label": "mine"},
                  follow_redirects=False)
pin = Pin.objects.get()
found["saved"] = [answer.status_code, answer.headers["location"], pin.note_id == second.pk,
                  pin.label]
foreign = {"note": "999", "label": "theirs"}
a, b = legacy.post("/notes/pin/", foreign), new.post("/notes/pin/", data=foreign)
found["foreign"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                    "That choice is not one of the available choices." in b.text,
                    Pin.objects.count()]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_saving_a_form_with_a_foreign_key_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    pin = converted["routes"]["pin"]
    assert (pin["status"], pin["verified"], pin.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_offers_django_s_options_in_django_s_order(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["page"] == [200, 200, True, True]


def test_a_listed_key_is_saved_as_the_relation(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, "/notes/pin/", True, "mine"]


def test_a_foreign_key_is_refused_with_django_s_message_and_nothing_written(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["foreign"] == [200, 200, True, True, 1]
