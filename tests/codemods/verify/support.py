"""A small legacy Flask app written into tmp_path, converted, then verified."""

from __future__ import annotations

import textwrap
from pathlib import Path

from codemods.engine.findings import Finding
from codemods.engine.runner import RunResult, resolve_target, run
from codemods.engine.verify.check import start, verify_run
from codemods.flask.framework import FLASK

ADAPTER = FLASK.verifier or ""

APP = """
from flask import Flask


def create_app():
    app = Flask(__name__)
    from .views import bp

    app.register_blueprint(bp)
    return app
"""

VIEWS = """
from flask import Blueprint, jsonify

bp = Blueprint("views", __name__)


@bp.route("/hello")
def hello():
    return jsonify(greeting="hello")


@bp.route("/items/<int:item_id>")
def item(item_id):
    return jsonify(id=item_id)
"""


def legacy_app(tmp_path: Path, views: str = VIEWS, app: str = APP) -> Path:
    folder = tmp_path / "legacy" / "tinyapp"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text(textwrap.dedent(app))
    (folder / "views.py").write_text(textwrap.dedent(views))
    return folder


def convert(legacy: Path, tmp_path: Path) -> tuple[RunResult, Path]:
    out = tmp_path / "out" / "tinyapp"
    return run(resolve_target(str(legacy)), out, FLASK.registry.rules, framework=FLASK), out


def verify(result: RunResult, out: Path, legacy: Path) -> RunResult:
    verify_run(result, out, start(legacy, legacy.name, ADAPTER))
    return result


def routes(result: RunResult) -> dict[str, Finding]:
    return {f.target_symbol or f.symbol: f for f in result.findings if f.kind == "route"}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, text
    path.write_text(text.replace(old, new))
