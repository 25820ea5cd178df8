"""A route that takes POST only is posted what its view reads of the submission (post_reads.py):
the keys it reads itself and the fields of the form it builds on the whole of it, a key its lookup
compares with a model's field given a row's value. Before, it was posted its CSRF token alone, and
a view reading `request.POST["title"]` answered the same `MultiValueDictKeyError` on both sides,
proving nothing. A generated view edited to look up another title answers otherwise than legacy
on that submission only, and fails."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import write_project
from tests.codemods.verify.test_verify_form_pass import PROJECT as FORM_PROJECT
from tests.codemods.verify.test_verify_form_pass import codemod

VIEWS = """
    from django.http import JsonResponse
    from django.views.decorators.http import require_POST

    from .forms import NoteForm
    from .models import Note


    @require_POST
    def check(request):
        note = Note.objects.filter(title=request.POST["title"]).first()
        form = NoteForm(request.POST, instance=note)
        if note is None:
            return JsonResponse({"found": False}, status=404)
        return JsonResponse({"valid": form.is_valid()}, status=200 if form.is_valid() else 400)


    @require_POST
    def recheck(request):
        note = Note.objects.filter(title=request.POST["title"]).first()
        if note is None:
            return JsonResponse({"found": False}, status=404)
        return JsonResponse({"found": True})
    """
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("check/", views.check, name="check"),
        path("recheck/", views.recheck, name="recheck"),
    ]
    """


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The report of a verified run whose generated `recheck` looks up another title."""
    root = tmp_path_factory.mktemp("postsite")
    project = {
        **{k: v for k, v in FORM_PROJECT.items() if not k.startswith("notes/templates")},
        "notes/views.py": VIEWS,
        "notes/urls.py": URLS,
    }
    write_project(root / "formsite", project)
    codemod(root, "--no-verify")
    views = root / "generated" / "notes" / "views.py"
    text = views.read_text()
    start = text.index("def recheck(")
    body = text[start:]
    read = 'present(last(title), "title")'  # request.POST["title"], as the codemod types it
    assert read in body, body
    views.write_text(text[:start] + body.replace(read, '"another"'))
    return codemod(root)


def test_the_route_entry_names_the_keys_and_forms_its_view_reads(
    routes: dict[str, dict[str, Any]],
) -> None:
    assert routes["check"]["post_keys"] == {"title": "Note.title"}
    assert routes["check"]["post_forms"] == ["NoteForm"]


def test_a_view_reading_the_submission_is_posted_what_it_reads_and_verified(
    routes: dict[str, dict[str, Any]],
) -> None:
    assert routes["check"]["verified"] is True, routes["check"]["error"]


def test_a_view_finding_another_row_than_legacy_fails(routes: dict[str, dict[str, Any]]) -> None:
    assert routes["recheck"]["verified"] is False
    assert "200 on legacy, 404 on new" in routes["recheck"]["error"]
