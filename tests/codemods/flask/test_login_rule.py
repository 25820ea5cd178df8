"""The login rule: flask-login in views -> dependencies answering like flask-login."""

from codemods.engine.findings import Status
from codemods.flask.rules.login import LoginRule
from codemods.flask.rules.routes import RoutesRule
from tests.codemods.support import convert

RULES = [RoutesRule, LoginRule]
SOURCE = """
from flask_login import current_user, login_required

bp = Blueprint("{name}", __name__)

@bp.route("/orders")
@login_required
def orders():
    return "x"

@bp.route("/me")
@login_required
def me():
    return current_user.name
"""
VIEWS = {"strangler.login_views": {"": "auth.login", "api": None}}


def test_login_required_becomes_a_route_dependency_redirecting_to_the_login_view() -> None:
    code, findings, _ = convert(SOURCE.format(name="shop"), RULES, **VIEWS)
    assert (
        '@bp.get("/orders", name="shop.orders", '
        'dependencies=[Depends(require_login("auth.login"))])' in code
    )
    assert "@login_required" not in code
    assert "from flask_login" not in code
    assert all(f.status == Status.manual for f in findings)


def test_a_blueprint_without_login_view_answers_401() -> None:
    code, _, _ = convert(SOURCE.format(name="api"), RULES, **VIEWS)
    assert "dependencies=[Depends(require_login())]" in code


def test_current_user_becomes_a_user_parameter() -> None:
    code, _, _ = convert(SOURCE.format(name="shop"), RULES, **VIEWS)
    assert 'def me(*, user: Annotated[Any, Depends(require_login("auth.login"))]):' in code
    assert "return user.name" in code
