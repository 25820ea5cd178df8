"""End to end, on a small project: a ModelForm whose save() also writes a row of another model of
its models module through `update_or_create`, inside `transaction.atomic()` and a `try` ignoring
IntegrityError (spirit's FlagForm and CommentFlag), comes out `converted` and verified by the
codemod's own check, and the generated app writes both rows as Django does: the flagged note's
one tally row created on the first save and updated, not duplicated, on the next."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked

PROJECT = {
    **pinsite.PROJECT,
    "notes/models.py": """
        from django.conf import settings
        from django.db import models
        from django.utils import timezone


        class Note(models.Model):
            title = models.CharField(max_length=20)


        class NoteFlag(models.Model):
            note = models.OneToOneField(Note, on_delete=models.CASCADE)
            date = models.DateTimeField(default=timezone.now)
            is_closed = models.BooleanField(default=False)


        class Flag(models.Model):
            note = models.ForeignKey(Note, on_delete=models.CASCADE)
            reason = models.IntegerField(choices=((0, "Spam"), (1, "Other")))
            body = models.TextField(blank=True)
        """,
    "notes/forms.py": """
        from django import forms
        from django.db import IntegrityError, transaction
        from django.utils import timezone

        from .models import Flag, NoteFlag


        class FlagForm(forms.ModelForm):
            class Meta:
                model = Flag
                fields = ["reason", "body"]

            def __init__(self, note=None, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.note = note

            def save(self, commit=True):
                if not self.instance.pk:
                    self.instance.note = self.note
                    try:
                        with transaction.atomic():
                            NoteFlag.objects.update_or_create(
                                note=self.note, defaults={"date": timezone.now()}
                            )
                    except IntegrityError:
                        pass
                return super().save(commit)
        """,
    "notes/views.py": """
        from django.shortcuts import get_object_or_404, redirect, render
        from django.views.decorators.csrf import csrf_exempt

        from .forms import FlagForm
        from .models import Note


        @csrf_exempt
        def flag(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = FlagForm(note=note, data=request.POST or None)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("flag", pk=pk)
            return render(request, "notes/edit.html", {"form": form})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("<int:pk>/flag/", views.flag, name="flag")]
        """,
    "notes/templates/notes/edit.html": "<form method='post'>{{ form.as_p }}</form>\n",
}
SIDES = (
    pinsite.SIDES_START
    + """from pinsite.notes.models import Flag, Note, NoteFlag

Note.objects.create(title="first")
legacy, new = Client(), TestClient(create_app())
a, b = legacy.get("/notes/1/flag/"), new.get("/notes/1/flag/")
found = {"page": [a.status_code, b.status_code, a.content.decode() == b.text]}
answer = new.post("/notes/1/flag/", data={"reason": "0", "body": "spam"}, follow_redirects=False)
first = NoteFlag.objects.get().date
found["first"] = [answer.status_code, answer.headers["location"], Flag.objects.count(),
                  NoteFlag.objects.count(), NoteFlag.objects.get().note_id]
new.post("/notes/1/flag/", data={"reason": "1"}, follow_redirects=False)
found["again"] = [Flag.objects.count(), NoteFlag.objects.count(),
                  NoteFlag.objects.get().date >= first]
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("twins")
    return converted_and_asked(root, "pinsite", PROJECT, pinsite.SETTINGS, SIDES)


def test_the_view_whose_form_saves_through_update_or_create_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    flag = converted["routes"]["flag"]
    assert (flag["status"], flag["verified"], flag.get("reasons", [])) == ("converted", True, [])


def test_the_form_page_is_django_s(converted: dict[str, Any]) -> None:
    assert converted["sides"]["page"] == [200, 200, True]


def test_the_first_save_writes_the_form_s_row_and_creates_the_tally_row(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["first"] == [302, "/notes/1/flag/", 1, 1, 1]


def test_a_second_save_updates_the_tally_row_rather_than_adding_one(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["again"] == [2, 1, True]
