"""End to end through the codemod's verification: a function view and a plain class-based view
calling a helper of another module whose own helper of that module queries (the model imported
inside it, its query a custom manager method) both come out `converted` and verified: the twins
run on the route's session and answer as Django does, for the default row and a missing one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import write_project
from tests.codemods.verify.test_verify_form_pass import PROJECT as FORM_PROJECT
from tests.codemods.verify.test_verify_form_pass import codemod

MODELS = """
    from django.db import models


    class NoteManager(models.Manager):
        def default(self):
            return self.filter(body="").first()


    class Note(models.Model):
        objects = NoteManager()

        title = models.CharField(max_length=20)
        body = models.TextField(blank=True)
"""
UTILS = """
    def default_note():
        from formsite.notes.models import Note
        return Note.objects.default()


    def default_note_id():
        note = default_note()
        return note.id if note is not None else 0
"""
VIEWS = """
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404
    from django.views import View

    from .models import Note
    from .utils import default_note_id


    def default_view(request):
        return JsonResponse({"id": default_note_id()})


    class NoteView(View):
        def get(self, request, *args, **kwargs):
            note = get_object_or_404(Note, id=kwargs.get("pk", default_note_id()))
            return JsonResponse({"title": note.title})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("default/", views.default_view, name="default"),
        path("note/", views.NoteView.as_view(), name="note"),
        path("note/<int:pk>/", views.NoteView.as_view(), name="note-pk"),
    ]
"""


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("chainsite")
    project = {
        **{k: v for k, v in FORM_PROJECT.items() if not k.startswith("notes/templates")},
        "notes/models.py": MODELS,
        "notes/utils.py": UTILS,
        "notes/views.py": VIEWS,
        "notes/urls.py": URLS,
    }
    write_project(root / "formsite", project)
    return codemod(root)


@pytest.mark.parametrize("name", ["default", "note", "note-pk"])
def test_the_views_calling_the_twinned_helpers_are_converted_and_verified(
    routes: dict[str, dict[str, Any]], name: str
) -> None:
    assert (routes[name]["status"], routes[name]["verified"]) == ("converted", True), routes[name]
