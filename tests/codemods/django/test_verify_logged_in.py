"""Verification calls a route that asks an anonymous caller to log in again on both sides as one
logged-in user of the sandbox's database (Django's own session), so that what the view answers
is compared, not two alike redirects to the login page."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

SETTINGS = "loginsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "verify-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "loginsite.desk",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "loginsite.urls"
        LOGIN_URL = "/accounts/login/"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ["LOGINSITE_DB"],
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("desk/", include("loginsite.desk.urls"))]
        """,
    "desk/__init__.py": "",
    "desk/views.py": """
        from django.contrib.auth.decorators import login_required
        from django.http import JsonResponse
        from django.views.decorators.http import require_GET, require_POST


        @require_GET
        @login_required
        def me(request):
            return JsonResponse({"user": request.user.get_username()})


        @require_GET
        @login_required
        def boom(request):
            raise RuntimeError(f"boom for {request.user.get_username()}")


        @require_POST
        @login_required
        def post_boom(request):
            raise RuntimeError(f"posted by {request.user.get_username()}")


        @require_GET
        def public(request):
            return JsonResponse({"open": True})
        """,
    "desk/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("me/", views.me, name="me"),
            path("boom/", views.boom, name="boom"),
            path("post-boom/", views.post_boom, name="post_boom"),
            path("public/", views.public, name="public"),
        ]
        """,
}


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report of a run on loginsite, with its (empty) database file's digest before and
    after."""
    root = tmp_path_factory.mktemp("loginsite")
    write_project(root / "loginsite", PROJECT)
    database = root / "users.sqlite3"
    sqlite3.connect(database).close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("LOGINSITE_DB", str(database))
        report = root / "report.json"
        arguments = ["loginsite", "--out", "out/generated", "--report", str(report)]
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {
        "routes": {e["name"]: e for e in entries if e["kind"] == "route"},
        "before": before,
        "after": hashlib.sha256(database.read_bytes()).hexdigest(),
    }


def test_a_login_required_route_is_called_as_the_logged_in_user_on_both_sides(
    verified: dict[str, Any],
) -> None:
    boom = verified["routes"]["boom"]
    assert boom["verified"] is False
    assert "(as the logged-in user)" in boom["error"]
    assert "500 on both sides" in boom["error"]
    assert "RuntimeError: boom for strangler-verify" in boom["error"]


def test_a_login_required_route_answering_alike_when_logged_in_is_verified(
    verified: dict[str, Any],
) -> None:
    me = verified["routes"]["me"]
    assert (me["verified"], me["error"]) == (True, None)


def test_an_unsafe_method_is_called_with_a_csrf_token_as_the_logged_in_user(
    verified: dict[str, Any],
) -> None:
    post_boom = verified["routes"]["post_boom"]
    assert "POST /desk/post-boom/ (as the logged-in user)" in post_boom["error"]
    assert "RuntimeError: posted by strangler-verify" in post_boom["error"]


def test_a_route_answering_an_anonymous_caller_is_not_called_again(
    verified: dict[str, Any],
) -> None:
    assert verified["routes"]["public"]["verified"] is True


def test_the_verification_user_lives_only_in_the_sandbox(verified: dict[str, Any]) -> None:
    assert verified["after"] == verified["before"]
