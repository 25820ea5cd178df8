"""The login rule: flask-login in views -> dependencies answering like flask-login."""

from pathlib import Path
from textwrap import dedent

from codemods.engine.findings import Status
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState, state_of
from codemods.flask.analysis import FlaskAnalysis
from codemods.flask.login_module import Bridge, render
from codemods.flask.login_setup import relative_import, scan
from codemods.flask.rules.login import LoginRule
from tests.codemods.support import convert

RULES = [LoginRule]
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
LOGIN_VIEWS: dict[str, str | None] = {"": "auth.login", "api": None}
VIEWS = {"analysis": FlaskAnalysis(login_views=LOGIN_VIEWS)}


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


# -- with the session bridge -------------------------------------------------------------------
CONFIG = """
import os

def settings():
    return {"SECRET_KEY": os.environ.get("SECRET_KEY", "dev"), "DEBUG": False}
"""
AUTH = """
from flask_login import login_required
from .extensions import db, login_manager
from .models import User

bp = Blueprint("auth", __name__)

@login_manager.user_loader
def load_user(user_id):
    return {body}

@bp.route("/logout")
@login_required
def logout():
    return "bye"
"""


def package(tmp_path: Path, loader_body: str = "db.session.get(User, int(user_id))") -> Path:
    (tmp_path / "config.py").write_text(CONFIG)
    (tmp_path / "auth.py").write_text(AUTH.format(body=loader_body))
    return tmp_path


def bridge_for(tmp_path: Path, loader_body: str = "db.session.get(User, int(user_id))") -> Bridge:
    return render(scan(package(tmp_path, loader_body)))


def with_setup(tmp_path: Path, **kwargs: str) -> dict[str, object]:
    setup = scan(package(tmp_path, **kwargs))
    return {"analysis": FlaskAnalysis(login_views=LOGIN_VIEWS, given_setup=setup)}


def test_with_a_convertible_user_loader_login_routes_are_converted(tmp_path: Path) -> None:
    code, findings, _ = convert(SOURCE.format(name="shop"), RULES, **with_setup(tmp_path))
    assert "from .login_bridge import login_required as require_login" in code
    assert "current_user as request_user" not in code
    assert {f.symbol: f.status for f in findings} == {
        "orders": Status.converted,
        "me": Status.converted,
    }


def test_current_user_without_login_required_comes_from_the_bridge(tmp_path: Path) -> None:
    source = SOURCE.format(name="shop").replace("@login_required\ndef me", "def me")
    code, _, _ = convert(source, RULES, **with_setup(tmp_path))
    assert "from .login_bridge import login_required as require_login, current_user as" in code
    assert "def me(*, user: Annotated[Any, Depends(request_user)]):" in code


def test_the_bridge_module_and_the_database_module_are_generated(tmp_path: Path) -> None:
    _, context = transform_source(
        dedent(SOURCE.format(name="shop")), RULES, state=ModuleState(**with_setup(tmp_path))
    )
    extra = state_of(context).extra_files
    assert set(extra) == {"login_bridge.py", "database.py"}
    assert "async def get_session(request: Request)" in extra["database.py"]


def test_the_user_loader_moves_to_the_bridge_and_takes_the_session(tmp_path: Path) -> None:
    bridge = bridge_for(tmp_path)
    assert bridge.code is not None
    assert (
        "@login_manager.user_loader\n"
        "def load_user(user_id: Any, session: Session) -> Any:\n"
        "    return session.get(User, int(user_id))\n"
    ) in bridge.code
    assert "from .models import User" in bridge.code
    assert "from .extensions" not in bridge.code


def test_the_legacy_module_keeps_a_note_where_the_loader_was(tmp_path: Path) -> None:
    source = AUTH.format(body="db.session.get(User, int(user_id))")
    code, _, _ = convert(source, [LoginRule], **with_setup(tmp_path))
    assert "def load_user" not in code
    assert "# load_user, flask-login's user loader, is in login_bridge.py now" in code


def test_a_model_query_loader_becomes_a_session_query(tmp_path: Path) -> None:
    code = bridge_for(tmp_path, "User.query.get(int(user_id))").code
    assert code is not None
    assert "return session.get(User, int(user_id))" in code
    code = bridge_for(tmp_path, "User.query.filter_by(id=int(user_id)).first()").code
    assert code is not None
    assert "return session.scalars(select(User).filter_by(id=int(user_id))).first()" in code
    assert "from sqlalchemy import select" in code


def test_the_secret_key_comes_from_the_legacy_configuration_expression(tmp_path: Path) -> None:
    code = bridge_for(tmp_path).code
    assert code is not None
    assert '"SECRET_KEY": os.environ.get("SECRET_KEY", "dev"),  # config.py:5' in code
    assert "import os" in code
    assert "DEBUG" not in code


def test_the_login_managers_message_category_is_kept(tmp_path: Path) -> None:
    (package(tmp_path) / "__init__.py").write_text(
        'login_manager.login_view = "auth.login"\nlogin_manager.login_message_category = "error"\n'
    )
    code = render(scan(tmp_path)).code
    assert code is not None
    assert "LoginManager(config, login_message_category='error')" in code


def test_a_loader_the_codemod_cannot_convert_leaves_the_routes_manual(tmp_path: Path) -> None:
    (tmp_path / "auth.py").write_text(
        AUTH.format(body="current_app.users[user_id]").replace(
            "from flask_login", "from flask import current_app\nfrom flask_login"
        )
    )
    (tmp_path / "config.py").write_text(CONFIG)
    analysis = FlaskAnalysis(login_views=LOGIN_VIEWS, given_setup=scan(tmp_path))
    code, findings, _ = convert(SOURCE.format(name="shop"), RULES, analysis=analysis)
    assert "from codemods.runtime.flask.compat import login_required as require_login" in code
    assert {f.status for f in findings} == {Status.manual}
    assert "login: the user loader (auth.py:10) uses current_app, which is not converted" in (
        findings[0].reasons
    )


def test_a_secret_key_the_codemod_cannot_carry_over_is_manual(tmp_path: Path) -> None:
    package(tmp_path)
    (tmp_path / "config.py").write_text("from .vault import read\nSECRET_KEY = read('k')\n")
    bridge = render(scan(tmp_path))
    assert bridge.manual
    assert bridge.reasons == (
        "login: SECRET_KEY is `read('k')` (config.py:2): set it in login_bridge.py by hand",
    )


def test_a_secret_key_passed_as_a_parameter_elsewhere_is_not_a_second_source(
    tmp_path: Path,
) -> None:
    package(tmp_path)
    (tmp_path / "serve.py").write_text('def env(secret):\n    return {"SECRET_KEY": secret}\n')
    bridge = render(scan(tmp_path))
    assert (bridge.manual, bridge.reasons) == (False, ())


def test_without_any_user_loader_the_placeholder_stays_manual(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(CONFIG)
    bridge = render(scan(tmp_path))
    assert bridge.code is None
    assert bridge.reasons == ("login: no @login_manager.user_loader in the legacy package",)


def test_the_loaders_relative_imports_are_rewritten_for_the_package_root() -> None:
    assert relative_import("from .models import User", ("auth.py",)) == "from .models import User"
    assert (
        relative_import("from .models import User", ("users", "auth.py"))
        == "from .users.models import User"
    )
    assert (
        relative_import("from ..models import User", ("users", "auth.py"))
        == "from .models import User"
    )
    assert relative_import("import os", ("users", "auth.py")) == "import os"
