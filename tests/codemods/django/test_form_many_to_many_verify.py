"""End to end, on a small project: a view saving a ModelForm with a many-to-many field (as
django-todo's task has assignees) comes out `converted` and verified by the codemod's own check;
the generated app renders Django's options on GET, saves the chosen links through the association
table, and refuses a key not among the choices with Django's message, writing nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "notes/models.py": """
        from django.db import models


        class Label(models.Model):
            name = models.CharField(max_length=20)

            class Meta:
                ordering = ["name"]

            def __str__(self):
                return self.name


        class Note(models.Model):
            title = models.CharField(max_length=20)
            labels = models.ManyToManyField(Label, blank=True)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Note


        class NoteForm(forms.ModelForm):
            class Meta:
                model = Note
                fields = ["title", "labels"]
        """,
    "notes/views.py": """
        from django.shortcuts import redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import NoteForm


        @csrf_exempt
        def note(request):
            form = NoteForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("note")
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("note/", views.note, name="note")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Label, Note

red, blue, green = (Label.objects.create(name=n) for n in ("red", "blue", "green"))
legacy, new = Client(), TestClient(create_app())
a, b = legacy.get("/notes/note/"), new.get("/notes/note/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text]}
answer = new.post("/notes/note/", data={"title": "mine", "labels": [str(red.pk), str(green.pk)]},
                  follow_redirects=False)
note = Note.objects.get()
found["saved"] = [answer.status_code, note.title,
                  sorted(note.labels.values_list("name", flat=True))]
foreign = {"title": "theirs", "labels": [str(red.pk), "999"]}
a, b = legacy.post("/notes/note/", foreign), new.post("/notes/note/", data=foreign)
found["foreign"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                    "Select a valid choice. 999 is not one of the available choices." in b.text,
                    Note.objects.count()]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("m2m-twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_saving_a_form_with_a_many_to_many_field_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    note = converted["routes"]["note"]
    assert (note["status"], note["verified"], note.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_offers_django_s_options(converted: dict[str, Any]) -> None:
    assert converted["sides"]["page"] == [200, 200, True]


def test_the_chosen_rows_are_saved_as_links(converted: dict[str, Any]) -> None:
    assert converted["sides"]["saved"] == [302, "mine", ["green", "red"]]


def test_a_key_not_among_the_choices_is_refused_with_django_s_message_and_nothing_written(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["foreign"] == [200, 200, True, True, 1]
