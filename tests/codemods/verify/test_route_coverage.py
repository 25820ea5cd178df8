"""The report checked against the legacy app's own routes: "routes in url_map: N, in report: M"
and the rules no entry covers (codemods/engine/route_coverage.py)."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest
from typer.testing import CliRunner

from codemods.engine.findings import Finding
from codemods.engine.route_coverage import check_routes, names_around
from proxy.cli import app

VIEWS = """\
def tags():
    return "tags"


tiny = decorate(lambda: "tiny")
"""


def entry(source: str) -> Finding:
    finding = Finding(kind="route", symbol="x")
    finding.source = source
    return finding


def rule(path: str, module: str, name: str, line: int | None = None) -> dict[str, object]:
    return {"rule": path, "endpoint": name, "methods": ["GET"], "module": module, "name": name,
            "line": line}  # fmt: skip


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "views.py").write_text(VIEWS)
    return package


def test_an_entry_on_the_view_covers_its_rule(legacy: Path) -> None:
    url_map = {"rules": [rule("/tags", "shop.views", "tags")]}
    coverage = check_routes(url_map, [entry(f"{legacy}/views.py:2")], legacy, "shop")
    assert (len(coverage.rules), coverage.reported, coverage.missing) == (1, 1, [])


def test_a_rule_no_entry_names_is_missing(legacy: Path) -> None:
    url_map = {"rules": [rule("/tags", "shop.views", "tags")]}
    coverage = check_routes(url_map, [], legacy, "shop")
    assert [m.label() for m in coverage.missing] == ["/tags -> shop.views.tags (endpoint tags)"]


def test_a_lambda_view_is_covered_by_an_entry_at_its_line(legacy: Path) -> None:
    url_map = {"rules": [rule("/tiny", "shop.views", "<lambda>", line=5)]}
    assert check_routes(url_map, [entry(f"{legacy}/views.py:5")], legacy, "shop").missing == []
    assert check_routes(url_map, [entry(f"{legacy}/views.py:2")], legacy, "shop").missing


def test_routes_of_other_packages_are_not_the_app_s(legacy: Path) -> None:
    url_map = {"rules": [rule("/static/<path:filename>", "flask.sansio.scaffold", "static")]}
    assert check_routes(url_map, [], legacy, "shop").rules == []


def test_an_app_that_did_not_load_says_why(legacy: Path) -> None:
    coverage = check_routes({"error": "ImportError: no flask"}, [], legacy, "shop")
    assert coverage.error == "ImportError: no flask"


APP = """\
from flask import Flask

from . import views


def create_app():
    app = Flask(__name__)
    app.add_url_rule("/tags", "tags", views.tags)
    for name in ("dynamic",):
        app.add_url_rule("/" + name, name, getattr(views, name))
    return app
"""

APP_VIEWS = """\
def tags():
    return "tags"


def dynamic():
    return "dynamic"
"""


def test_the_summary_counts_the_url_map_and_lists_what_the_report_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "tagapp"
    package.mkdir()
    (package / "__init__.py").write_text(dedent(APP))
    (package / "views.py").write_text(APP_VIEWS)
    monkeypatch.chdir(tmp_path)
    arguments = ["codemod", "flask", "tagapp", "--out", "out/tagapp_new", "--report", "r.json"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "routes in url_map: 2, in report: 1" in result.output
    assert "missing from the report: /dynamic -> tagapp.views.dynamic" in result.output


def test_a_view_the_factory_registers_from_another_module_converts_and_verifies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "tagapp"
    package.mkdir()
    (package / "__init__.py").write_text(dedent(APP))
    (package / "views.py").write_text(APP_VIEWS)
    monkeypatch.chdir(tmp_path)
    arguments = ["codemod", "flask", "tagapp", "--out", "out/tagapp_new", "--report", "r.json"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    entries = json.loads((tmp_path / "r.json").read_text())
    tags = [e for e in entries if e["kind"] == "route" and e["source"] == "tagapp/views.py:1"]
    assert [(e["status"], e["verified"]) for e in tags] == [("converted", True)]


def test_the_names_around_a_line_are_every_definition_spanning_it_nested_or_decorated(
    tmp_path: Path,
) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        dedent(
            """\
            if True:
                class Items:
                    @staticmethod
                    @decorated
                    def get():
                        return [x for x in range(3)]
            def other():
                pass
            """
        )
    )

    assert names_around(module, 3) == {"Items", "get"}  # a decorator's line is the method's
    assert names_around(module, 6) == {"Items", "get"}
    assert names_around(module, 8) == {"other"}
    assert names_around(module, 1) == frozenset()
