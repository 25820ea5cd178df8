"""The leftovers rule: whatever Flask is left in a view makes it `manual`, with a TODO."""

from pathlib import Path

from codemods.engine.findings import FindingLog, Status
from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from codemods.flask.registry import REGISTRY
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, current_app, jsonify, request
from .extensions import db
from .models import Product

bp = Blueprint("api", __name__)

def upload_name():
    return request.stream.read()

@bp.route("/a")
def a():
    return jsonify(size=len(list(current_app.url_map.iter_rules())))

@bp.route("/b")
def b():
    return jsonify(n=Product.query.paginate(page=1).total)

@bp.route("/c")
def c():
    return jsonify(upload_name())

@bp.route("/d")
@cache_for(60)
def d():
    return jsonify(ok=True)

@bp.route("/e")
def e():
    return jsonify(n=db.engine.name)

@bp.route("/f")
def f():
    return jsonify(path=request.path)
"""


def statuses() -> dict[str, tuple[Status, list[str]]]:
    _, findings, _ = convert(SOURCE, REGISTRY.rules)
    return {f.symbol: (f.status, f.reasons) for f in findings}


def test_flask_names_left_in_a_view_make_it_manual() -> None:
    status, reasons = statuses()["a"]
    assert status == Status.manual
    assert "current_app (flask) has no FastAPI conversion" in reasons


def test_model_query_is_manual() -> None:
    assert "Product.query: use select() on a SQLAlchemy session" in statuses()["b"][1]


def test_calling_a_helper_that_reads_flask_request_is_manual() -> None:
    assert statuses()["c"][0] == Status.manual


def test_unknown_decorators_are_manual() -> None:
    assert "decorator @cache_for was written for Flask views" in statuses()["d"][1][0]


def test_db_session_is_manual() -> None:
    assert statuses()["e"][0] == Status.manual


def test_a_clean_view_stays_converted() -> None:
    assert statuses()["f"] == (Status.converted, [])


def test_todo_comments_mark_the_statements() -> None:
    code, _, _ = convert(SOURCE, REGISTRY.rules)
    assert "# TODO(strangler): current_app (flask) has no FastAPI conversion" in code


TIMING_DECORATOR = """
import functools
import time


def timed(view):
    @functools.wraps(view)
    def wrapper(**kwargs):
        started = time.perf_counter()
        response = view(**kwargs)
        response.headers["X-Time"] = str(time.perf_counter() - started)
        return response

    return wrapper
"""
TIMED_VIEW = """
from flask import Blueprint
from werkzeug.exceptions import abort

from .timing import timed

bp = Blueprint("api", __name__)


@bp.route("/slow")
@timed
def slow():
    abort(404)
"""


def test_the_package_s_own_keyword_passing_decorators_and_werkzeug_s_abort_are_kept(
    tmp_path: Path,
) -> None:
    # FastAPI reads the route's parameters through functools.wraps and calls the wrapper with
    # them; Werkzeug's exceptions are answered as Flask answers them
    (tmp_path / "timing.py").write_text(TIMING_DECORATOR)
    (tmp_path / "api.py").write_text(TIMED_VIEW)
    code, context = transform_source(
        TIMED_VIEW,
        REGISTRY.rules,
        filename=str(tmp_path / "api.py"),
        state=ModuleState(module_path=("api.py",)),
    )
    finding = FindingLog.of(context).entries[0]
    assert "@timed\n" in code
    assert (finding.status, finding.reasons) == (Status.converted, [])


SWAGGED = """
from flask import Blueprint
from flasgger import swag_from

bp = Blueprint("api", __name__)

@bp.route("/tags")
@swag_from("./apidocs/tags/get.yml"{options})
def tags():
    return "x"
"""


def test_flasgger_documentation_decorator_passes_the_call_through() -> None:
    _, findings, _ = convert(SWAGGED.format(options=""))
    route = next(f for f in findings if f.kind == "route")
    assert route.status == Status.converted, route.reasons
    assert any("flasgger's documentation" in r for r in route.reasons)


def test_flasgger_validating_the_flask_request_is_left_for_a_person() -> None:
    _, findings, _ = convert(SWAGGED.format(options=", validation=True"))
    route = next(f for f in findings if f.kind == "route")
    assert route.status == Status.manual


def test_a_module_of_the_package_named_db_is_no_flask_sqlalchemy(tmp_path: Path) -> None:
    # calibre-web: `from . import db` is its own cps/db.py (`db.Books`), not Flask-SQLAlchemy's
    from codemods.flask.analysis import FlaskAnalysis

    (tmp_path / "db.py").write_text("class Books:\n    pass\n")
    source = (
        "from flask import Blueprint, jsonify\nfrom . import db\n\n"
        "bp = Blueprint('about', __name__)\n\n@bp.route('/stats')\n"
        "def stats():\n    return jsonify(n=len(db.Books.__name__))\n"
    )
    (tmp_path / "about.py").write_text(source)
    analysis = FlaskAnalysis(root=tmp_path, package="cps", files=sorted(tmp_path.rglob("*.py")))
    _, findings, _ = convert(source, REGISTRY.rules, module_path=("about.py",), analysis=analysis)
    assert [(f.symbol, f.status) for f in findings if f.kind == "route"] == [
        ("stats", Status.converted)
    ]


def test_a_module_of_the_package_named_flask_something_is_no_flask_library() -> None:
    # changedetection.io's blueprints import their guard from its `flask_app` module
    source = (
        "from flask import Blueprint\nfrom ..flask_app import login_optionally_required\n\n"
        "bp = Blueprint('backups', __name__)\n\n@bp.route('/create')\n"
        "@login_optionally_required\ndef create():\n    return 'ok'\n"
    )
    _, findings, _ = convert(source, REGISTRY.rules, module_path=("blueprint", "backups.py"))
    reasons = [r for f in findings for r in f.reasons]
    assert not any("has no FastAPI conversion" in r for r in reasons)
