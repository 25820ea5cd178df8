"""Verification posts a valid submission of a form's page on both sides: the forms Django renders
on the route's GET are filled from their own fields (a text typed in, a choice from the choices,
a row of a model choice's queryset), the CSRF token goes in the body as `{% csrf_token %}` puts
it, and the status, the redirect's `Location` and the rows written must be the same (a date-time
written during the call, `auto_now`, stands for "now" on both sides); a POST-only route is
posted its CSRF token alone. A difference is shown on a generated view edited to differ from
legacy on a submission only (kept by the second run: an edited file is not overwritten). The
logged-in pass is also shown: on a page answering Django's login form, and with the verification
user in the seeded group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

SETTINGS = "formsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "form-pass-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "formsite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "formsite.urls"
        LOGIN_URL = "/accounts/login/"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ["FORMSITE_DB"],
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("notes/", include("formsite.notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=20)
            body = models.TextField(blank=True)
            edited = models.DateTimeField(auto_now=True)
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
        from django.contrib.auth.decorators import login_required
        from django.contrib.auth.forms import AuthenticationForm
        from django.shortcuts import get_object_or_404, redirect, render
        from django.views.decorators.http import require_POST

        from .forms import NoteForm
        from .models import Note


        def edit(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = NoteForm(data=request.POST or None, instance=note)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("edit", pk=pk)
            return render(request, "notes/edit.html", {"form": form})


        def rename(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = NoteForm(data=request.POST or None, instance=note)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("rename", pk=pk)
            return render(request, "notes/edit.html", {"form": form})


        def retitle(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = NoteForm(data=request.POST or None, instance=note)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("retitle", pk=pk)
            return render(request, "notes/edit.html", {"form": form})


        @login_required
        def private(request, pk):
            note = get_object_or_404(Note, pk=pk)
            form = NoteForm(data=request.POST or None, instance=note)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("private", pk=pk)
            return render(request, "notes/edit.html", {"form": form})


        def staff(request):
            if not request.user.is_staff:
                return render(request, "notes/login.html", {"form": AuthenticationForm(request)})
            raise RuntimeError(f"staff page for {request.user.get_username()}")


        @login_required
        def grouped(request):
            names = [group.name for group in request.user.groups.all()]
            raise RuntimeError(f"groups {names}")


        @require_POST
        def remove(request, pk):
            note = get_object_or_404(Note, pk=pk)
            note.delete()
            return redirect("edit", pk=pk)


        @require_POST
        def drop(request, pk):
            note = get_object_or_404(Note, pk=pk)
            note.delete()
            return redirect("edit", pk=pk)
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("<int:pk>/edit/", views.edit, name="edit"),
            path("<int:pk>/rename/", views.rename, name="rename"),
            path("<int:pk>/retitle/", views.retitle, name="retitle"),
            path("<int:pk>/private/", views.private, name="private"),
            path("<int:pk>/remove/", views.remove, name="remove"),
            path("<int:pk>/drop/", views.drop, name="drop"),
            path("staff/", views.staff, name="staff"),
            path("grouped/", views.grouped, name="grouped"),
        ]
        """,
    "notes/templates/notes/login.html": "<form method='post'>{{ form.as_p }}</form>\n",
    "notes/templates/notes/edit.html": (
        "<form method='post'>{% csrf_token %}{{ form.as_p }}</form>\n"
    ),
}


def codemod(root: Path, *options: str) -> dict[str, dict[str, Any]]:
    report = root / "report.json"
    arguments = ["formsite", "--out", "generated", "--report", str(report), *options]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("FORMSITE_DB", str(root / "formsite.sqlite3"))
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {e["name"]: e for e in entries if e["kind"] == "route"}


def edit_handler(views: Path, handler: str, old: str, new: str) -> None:
    """Replace `old` by `new` in the body of the generated `handler` only."""
    text = views.read_text()
    start = text.index(f"def {handler}(")
    end = text.find("\ndef ", start + 1)
    end = len(text) if end == -1 else end
    body = text[start:end]
    assert old in body, body
    views.write_text(text[:start] + body.replace(old, new) + text[end:])


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The report of a verified run on formsite, whose generated `rename` redirects elsewhere,
    `retitle` and `private` write another title (their own name) on a valid submission only,
    and `drop` deletes nothing."""
    root = tmp_path_factory.mktemp("formsite")
    write_project(root / "formsite", PROJECT)
    codemod(root, "--no-verify")
    views = root / "generated" / "notes" / "views.py"
    edit_handler(views, "rename", 'redirect("rename"', 'redirect("edit"')
    edit_handler(views, "drop", "delete(session, note)", "pass")
    for handler in ("retitle", "private"):
        other = f"form.save()\n        note.title = '{handler}'\n        session.commit()"
        edit_handler(views, handler, "form.save()", other)
    return codemod(root)


def test_a_valid_submission_writing_as_legacy_writes_is_verified(
    routes: dict[str, dict[str, Any]],
) -> None:
    edit = routes["edit"]
    assert (edit["verified"], edit["error"]) == (True, None)


def test_a_valid_submission_redirecting_elsewhere_fails(routes: dict[str, dict[str, Any]]) -> None:
    rename = routes["rename"]
    assert rename["verified"] is False
    assert "POST /notes/1/rename/ (a valid form posted)" in rename["error"]
    assert "redirect to '/notes/1/rename/' on legacy, '/notes/1/edit/' on new" in rename["error"]


def test_a_valid_submission_writing_other_rows_fails(routes: dict[str, dict[str, Any]]) -> None:
    retitle = routes["retitle"]
    assert retitle["verified"] is False
    assert "(a valid form posted)" in retitle["error"]
    assert "rows written differ in default.notes_note" in retitle["error"]
    assert "'submitted'" in retitle["error"] and "'retitle'" in retitle["error"]


def test_a_form_behind_a_login_is_posted_as_the_logged_in_user(
    routes: dict[str, dict[str, Any]],
) -> None:
    private = routes["private"]
    assert private["verified"] is False
    assert "rows written differ in default.notes_note" in private["error"]


def test_a_post_only_route_deleting_as_legacy_deletes_is_verified(
    routes: dict[str, dict[str, Any]],
) -> None:
    remove = routes["remove"]
    assert (remove["verified"], remove["error"]) == (True, None)


def test_a_post_only_route_posted_its_csrf_token_must_delete_the_same_rows(
    routes: dict[str, dict[str, Any]],
) -> None:
    drop = routes["drop"]
    assert drop["verified"] is False
    assert "POST /notes/1/drop/ (posted with its CSRF token, as a button's form)" in drop["error"]
    assert "rows written differ in default.notes_note: legacy added [] removed" in drop["error"]


def test_a_page_answering_with_the_login_form_is_called_as_the_logged_in_user(
    routes: dict[str, dict[str, Any]],
) -> None:
    staff = routes["staff"]
    assert staff["verified"] is False
    assert "GET /notes/staff/ (as the logged-in user): 500 on both sides" in staff["error"]
    assert "RuntimeError: staff page for strangler-verify" in staff["error"]


def test_the_logged_in_user_is_a_member_of_the_seeded_group(
    routes: dict[str, dict[str, Any]],
) -> None:
    grouped = routes["grouped"]
    assert "(as the logged-in user): 500 on both sides" in grouped["error"]
    assert "RuntimeError: groups ['sample']" in grouped["error"]
