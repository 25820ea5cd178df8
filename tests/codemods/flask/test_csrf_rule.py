"""The csrf rule: where the package sets up Flask-WTF's CSRFProtect, every unsafe handler is
checked, not only those with a form; Flask-WTF's exemptions are kept."""

from __future__ import annotations

from pathlib import Path

from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.registry import REGISTRY
from tests.codemods.support import convert

VIEWS = """
from flask import Blueprint, request

from .extensions import csrf

bp = Blueprint("tags", __name__)

@bp.route("/tags/add", methods=["POST"])
def add():
    return request.form.get("name", "")

@bp.route("/tags/hook", methods=["POST"])
@csrf.exempt
def hook():
    return "ok"

@bp.route("/tags/list")
def listing():
    return "tags"
"""


def analysis_of_package(tmp_path: Path, factory: str) -> FlaskAnalysis:
    (tmp_path / "extensions.py").write_text(
        "from flask_wtf.csrf import CSRFProtect\n\ncsrf = CSRFProtect()\n"
    )
    (tmp_path / "__init__.py").write_text(factory)
    (tmp_path / "tags.py").write_text(VIEWS)
    return FlaskAnalysis(root=tmp_path, package="shop", files=sorted(tmp_path.rglob("*.py")))


def converted(tmp_path: Path, factory: str = "") -> str:
    analysis = analysis_of_package(tmp_path, factory)
    code, _, _ = convert(VIEWS, REGISTRY.rules, module_path=("tags.py",), analysis=analysis)
    return code


def test_an_unsafe_handler_without_a_form_is_checked(tmp_path: Path) -> None:
    code = converted(tmp_path)
    assert '@bp.post("/tags/add", name="tags.add", dependencies=[Depends(csrf_protect)])' in code
    assert "from codemods.runtime.flask.csrf import csrf_protect" in code


def test_a_view_marked_exempt_is_not_checked_and_loses_the_mark(tmp_path: Path) -> None:
    code = converted(tmp_path)
    assert '@bp.post("/tags/hook", name="tags.hook")\ndef hook()' in code
    assert "csrf.exempt" not in code


def test_a_safe_handler_is_not_checked(tmp_path: Path) -> None:
    assert '@bp.get("/tags/list", name="tags.listing")\ndef listing()' in converted(tmp_path)


def test_every_view_of_a_blueprint_the_package_exempts_is_left_unchecked(tmp_path: Path) -> None:
    code = converted(
        tmp_path, "from . import tags\n\ndef create_app():\n    csrf.exempt(tags.bp)\n"
    )
    assert "csrf_protect" not in code


def test_without_csrfprotect_in_the_package_nothing_is_checked() -> None:
    code, _, _ = convert(VIEWS.replace("@csrf.exempt\n", ""), REGISTRY.rules)
    assert "csrf_protect" not in code
