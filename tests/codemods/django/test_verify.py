"""`strangler codemod django` checks its own output against the legacy project, as Django serves
it: a route is verified only when both sides answer alike, 500 on both sides is a finding, the
path values come from a row of the database, and the user's database is never written to."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

SETTINGS = "minisite.settings"
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
            "minisite.shop",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "minisite.urls"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("MINISITE_DB", "minisite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("shop/", include("minisite.shop.urls"))]
        """,
    "shop/__init__.py": "",
    "shop/models.py": """
        from django.db import models


        class Item(models.Model):
            name = models.CharField(max_length=20)
        """,
    "shop/views.py": """
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404
        from django.views.decorators.http import require_GET

        from .models import Item


        @require_GET
        def hello(request):
            return JsonResponse({"hello": "world"})


        @require_GET
        def item(request, pk):
            found = get_object_or_404(Item, pk=pk)
            raise RuntimeError(f"item {found.name} breaks the view")


        @require_GET
        def count(request):
            return JsonResponse({"items": Item.objects.count()})


        @require_GET
        def names(request):
            return JsonResponse({"names": list(Item.objects.values("name"))})


        @require_GET
        def broken(request):
            return JsonResponse({"half": 1 / 0})
        """,
    "shop/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("hello/", views.hello, name="hello"),
            path("items/<int:pk>/", views.item, name="item"),
            path("count/", views.count, name="count"),
            path("names/", views.names, name="names"),
            path("broken/", views.broken, name="broken"),
            path("items/<int:pk>/again/", views.item),
        ]
        """,
}


def user_database(path: Path) -> Path:
    """The user's database: an `Item` table with one row, pk 7."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "CREATE TABLE shop_item (id integer PRIMARY KEY AUTOINCREMENT, name varchar(20))"
        )
        connection.execute("INSERT INTO shop_item (id, name) VALUES (7, 'lamp')")
    connection.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The report of a run on minisite, with its database file's digest before and after."""
    write_project(tmp_path / "minisite", PROJECT)
    database = user_database(tmp_path / "users.sqlite3")
    before = digest(database)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINISITE_DB", str(database))
    report = tmp_path / "report.json"
    arguments = ["minisite", "--out", "out/generated", "--report", str(report)]
    result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {
        "routes": {e["name"]: e for e in entries if e["kind"] == "route"},
        "before": before,
        "after": digest(database),
    }


def test_a_route_answering_as_django_does_is_verified(verified: dict[str, Any]) -> None:
    hello = verified["routes"]["hello"]
    assert hello["verified"] is True
    assert hello["error"] is None


def test_a_view_reaching_no_orm_is_converted_once_verified(verified: dict[str, Any]) -> None:
    assert verified["routes"]["hello"]["status"] == "converted"
    assert verified["routes"]["names"]["status"] == "partial"  # values: Django's ORM
    assert any("Django's ORM" in r for r in verified["routes"]["names"]["reasons"])


def test_a_view_whose_queries_became_select_is_converted_once_verified(
    verified: dict[str, Any],
) -> None:
    count = verified["routes"]["count"]
    assert (count["status"], count["verified"], count["reasons"]) == ("converted", True, [])


def test_a_view_failing_verification_is_not_converted(verified: dict[str, Any]) -> None:
    broken = verified["routes"]["broken"]
    assert (broken["status"], broken["verified"]) == ("partial", False)
    assert "ZeroDivisionError" in broken["error"]


def test_a_route_failing_on_both_sides_is_a_finding_with_the_error(
    verified: dict[str, Any],
) -> None:
    item = verified["routes"]["item"]
    assert item["verified"] is False
    assert item["status"] == "partial"
    assert "500 on both sides" in item["error"]
    assert "RuntimeError: item lamp breaks the view" in item["error"]


def test_a_pattern_without_a_name_is_called_at_the_url_of_its_path(
    verified: dict[str, Any],
) -> None:
    unnamed = verified["routes"][None]
    assert unnamed["verified"] is False  # called: the view breaks on both sides
    assert "GET /shop/items/7/again/: 500 on both sides" in unnamed["error"]


def test_path_values_come_from_a_row_of_the_users_database(verified: dict[str, Any]) -> None:
    assert "GET /shop/items/7/" in verified["routes"]["item"]["error"]


def test_the_users_database_is_not_written_to(verified: dict[str, Any]) -> None:
    assert verified["after"] == verified["before"]
    assert verified["routes"]["count"]["verified"] is True  # read from the copy


def test_no_verify_leaves_every_route_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path / "minisite", PROJECT)
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report.json"
    arguments = ["minisite", "--out", "out/generated", "--report", str(report), "--no-verify"]
    result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    routes = [e for e in json.loads(report.read_text()) if e["kind"] == "route"]
    assert {e["verified"] for e in routes} == {None}
