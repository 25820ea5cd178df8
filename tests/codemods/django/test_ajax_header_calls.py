"""A view reading the AJAX header (`X-Requested-With: XMLHttpRequest`), itself or through a helper
of SRC (Spirit's `is_ajax(request)`), is also called with that header by the codemod's own
verification, and that answer is compared too (its form's submission, posted again with the header,
as well): an AJAX-only view answering JSON to the header and 404 without it is converted and
verified; one whose AJAX answer is a 500 on both sides is partial, with that call's reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked, project_analysis, write_project

SETTINGS = "ajaxsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "ajax-test-only"
        ALLOWED_HOSTS = ["testserver", "localhost"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "ajaxsite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "ajaxsite.urls"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("AJAXSITE_DB", "ajaxsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("", include("ajaxsite.notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/utils.py": """
        def is_ajax(request):
            return request.headers.get("x-requested-with") == "XMLHttpRequest"
        """,
    "notes/views.py": """
        from django.http import Http404, HttpResponse, JsonResponse
        from django.views.decorators.http import require_GET, require_POST

        from .utils import is_ajax


        @require_GET
        def only_ajax(request):
            if not is_ajax(request):
                raise Http404("only for a page's script")
            return JsonResponse({"notes": 2})


        @require_GET
        def broken_ajax(request):
            if is_ajax(request):
                raise RuntimeError("no JSON here")
            return HttpResponse("a page")


        @require_POST
        def posted(request):
            if is_ajax(request) and "csrfmiddlewaretoken" in request.POST:  # a form's post
                raise RuntimeError("posted by a script")
            return HttpResponse("posted")


        @require_GET
        def plain(request):
            return HttpResponse("a page")
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("only/", views.only_ajax, name="only_ajax"),
            path("broken/", views.broken_ajax, name="broken_ajax"),
            path("posted/", views.posted, name="posted"),
            path("plain/", views.plain, name="plain"),
        ]
        """,
}
SIDES = """
import json

import django

django.setup()
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app

legacy, new = Client(), TestClient(create_app())
ajax = {"X-Requested-With": "XMLHttpRequest"}
a, b = legacy.get("/only/", headers=ajax), new.get("/only/", headers=ajax)
print(json.dumps({"only": [a.status_code, b.status_code, a.json(), b.json()]}))
"""


VIEWS = ("only_ajax", "broken_ajax", "posted", "plain")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("ajax_header")
    return converted_and_asked(root, "ajaxsite", PROJECT, SETTINGS, SIDES)


def test_a_view_reading_the_header_through_a_helper_is_marked(tmp_path: Path) -> None:
    analysis = project_analysis(write_project(tmp_path / "ajaxsite", PROJECT))
    reads = {name: analysis.views[(("notes", "views.py"), name)].reads_ajax for name in VIEWS}
    assert reads == {"only_ajax": True, "broken_ajax": True, "posted": True, "plain": False}


def test_an_ajax_only_view_is_converted_and_verified(converted: dict[str, Any]) -> None:
    route = converted["routes"]["only_ajax"]
    assert (route["status"], route["verified"], route.get("ajax")) == ("converted", True, True)
    assert converted["sides"]["only"] == [200, 200, {"notes": 2}, {"notes": 2}]


def test_the_call_with_the_header_is_compared(converted: dict[str, Any]) -> None:
    route = converted["routes"]["broken_ajax"]
    assert route["status"] == "partial"
    assert any(
        "(with the AJAX header): 500 on both sides" in reason for reason in route["reasons"]
    ), route["reasons"]


def test_the_submission_is_posted_again_with_the_header(converted: dict[str, Any]) -> None:
    route = converted["routes"]["posted"]
    assert route["status"] == "partial"
    assert any(
        "POST /posted/ (posted with its CSRF token, as a button's form, with the AJAX header): "
        "500 on both sides (RuntimeError: posted by a script" in reason
        for reason in route["reasons"]
    ), route["reasons"]


def test_a_view_not_reading_it_is_called_without_it(converted: dict[str, Any]) -> None:
    route = converted["routes"]["plain"]
    assert (route["status"], route["verified"], "ajax" in route) == ("converted", True, False)
