"""`strangler codemod django` on a small Django REST framework project: every pattern of its
APIViews, generic views, `@api_view` functions and router is a route of the generated app, the
verification calls each one on both sides, and a view with no query of its own is `converted`
once verified (one on Django's ORM `partial`, with the reason)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

SETTINGS = "drfsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "drf-verify-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "rest_framework",
            "drfsite.notes",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "drfsite.urls"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("DRFSITE_DB", "drfsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        REST_FRAMEWORK = {
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework.authentication.SessionAuthentication",
                "rest_framework.authentication.BasicAuthentication",
            ],
        }
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("api/", include("drfsite.notes.urls"))]
        """,
    "notes/__init__.py": "",
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            text = models.CharField(max_length=50)
        """,
    "notes/serializers.py": """
        from rest_framework import serializers


        class EchoSerializer(serializers.Serializer):
            text = serializers.CharField(max_length=10)
        """,
    "notes/views.py": """
        from django.db.models import Max
        from rest_framework import viewsets
        from rest_framework.decorators import api_view
        from rest_framework.generics import GenericAPIView
        from rest_framework.permissions import IsAuthenticated
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from .models import Note
        from .serializers import EchoSerializer


        @api_view(["GET"])
        def ping(request):
            return Response({"pong": True})


        class Me(APIView):
            permission_classes = [IsAuthenticated]

            def get(self, request):
                return Response({"username": request.user.username})


        class Echo(GenericAPIView):
            serializer_class = EchoSerializer

            def post(self, request):
                serializer = self.get_serializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                return Response(serializer.validated_data)


        class NoteStats(GenericAPIView):
            def get(self, request, pk):
                try:
                    note = Note.objects.get(pk=pk)
                except Note.DoesNotExist:
                    return Response({"found": False}, status=404)
                top = Note.objects.filter(pk__gte=pk).aggregate(top=Max("text"))["top"]
                return Response({"text": note.text, "top": top})


        class NoteEcho(GenericAPIView):
            serializer_class = EchoSerializer

            def get(self, request, pk):
                note = Note.objects.get(pk=pk)
                return Response(self.get_serializer(note).data)


        class NoteViewSet(viewsets.ReadOnlyModelViewSet):
            queryset = Note.objects.order_by("id")

            def get_serializer_class(self):
                from rest_framework import serializers

                class NoteSerializer(serializers.ModelSerializer):
                    class Meta:
                        model = Note
                        fields = ["id", "text"]

                return NoteSerializer
        """,
    "notes/urls.py": """
        from django.urls import path, re_path
        from rest_framework.routers import DefaultRouter

        from . import views

        router = DefaultRouter()
        router.register(r"notes", views.NoteViewSet)

        urlpatterns = [
            path("ping/", views.ping, name="ping"),
            re_path(r"me/?$", views.Me.as_view(), name="me"),
            path("echo/", views.Echo.as_view(), name="echo"),
            path("stats/<int:pk>/", views.NoteStats.as_view(), name="stats"),
            path("note-echo/<int:pk>/", views.NoteEcho.as_view(), name="note-echo"),
            path("", include(router.urls)),
        ]
        """,
}
PROJECT["notes/urls.py"] = PROJECT["notes/urls.py"].replace(
    "from django.urls import path, re_path", "from django.urls import include, path, re_path"
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a verified run: its report (report.json) and its output (out/generated)."""
    tmp_path = tmp_path_factory.mktemp("drf")
    write_project(tmp_path / "drfsite", PROJECT)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        patch.setenv("DRFSITE_DB", str(tmp_path / "users.sqlite3"))
        report = tmp_path / "report.json"
        arguments = ["drfsite", "--out", "out/generated", "--report", str(report)]
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
        assert result.exit_code == 0, result.output
    return tmp_path


@pytest.fixture(scope="module")
def routes(converted: Path) -> dict[str, list[dict[str, Any]]]:
    """The route entries of the run, by URL name."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in json.loads((converted / "report.json").read_text()):
        if entry["kind"] == "route":
            found.setdefault(entry["name"], []).append(entry)
    return found


@pytest.fixture(scope="module")
def generated_views(converted: Path) -> str:
    return (converted / "out/generated/notes/views.py").read_text()


def test_views_without_queries_are_converted_and_verified(
    routes: dict[str, list[dict[str, Any]]],
) -> None:
    for name in ("ping", "me", "echo", "api-root"):
        first = routes[name][0]
        assert (first["status"], first["verified"], first["error"]) == ("converted", True, None)


def test_a_viewsets_routes_on_the_orm_are_partial_and_still_verified(
    routes: dict[str, list[dict[str, Any]]],
) -> None:
    for name in ("note-list", "note-detail"):
        for entry in routes[name]:  # the route and its format-suffix twin
            assert (entry["status"], entry["verified"]) == ("partial", True), entry
            assert "its queries stay on Django's ORM" in entry["reasons"][0]


def test_a_view_whose_handler_queries_translate_is_converted_on_the_session_and_verified(
    routes: dict[str, list[dict[str, Any]]], generated_views: str
) -> None:
    stats = routes["stats"][0]
    assert (stats["status"], stats["verified"], stats["reasons"]) == ("converted", True, [])
    assert "class NoteStats(SessionView, GenericAPIView):" in generated_views
    assert "func.max(tables.Note.text)" in generated_views


def test_a_view_handing_its_rows_to_a_serializer_keeps_the_orm_naming_it(
    routes: dict[str, list[dict[str, Any]]], generated_views: str
) -> None:
    echo = routes["note-echo"][0]
    assert (echo["status"], echo["verified"]) == ("partial", True)
    assert any(
        "NoteEcho.get: self.get_serializer() is given rows, which the codemod does not follow"
        in reason
        for reason in echo["reasons"]
    )
    assert "class NoteEcho(GenericAPIView):" in generated_views


def test_every_router_pattern_is_reported(routes: dict[str, list[dict[str, Any]]]) -> None:
    assert [len(routes[n]) for n in ("note-list", "note-detail", "api-root")] == [2, 2, 2]
    root_suffix = routes["api-root"][1]
    assert root_suffix["status"] == "manual"
