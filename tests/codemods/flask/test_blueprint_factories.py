"""A blueprint made by a function (`def construct_blueprint(store): bp = Blueprint(...); @bp.route
...; return bp`), the views closing over its arguments: changedetection.io builds every blueprint
this way. The blueprint becomes an APIRouter, its views are converted like module-level ones."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.support import convert

ITEMS = """\
from flask import Blueprint, jsonify, request


def construct_blueprint(store):
    bp = Blueprint("items", __name__)

    @bp.route("/items", methods=["POST"])
    def add():
        name = request.form.get("name")
        store.append(name)
        return jsonify(ok=True)

    @bp.route("/items")
    def index():
        return jsonify(items=store)

    return bp
"""

FACTORY = """\
from flask import Flask

from . import items


def create_app():
    app = Flask(__name__)
    store = ["a"]
    app.register_blueprint(items.construct_blueprint(store), url_prefix="/api")
    return app
"""


def test_a_blueprint_made_by_a_function_becomes_an_apirouter() -> None:
    code, _, _ = convert(ITEMS, module_path=("items.py",))
    assert "bp = APIRouter(route_class=FlaskRoute)" in code
    assert "Blueprint" not in code


def test_its_views_are_named_after_the_blueprint_as_flask_names_them() -> None:
    code, _, _ = convert(ITEMS, module_path=("items.py",))
    assert '@bp.post("/items", name="items.add")' in code
    assert '@bp.get("/items", name="items.index")' in code


def test_its_views_read_the_request_through_their_own_parameters() -> None:
    code, findings, _ = convert(ITEMS, module_path=("items.py",))
    assert 'form_name: Annotated[str | None, Form(alias="name")] = None' in code
    assert "from flask import" not in code
    assert "TODO" not in code
    assert {f.status.value for f in findings if f.kind == "route"} == {"converted"}


def test_the_function_s_own_code_reads_the_request_as_a_helper_does() -> None:
    source = ITEMS.replace(
        '    bp = Blueprint("items", __name__)\n',
        '    bp = Blueprint("items", __name__)\n    mode = request.args.get("mode")\n',
    )
    code, _, _ = convert(source, module_path=("items.py",))
    assert 'mode = request_args().get("mode")' in code
    assert 'form_name: Annotated[str | None, Form(alias="name")] = None' in code


@pytest.fixture
def factory_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    package = tmp_path / "bpapp"
    package.mkdir()
    (package / "__init__.py").write_text(FACTORY)
    (package / "items.py").write_text(textwrap.dedent(ITEMS))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_through_the_command_its_routes_are_converted_and_verified(factory_app: Path) -> None:
    arguments = ["codemod", "flask", "bpapp", "--out", "out/gen", "--report", "r.json"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    routes = [e for e in json.loads((factory_app / "r.json").read_text()) if e["kind"] == "route"]
    assert [(e["status"], e["verified"], e["error"]) for e in routes] == [
        ("converted", True, None),
        ("converted", True, None),
    ]
    assert "routes in url_map: 2, in report: 2" in result.output
