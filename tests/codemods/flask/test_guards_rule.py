"""The guards rule: a decorator that checks, then calls the view -> a route dependency."""

from pathlib import Path

from codemods.engine.findings import Status
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.registry import REGISTRY
from codemods.flask.rules.guards import GuardsRule
from codemods.flask.rules.login import LoginFacts
from tests.codemods.support import convert

RULES = [GuardsRule]
SOURCE = """
from functools import wraps
from flask_login import current_user, login_required

bp = Blueprint("api", __name__)

def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped

@bp.route("/products", methods=["POST"])
@admin_required
def create_product():
    return "x"
"""
VIEWS = {"analysis": FlaskAnalysis(login_views={"": "auth.login", "api": None})}


def test_the_guard_becomes_a_dependency_with_the_login_dependency() -> None:
    code, _, _ = convert(SOURCE, RULES, **VIEWS)
    assert (
        "def admin_required(user: Annotated[Any, Depends(require_login())]) -> None:\n"
        "    if not user.is_admin:\n"
        "        abort(403)\n"
    ) in code
    assert "wrapped" not in code


def test_the_login_dependencies_come_from_where_the_login_rule_takes_them() -> None:
    bridge = {**VIEWS, "facts": {LoginFacts: LoginFacts(source=".login_bridge")}}
    code, _, _ = convert(SOURCE, RULES, **bridge)
    assert "from .login_bridge import login_required as require_login" in code
    code, _, _ = convert(SOURCE.replace("    @login_required\n", ""), RULES, **bridge)
    assert "from .login_bridge import current_user as request_user" in code


def test_the_route_runs_the_guard_as_a_dependency() -> None:
    code, _, _ = convert(SOURCE, RULES, **VIEWS)
    assert (
        '@bp.post("/products", name="api.create_product", '
        "dependencies=[Depends(admin_required)])" in code
    )
    assert "@admin_required" not in code


def test_the_guard_is_reported_converted() -> None:
    _, findings, _ = convert(SOURCE, RULES, **VIEWS)
    guard = next(f for f in findings if f.kind == "guard")
    assert (guard.symbol, guard.status, guard.reasons) == ("admin_required", Status.converted, [])


def test_without_login_required_the_guard_reads_the_current_user_only() -> None:
    code, _, _ = convert(SOURCE.replace("    @login_required\n", ""), RULES, **VIEWS)
    assert "def admin_required(user: Annotated[Any, Depends(request_user)]) -> None:" in code


def test_a_decorator_that_changes_the_answer_is_not_a_guard() -> None:
    source = SOURCE.replace("return view(*args, **kwargs)", "return view(*args, **kwargs) + '!'")
    code, findings, _ = convert(source, RULES, **VIEWS)
    assert "def wrapped(*args, **kwargs):" in code
    assert not [f for f in findings if f.kind == "guard"]


def test_the_pattern_is_recognised_whatever_the_names() -> None:
    source = """
from functools import wraps
from flask_login import current_user

bp = Blueprint("api", __name__)

def staff_only(f):
    @wraps(f)
    def inner(*a, **kw):
        if not current_user.is_staff:
            abort(403)
        return f(*a, **kw)
    return inner

@bp.route("/x")
@staff_only
def x():
    return "x"
"""
    code, _, _ = convert(source, RULES, **VIEWS)
    assert "def staff_only(user: Annotated[Any, Depends(request_user)]) -> None:" in code
    assert 'name="api.x", dependencies=[Depends(staff_only)])' in code


REDIRECTING_GUARD = '''
import functools

from flask import g, redirect, url_for


def login_required(view):
    """Send visitors to the login page."""

    @functools.wraps(view)
    def wrapped_view(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login"))

        return view(**kwargs)

    return wrapped_view
'''
GUARDED_VIEW = """
from flask import Blueprint

from .auth import login_required

bp = Blueprint("blog", __name__)


@bp.route("/create")
@login_required
def create():
    return "x"
"""


def test_a_guard_returning_a_response_answers_with_it() -> None:
    code, _, _ = convert(REDIRECTING_GUARD + GUARDED_VIEW.split("\n", 6)[-1], RULES)
    assert (
        "def login_required() -> None:\n"
        "    if g.user is None:\n"
        '        raise LegacyResponse(make_response(redirect(url_for("auth.login"))))\n'
    ) in code
    assert "from codemods.runtime.flask.compat import LegacyResponse, make_response" in code


def test_a_guard_imported_from_another_module_of_the_package_guards_there_too(
    tmp_path: Path,
) -> None:
    (tmp_path / "auth.py").write_text(REDIRECTING_GUARD)
    (tmp_path / "blog.py").write_text(GUARDED_VIEW)
    code, _ = transform_source(
        GUARDED_VIEW,
        REGISTRY.resolve(RULES),
        filename=str(tmp_path / "blog.py"),
        state=ModuleState(module_path=("blog.py",)),
    )
    assert '@bp.get("/create", name="blog.create", dependencies=[Depends(login_required)])' in code
    assert "@login_required" not in code


def test_a_guard_defined_in_the_package_s_tests_guards_no_module_of_the_package(
    tmp_path: Path,
) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "helpers.py").write_text(REDIRECTING_GUARD)
    (tmp_path / "auth.py").write_text("def login_required(view):\n    return view\n")
    (tmp_path / "blog.py").write_text(GUARDED_VIEW)
    code, _ = transform_source(
        GUARDED_VIEW,
        REGISTRY.resolve(RULES),
        filename=str(tmp_path / "blog.py"),
        state=ModuleState(module_path=("blog.py",)),
    )
    assert "Depends(login_required)" not in code
    assert "@login_required" in code
