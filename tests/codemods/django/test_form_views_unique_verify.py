"""End to end, on a small project: a `CreateView`/`UpdateView` whose ModelForm's model has a
unique field and a `unique_together` comes out `converted` and verified; the generated app
refuses a value another row holds with Django's page (the errors of `validate_unique`, checked
on the session) and lets a row keep its own values."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked
from tests.codemods.django.test_form_views_verify import PROJECT as FORM_VIEWS

PROJECT = {
    **FORM_VIEWS,
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=20)
            body = models.TextField(blank=True)
            slug = models.SlugField(max_length=20, unique=True)

            class Meta:
                unique_together = ("title", "body")
        """,
    "notes/forms.py": """
        from django import forms

        from .models import Note


        class NoteForm(forms.ModelForm):
            class Meta:
                model = Note
                fields = ["title", "body", "slug"]
        """,
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Note

legacy, new = Client(), TestClient(create_app())
answer = new.post("/notes/new/", data={"title": "a", "body": "b", "slug": "a"},
                  follow_redirects=False)
note = Note.objects.get()
found = {"created": [answer.status_code, note.slug]}
for case, data in {"slug": {"title": "c", "body": "d", "slug": "a"},
                   "together": {"title": "a", "body": "b", "slug": "c"}}.items():
    a, b = legacy.post("/notes/new/", data), new.post("/notes/new/", data=data)
    found[case] = [a.status_code, b.status_code, a.content.decode() == b.text,
                   "already exists" in b.text, Note.objects.count()]
answer = new.post(f"/notes/{note.pk}/edit/", data={"title": "a", "body": "b", "slug": "a"},
                  follow_redirects=False)
found["kept"] = [answer.status_code, Note.objects.count()]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("form_views_unique")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


@pytest.mark.parametrize("route", ["note_create", "note_update"])
def test_views_on_a_form_with_unique_checks_are_converted_and_verified(
    converted: dict[str, Any], route: str
) -> None:
    entry = converted["routes"][route]
    assert (entry["status"], entry["verified"], entry.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_a_unique_value_another_row_holds_re_renders_django_s_error(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["created"] == [302, "a"]
    assert converted["sides"]["slug"] == [200, 200, True, True, 1]


def test_a_unique_together_group_another_row_holds_re_renders_django_s_error(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["together"] == [200, 200, True, True, 1]


def test_a_row_saved_with_its_own_unique_values_is_updated(converted: dict[str, Any]) -> None:
    assert converted["sides"]["kept"] == [302, 1]
