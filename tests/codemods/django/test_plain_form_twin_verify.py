"""End to end, on a small project: a view building a plain `forms.Form` whose `clean_<field>`
queries (spirit's ResendActivationForm: the address looked up among the rows, the row found kept
on the form for the view) comes out `converted` and verified by the codemod's own check, and the
generated app answers as Django does: the form page, the field's error for an unknown title and
the view's answer naming the row the form found."""

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
            archived = models.BooleanField(default=False)
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Note


        class FindNoteForm(forms.Form):
            title = forms.CharField(max_length=20)

            def clean_title(self):
                title = self.cleaned_data["title"]
                if not Note.objects.filter(title=title).exists():
                    raise forms.ValidationError("No note has this title.")
                self.note = Note.objects.filter(title=title, archived=False).order_by("-pk").first()
                if not self.note:
                    raise forms.ValidationError("This note is archived.")
                return title

            def get_note(self):
                return self.note
        """,
    "notes/views.py": """
        from django.http import HttpResponse
        from django.shortcuts import render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import FindNoteForm


        @csrf_exempt
        def find(request):
            form = FindNoteForm(data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                note = form.get_note()
                return HttpResponse(f"found {note.pk}")
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("find/", views.find, name="find")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Note

Note.objects.create(title="first")
Note.objects.create(title="first")
Note.objects.create(title="old", archived=True)
legacy, new = Client(), TestClient(create_app())
found = {}
for key, data in [("page", None), ("found", {"title": "first"}), ("unknown", {"title": "x"}),
                  ("archived", {"title": "old"})]:
    if data is None:
        a, b = legacy.get("/notes/find/"), new.get("/notes/find/")
    else:
        a, b = legacy.post("/notes/find/", data), new.post("/notes/find/", data=data)
    found[key] = [a.status_code, b.status_code, a.content.decode() == b.text, b.text[:40]]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_with_a_plain_form_whose_clean_queries_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    find = converted["routes"]["find"]
    assert (find["status"], find["verified"], find.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_is_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["page"][:3] == [200, 200, True]


def test_the_row_the_form_found_is_the_one_django_finds(converted: dict[str, Any]) -> None:
    assert converted["sides"]["found"] == [200, 200, True, "found 2"]


def test_an_unknown_value_gets_the_field_s_error_as_in_django(converted: dict[str, Any]) -> None:
    page = converted["sides"]["unknown"]
    assert page[:3] == [200, 200, True]


def test_a_value_the_second_query_refuses_gets_its_error_as_in_django(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["archived"][:3] == [200, 200, True]
