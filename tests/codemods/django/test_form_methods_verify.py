"""End to end, on a small project: a view building a ModelForm with its own arguments, a clean()
that queries and a save() that sets a relation (spirit's LikeForm, FavoriteForm) comes out
`converted` and verified by the codemod's own check, and the generated app answers as Django does:
the form page, the row it saves (read back by Django) and the clean()'s error once it exists."""

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


        class Pin(models.Model):
            note = models.ForeignKey(Note, on_delete=models.CASCADE)
            label = models.CharField(max_length=20, blank=True)
            date = models.DateTimeField(auto_now_add=True)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Pin


        class PinForm(forms.ModelForm):
            class Meta:
                model = Pin
                fields = ["label"]

            def __init__(self, note=None, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.note = note

            def clean(self):
                cleaned_data = super().clean()
                if Pin.objects.filter(note=self.note).exists():
                    raise forms.ValidationError("This note is already pinned")
                return cleaned_data

            def save(self, commit=True):
                if not self.instance.pk:
                    self.instance.note = self.note
                return super().save(commit)
        """,
    "notes/views.py": """
        from django.shortcuts import get_object_or_404, redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import PinForm
        from .models import Note


        @csrf_exempt
        def pin(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = PinForm(note=note, data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("pin", pk=pk)
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("<int:pk>/pin/", views.pin, name="pin")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Note, Pin

Note.objects.create(title="first")
legacy, new = Client(), TestClient(create_app())
a, b = legacy.get("/notes/1/pin/"), new.get("/notes/1/pin/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text]}
answer = new.post("/notes/1/pin/", data={"label": "mine"}, follow_redirects=False)
pin = Pin.objects.get()
found["saved"] = [answer.status_code, answer.headers["location"], pin.note_id, pin.label,
                  pin.date is not None]
again = {"label": "again"}
a, b = legacy.post("/notes/1/pin/", again), new.post("/notes/1/pin/", data=again)
found["exists"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                   "already pinned" in b.text, Pin.objects.count()]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_with_the_form_s_arguments_clean_and_save_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    pin = converted["routes"]["pin"]
    assert (pin["status"], pin["verified"], pin.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_is_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["page"] == [200, 200, True]


def test_save_writes_the_row_with_the_relation_the_view_passed(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, "/notes/1/pin/", 1, "mine", True]


def test_the_querying_clean_refuses_as_django_does_once_the_row_exists(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["exists"] == [200, 200, True, True, 1]
