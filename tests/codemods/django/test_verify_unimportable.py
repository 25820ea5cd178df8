"""A generated module that does not import while its legacy twin does not either (a package only
an optional feature needs, missing) is not the codemod's failure: its entries stay unverified,
with both errors, instead of failing verification."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project
from tests.codemods.django.test_verify_logged_in import PROJECT, SETTINGS

OPTIONAL = {
    "desk/optional_views.py": """
        import strangler_test_missing_package
        from django.http import JsonResponse


        def page(request):
            return JsonResponse({"optional": strangler_test_missing_package.FLAG})
        """,
    "desk/optional_urls.py": """
        from django.urls import path

        from . import optional_views

        urlpatterns = [path("optional/", optional_views.page, name="optional")]
        """,
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("optional")
    write_project(root / "loginsite", {**PROJECT, **OPTIONAL})
    out = root / "report.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("LOGINSITE_DB", str(root / "users.sqlite3"))
        arguments = ["loginsite", "--out", "out/generated", "--report", str(out)]
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    return {e["name"]: e for e in json.loads(out.read_text()) if e["kind"] == "route"}


def test_a_route_in_a_module_neither_side_imports_is_unverified(report: dict[str, Any]) -> None:
    optional = report["optional"]
    assert optional["verified"] is None
    assert "nor does its legacy twin" in optional["error"]
    assert "strangler_test_missing_package" in optional["error"]


def test_the_other_routes_are_still_verified(report: dict[str, Any]) -> None:
    assert report["public"]["verified"] is True


def test_no_module_entry_fails_for_it(report: dict[str, Any]) -> None:
    assert all("verify imports" not in " ".join(e["reasons"]) for e in report.values())
