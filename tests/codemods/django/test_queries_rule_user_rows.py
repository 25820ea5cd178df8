"""The queries rule on a view setting a row's key to the request's user, and reading the current
site: `task.created_by = request.user` takes the user's row (runtime user_rows.py), and
`Site.objects.get_current()` is read on the session into a variable."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.models import DjangoModelsRule
from codemods.django.rules.queries import DjangoQueriesRule
from codemods.django.sites_site import calls_current_site
from tests.codemods.django.support import convert_module, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("tasks/<int:pk>/", views.claim)]
"""
MODELS = """
    from django.conf import settings
    from django.db import models


    class Task(models.Model):
        title = models.CharField(max_length=200)
        created_by = models.ForeignKey(
            settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="tasks"
        )
"""
VIEWS = """
    from django.contrib.sites.models import Site
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Task


    def claim(request, pk):
        task = get_object_or_404(Task, pk=pk)
        task.created_by = request.user
        task.save()
        current_site = Site.objects.get_current()
        return JsonResponse({"by": task.created_by.email, "site": current_site.domain})
"""


def converted(tmp_path: Path) -> str:
    files = {
        "__init__.py": "",
        "todo/__init__.py": "",
        "todo/urls.py": URLS,
        "todo/models.py": MODELS,
        "todo/views.py": VIEWS,
    }
    code, _ = convert_module(
        write_project(tmp_path / "site", files), "todo/views.py", [DjangoQueriesRule]
    )
    return code


def test_a_rows_key_set_to_the_requests_user_takes_the_users_row(tmp_path: Path) -> None:
    code = converted(tmp_path)

    assert "task.created_by = user_row(session, tables.User, request.user)" in code
    assert "from codemods.runtime.django.user_rows import user_row" in code


def test_the_current_site_in_a_variable_is_read_on_the_session(tmp_path: Path) -> None:
    code = converted(tmp_path)

    assert "current_site = sites.current_site(session, None, tables.SitesSite)" in code
    assert "from codemods.runtime.django import sites" in code


def test_the_models_module_gets_djangos_site_when_src_reads_the_current_site(
    tmp_path: Path,
) -> None:
    root = write_project(
        tmp_path / "site",
        {
            "todo/__init__.py": "",
            "todo/urls.py": URLS,
            "todo/models.py": MODELS,
            "todo/views.py": VIEWS,
        },
    )
    code, _ = convert_module(root, "todo/models.py", [DjangoModelsRule])

    assert "class SitesSite(DjangoEquality, Base):" in code
    assert calls_current_site(root)


def test_no_site_is_generated_when_src_does_not_read_it(tmp_path: Path) -> None:
    views = VIEWS.replace("Site.objects.get_current()", "None")
    root = write_project(
        tmp_path / "site",
        {
            "todo/__init__.py": "",
            "todo/urls.py": URLS,
            "todo/models.py": MODELS,
            "todo/views.py": views,
        },
    )
    code, _ = convert_module(root, "todo/models.py", [DjangoModelsRule])

    assert "SitesSite" not in code
