"""`strangler codemod django`: the command-line contract of issue 10."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

PROJECT = {
    "__init__.py": "",
    "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.config.settings")\n',
    "config/__init__.py": "",
    "config/settings.py": 'ROOT_URLCONF = "site.config.urls"\n',
    "config/urls.py": """
        from django.urls import include, path

        urlpatterns = [path("api/", include("site.shop.urls"))]
        """,
    "shop/__init__.py": "",
    "shop/views.py": """
        from django.http import JsonResponse
        from django.views.decorators.http import require_GET

        @require_GET
        def item(request, pk):
            return JsonResponse({"pk": pk})
        """,
    "shop/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("items/<int:pk>/", views.item, name="item")]
        """,
}


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)  # manage.py's is the default
    return write_project(tmp_path / "legacy" / "site", PROJECT)


def codemod(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["codemod", "django", *args])
    return result.exit_code, result.output


def test_it_writes_the_package_and_a_report_with_every_pattern(
    legacy: Path, tmp_path: Path
) -> None:
    out, report = tmp_path / "out", tmp_path / "report.json"
    code, _ = codemod(str(legacy), "--out", str(out), "--report", str(report))
    assert code == 0
    entries = [e for e in json.loads(report.read_text()) if e["kind"] == "route"]
    assert [(e["path"], e["name"], e["status"]) for e in entries] == [
        ("/api/items/{pk:int}/", "item", "partial")
    ]
    assert "def create_app() -> FastAPI:" in (out / "__init__.py").read_text()
    assert 'install(app, "site.config.settings")' in (out / "__init__.py").read_text()


def test_settings_names_the_settings_module_of_create_app(legacy: Path, tmp_path: Path) -> None:
    code, _ = codemod(str(legacy), "--out", str(tmp_path / "o"), "--settings", "other.settings")
    assert code == 0
    assert 'install(app, "other.settings")' in (tmp_path / "o" / "__init__.py").read_text()


def test_dry_run_prints_diffs_and_writes_nothing(legacy: Path, tmp_path: Path) -> None:
    code, output = codemod(str(legacy), "--out", str(tmp_path / "o"), "--dry-run")
    assert code == 0
    assert "+++ b/" in output
    assert not (tmp_path / "o").exists()


def test_only_runs_the_named_rules(legacy: Path, tmp_path: Path) -> None:
    code, _ = codemod(str(legacy), "--out", str(tmp_path / "o"), "--only", "urls", "--no-verify")
    assert code == 0
    assert "add_api_route" in (tmp_path / "o" / "shop" / "urls.py").read_text()
    assert "django_view" not in (tmp_path / "o" / "shop" / "views.py").read_text()


def test_an_edited_output_file_is_kept_unless_forced(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert codemod(str(legacy), "--out", str(out))[0] == 0
    urls = out / "shop" / "urls.py"
    urls.write_text(urls.read_text() + "# edited\n")
    assert codemod(str(legacy), "--out", str(out))[0] == 0
    assert urls.read_text().endswith("# edited\n")
    assert codemod(str(legacy), "--out", str(out), "--force")[0] == 0
    assert not urls.read_text().endswith("# edited\n")


@pytest.mark.parametrize(
    "arguments",
    [["/no/such/path", "--out", "x"], ["--only", "nope"], [], ["--out-inside"]],
)
def test_bad_arguments_exit_2(legacy: Path, tmp_path: Path, arguments: list[str]) -> None:
    if arguments[:1] == ["--only"]:
        arguments = [str(legacy), "--out", str(tmp_path / "o"), *arguments]
    if arguments == ["--out-inside"]:
        arguments = [str(legacy), "--out", str(legacy / "migrated")]
    code, _ = codemod(*arguments)
    assert code == 2


def test_the_legacy_tree_is_never_written_to(legacy: Path, tmp_path: Path) -> None:
    before = {p: p.read_text() for p in legacy.rglob("*.py")}
    assert codemod(str(legacy), "--out", str(tmp_path / "o"))[0] == 0
    assert {p: p.read_text() for p in legacy.rglob("*.py")} == before
    assert dedent(PROJECT["shop/urls.py"]) == (legacy / "shop" / "urls.py").read_text()
