"""The principal rule: Flask-Principal's `init_app` registers the principal on the runtime."""

from pathlib import Path

from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.registry import REGISTRY
from codemods.flask.rules.principal import PrincipalRule
from tests.codemods.support import convert

FACTORY = """\
from flask import Flask

from .extensions import db, principal


def create_app():
    app = Flask(__name__)
    db.init_app(app)
    principal.init_app(app)
    return app
"""


def package(tmp_path: Path, extensions: str) -> FlaskAnalysis:
    (tmp_path / "extensions.py").write_text(extensions)
    (tmp_path / "factory.py").write_text(FACTORY)
    return FlaskAnalysis(root=tmp_path, files=sorted(tmp_path.glob("*.py")))


def test_a_principal_the_package_makes_is_registered_on_the_runtime(tmp_path: Path) -> None:
    analysis = package(tmp_path, "principal = Principal(use_sessions=False)\n")
    code, _, _ = convert(FACTORY, [PrincipalRule], analysis=analysis)
    assert "    init_principal(principal, app)\n" in code
    assert "from codemods.runtime.flask.principal import init_principal\n" in code
    assert "    db.init_app(app)\n" in code


def test_the_whole_factory_keeps_the_registration(tmp_path: Path) -> None:
    analysis = package(tmp_path, "principal = Principal(use_sessions=False)\n")
    code, _, _ = convert(FACTORY, REGISTRY.rules, analysis=analysis)
    assert "\n    init_principal(principal, app)\n" in code


def test_a_principal_made_with_its_app_is_left_alone(tmp_path: Path) -> None:
    analysis = package(tmp_path, "principal = Principal(app)\n")
    code, _, _ = convert(FACTORY, [PrincipalRule], analysis=analysis)
    assert "init_principal" not in code
