"""`strangler codemod django` on a small Django REST framework project whose views call static
methods of another module's class that query (`Codes.text_of(pk)`, as dj-rest-auth's MFA views
call `RecoveryCodes.get_unused_codes(user)`): the static method gets a translated module-level
twin in its module's output (`Codes_text_of_with_session`), the view goes on the route's session
and calls the twin with `self.session`, and the route is `converted` once verified; a class
method's twin names the class where it had `cls` (`Codes.counted()` binds `cls` to `Codes`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project
from tests.codemods.django.test_drf_verify import PROJECT as DRF_PROJECT

SETTINGS = "drfsite.settings"
PROJECT = {
    **{name: DRF_PROJECT[name] for name in ("__init__.py", "settings.py", "urls.py")},
    "notes/__init__.py": "",
    "notes/models.py": DRF_PROJECT["notes/models.py"],
    "notes/codes.py": """
        from .models import Note


        class Codes:
            @staticmethod
            def text_of(pk):
                try:
                    note = Note.objects.get(pk=pk)
                except Note.DoesNotExist:
                    return ""
                return Codes._shout(note.text)

            @staticmethod
            def _shout(text):
                return text.upper()

            @staticmethod
            def mark(text):
                note, created = Note.objects.update_or_create(
                    text=text, defaults={"text": text.upper()}
                )
                return created

            @classmethod
            def counted(cls):
                return cls._number(Note.objects.count())

            @staticmethod
            def _number(count):
                return int(count)
        """,
    "notes/views.py": """
        from django.http import JsonResponse
        from rest_framework.generics import GenericAPIView
        from rest_framework.response import Response

        from .codes import Codes


        class CodeView(GenericAPIView):
            def get(self, request, pk):
                return Response({"text": Codes.text_of(pk)})


        class MarkView(GenericAPIView):
            def post(self, request, text):
                return Response({"created": Codes.mark(text)})


        class CountView(GenericAPIView):
            def get(self, request):
                return Response({"count": Codes.counted()})


        def code_page(request, pk):
            return JsonResponse({"text": Codes.text_of(pk)})
        """,
    "notes/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("code/<int:pk>/", views.CodeView.as_view(), name="code"),
            path("count/", views.CountView.as_view(), name="count"),
            path("mark/<str:text>/", views.MarkView.as_view(), name="mark"),
            path("page/<int:pk>/", views.code_page, name="page"),
        ]
        """,
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a verified run: its report (report.json) and its output (out/generated)."""
    tmp_path = tmp_path_factory.mktemp("drf-static")
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
def routes(converted: Path) -> dict[str, dict[str, Any]]:
    """The route entries of the run, by URL name."""
    entries = json.loads((converted / "report.json").read_text())
    return {e["name"]: e for e in entries if e["kind"] == "route"}


def test_a_view_calling_a_querying_static_method_calls_its_twin_on_the_session(
    routes: dict[str, dict[str, Any]], converted: Path
) -> None:
    code = routes["code"]
    assert (code["status"], code["verified"], code["reasons"]) == ("converted", True, [])
    views = (converted / "out/generated/notes/views.py").read_text()
    assert "class CodeView(SessionView, GenericAPIView):" in views
    assert 'Response({"text": Codes_text_of_with_session(pk, session=self.session)})' in views
    assert "Codes_text_of_with_session" in views.split("from .codes import ", 1)[1].split("\n")[0]


def test_a_static_methods_twin_is_written_beside_its_class_and_keeps_the_legacy_method(
    converted: Path,
) -> None:
    codes = (converted / "out/generated/notes/codes.py").read_text()
    assert "def Codes_text_of_with_session(pk, *, session: Session):" in codes
    assert "return Codes._shout(note.text)" in codes
    assert "note = Note.objects.get(pk=pk)" in codes  # the legacy method, for other callers


def test_a_static_method_updating_or_creating_its_row_gets_a_twin_on_the_session(
    routes: dict[str, dict[str, Any]], converted: Path
) -> None:
    mark = routes["mark"]
    assert (mark["status"], mark["verified"], mark["reasons"]) == ("converted", True, [])
    codes = " ".join((converted / "out/generated/notes/codes.py").read_text().split())
    assert (
        "note, created = update_or_create( session, select(tables.Note).where("
        'tables.Note.text == text), {"text": text.upper()}, text=text, )'
    ) in codes


def test_a_view_calling_a_querying_class_method_calls_its_twin_naming_the_class(
    routes: dict[str, dict[str, Any]], converted: Path
) -> None:
    count = routes["count"]
    assert (count["status"], count["verified"], count["reasons"]) == ("converted", True, [])
    codes = " ".join((converted / "out/generated/notes/codes.py").read_text().split())
    assert "def Codes_counted_with_session(*, session: Session): return Codes._number(" in codes
    views = (converted / "out/generated/notes/views.py").read_text()
    assert 'Response({"count": Codes_counted_with_session(session=self.session)})' in views


def test_a_function_view_calling_a_querying_static_method_calls_its_twin(
    routes: dict[str, dict[str, Any]], converted: Path
) -> None:
    page = routes["page"]
    assert (page["status"], page["verified"], page["reasons"]) == ("converted", True, [])
    views = (converted / "out/generated/notes/views.py").read_text()
    assert '{"text": Codes_text_of_with_session(pk, session=session)}' in views
