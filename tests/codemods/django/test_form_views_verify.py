"""End to end, on a small project: a `CreateView` and an `UpdateView` whose ModelForm gets a
twin (form_views.py) come out `converted` and verified by the codemod's own check (its form
pass posts both sides and compares the rows written); the generated app renders the form page,
saves the row (a default of the model on create), redirects to `success_url` as Django does,
and re-renders the form with its errors (200) writing nothing."""

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
            body = models.TextField(blank=True)
            stars = models.IntegerField(default=3)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Note


        class NoteForm(forms.ModelForm):
            class Meta:
                model = Note
                fields = ["title", "body"]
        """,
    "notes/views.py": """
        from django.urls import reverse_lazy
        from django.utils.decorators import method_decorator
        from django.views.decorators.csrf import csrf_exempt
        from django.views.generic import CreateView, UpdateView

        from .forms import NoteForm
        from .models import Note


        @method_decorator(csrf_exempt, name="dispatch")
        class NoteCreate(CreateView):
            form_class = NoteForm
            template_name = "notes/edit.html"
            success_url = reverse_lazy("note_create")


        @method_decorator(csrf_exempt, name="dispatch")
        class NoteUpdate(UpdateView):
            model = Note
            form_class = NoteForm
            template_name = "notes/edit.html"
            success_url = "/notes/{id}/edit/"
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("new/", views.NoteCreate.as_view(), name="note_create"),
            path("<int:pk>/edit/", views.NoteUpdate.as_view(), name="note_update"),
        ]
        """,
    "notes/templates/notes/edit.html": (
        "<h1>{{ object.title|default:'new' }}</h1><form method='post'>{{ form.as_p }}</form>\n"
    ),
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Note

legacy, new = Client(), TestClient(create_app())
a, b = legacy.get("/notes/new/"), new.get("/notes/new/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text]}
answer = new.post("/notes/new/", data={"title": " made ", "body": "b"}, follow_redirects=False)
note = Note.objects.get()
found["created"] = [answer.status_code, answer.headers["location"], note.title, note.stars]
a = legacy.get(f"/notes/{note.pk}/edit/")
b = new.get(f"/notes/{note.pk}/edit/")
found["edit_page"] = [a.status_code, b.status_code, a.content.decode() == b.text]
answer = new.post(f"/notes/{note.pk}/edit/", data={"title": "changed", "body": ""},
                  follow_redirects=False)
note.refresh_from_db()
found["updated"] = [answer.status_code, answer.headers["location"], note.title, note.body]
a = legacy.post(f"/notes/{note.pk}/edit/", {"title": ""})
b = new.post(f"/notes/{note.pk}/edit/", data={"title": ""})
found["refused"] = [a.status_code, b.status_code, a.content.decode() == b.text,
                    Note.objects.get().title]
a, b = legacy.get("/notes/999/edit/"), new.get("/notes/999/edit/")
found["missing"] = [a.status_code, b.status_code]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("form_views")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


@pytest.mark.parametrize("route", ["note_create", "note_update"])
def test_the_create_and_update_views_are_converted_and_verified(
    converted: dict[str, Any], route: str
) -> None:
    entry = converted["routes"][route]
    assert (entry["status"], entry["verified"], entry.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_the_create_page_is_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["page"] == [200, 200, True]


def test_a_valid_create_saves_the_row_with_the_model_default_and_redirects(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["created"] == [302, "/notes/new/", "made", 3]


def test_the_update_page_shows_the_row_as_django_does(converted: dict[str, Any]) -> None:
    assert converted["sides"]["edit_page"] == [200, 200, True]


def test_a_valid_update_saves_the_row_and_redirects_to_the_formatted_success_url(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["updated"] == [302, "/notes/1/edit/", "changed", ""]


def test_an_invalid_update_re_renders_django_s_errors_and_writes_nothing(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["refused"] == [200, 200, True, "changed"]


def test_an_unknown_object_answers_404_on_both_sides(converted: dict[str, Any]) -> None:
    assert converted["sides"]["missing"] == [404, 404]
