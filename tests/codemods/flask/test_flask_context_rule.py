"""The flask-context rule: Flask's context locals outside views -> the runtime's ContextVars."""

from codemods.flask.registry import REGISTRY
from codemods.flask.rules.flask_context import FlaskContextRule
from codemods.flask.rules.routes import RoutesRule
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, current_app, g, jsonify, request
from .extensions import db
from .models import Product

bp = Blueprint("api", __name__)

def json_body():
    data = request.get_json(silent=True)
    return data

def clash(sku):
    return Product.query.filter_by(sku=sku).with_for_update().first()

def save(product):
    db.session.add(product)
    g.saved = request.path

def limit():
    return current_app.config["LIMIT"]

@bp.route("/products")
def products():
    pages = db.paginate(db.select(Product), per_page=current_app.config["PER_PAGE"])
    return jsonify(n=pages.total, body=json_body())
"""


def code() -> str:
    converted, _, _ = convert(SOURCE, REGISTRY.rules)
    return converted


def test_a_helper_reads_the_json_body_through_the_runtime() -> None:
    assert "data = request_json(silent=True)" in code()


def test_a_helper_reads_request_json_as_the_json_body_through_the_runtime() -> None:
    # changedetection.io's API resources: `strip_internal_api_fields(dict(request.json))`
    converted, _, _ = convert(
        """
        from flask import request

        def payload():
            return dict(request.json)
        """,
        REGISTRY.rules,
    )
    assert "return dict(request_json())" in converted
    assert "from codemods.runtime.flask.context import request_json" in converted


def test_model_query_in_a_helper_uses_the_request_s_session() -> None:
    assert "current_session().query(Product).filter_by(sku=sku).with_for_update().first()" in code()


def test_db_session_and_request_attributes_in_a_helper() -> None:
    converted = code()
    assert "current_session().add(product)" in converted
    assert "g.saved = current_request().url.path" in converted
    assert "from codemods.runtime.flask.context import" in converted
    assert "from flask import" not in converted


def test_current_app_config_is_the_app_s_config() -> None:
    assert 'return current_config()["LIMIT"]' in code()


def test_db_paginate_in_a_view_takes_the_view_s_session() -> None:
    converted = code()
    assert 'paginate(session, select(Product), per_page=current_config()["PER_PAGE"])' in converted
    assert "session: Annotated[Session, Depends(get_session)]" in converted


def test_the_router_binds_the_session_for_its_helpers() -> None:
    assert "bp = APIRouter(route_class=FlaskRoute, dependencies=[Depends(get_session)])" in code()


def test_the_view_is_converted() -> None:
    _, findings, _ = convert(SOURCE, REGISTRY.rules)
    route = next(f for f in findings if f.kind == "route")
    assert (route.status, route.reasons) == ("converted", [])


SESSION_HELPERS = """
from flask import Blueprint, g, session

bp = Blueprint("shop", __name__)

def save_cart(cart):
    session["cart"] = cart
    session.modified = True
    g.session = session.get("user")

def helper_with_its_own(session):
    return session.get("x")

def helper_assigning_its_own():
    session = {"x": 1}
    return session.get("x")

@bp.route("/cart")
def cart():
    return str(session.get("cart"))
"""


def test_flask_s_session_in_a_helper_is_the_bound_flask_session() -> None:
    code, _, _ = convert(SESSION_HELPERS, [FlaskContextRule])
    assert (
        'current_flask_session()["cart"] = cart\n'
        "    current_flask_session().modified = True\n"
        '    g.session = current_flask_session().get("user")'
    ) in code
    assert "from codemods.runtime.flask.context import current_flask_session, g" in code


def test_a_function_s_own_session_is_left_alone() -> None:
    code, _, _ = convert(SESSION_HELPERS, [FlaskContextRule])
    assert 'def helper_with_its_own(session):\n    return session.get("x")' in code
    assert 'session = {"x": 1}\n    return session.get("x")' in code


def test_flask_s_session_in_a_view_is_the_request_s_flask_session() -> None:
    code, _, _ = convert(SESSION_HELPERS, [RoutesRule, FlaskContextRule])
    assert 'return str(current_flask_session().get("cart"))' in code


VIEW_WITH_BOTH_SESSIONS = """
from flask import Blueprint, session
from .extensions import db

bp = Blueprint("auth", __name__)

@bp.route("/logout")
def logout():
    session.clear()
    db.session.commit()
    return "bye"
"""


def test_a_view_s_flask_session_is_never_its_sqlalchemy_session() -> None:
    code, _, _ = convert(VIEW_WITH_BOTH_SESSIONS)
    assert "    current_flask_session().clear()\n    session.commit()\n" in code
    assert "session: Annotated[Session, Depends(get_session)]" in code


def test_flask_session_and_flask_g_through_import_flask() -> None:
    code, _, _ = convert(
        "import flask\n\n"
        "def helper():\n"
        "    flask.g.user = flask.session.get('user')\n"
        "    return flask.g.user\n",
        [RoutesRule, FlaskContextRule],
    )
    assert "    g.user = current_flask_session().get('user')\n    return g.user\n" in code
    assert "from codemods.runtime.flask.context import g, current_flask_session" in code


def test_request_args_form_and_values_in_a_helper_are_the_bound_request_s() -> None:
    code, _, _ = convert(
        "from flask import request\n\n"
        "def get_request_data():\n"
        "    if request.method == 'POST':\n"
        "        return request.form\n"
        "    return request.values or request.args\n",
        [RoutesRule, FlaskContextRule],
    )
    assert "    if current_request().method == 'POST':\n        return request_form()\n" in code
    assert "    return request_values() or request_args()\n" in code


def test_request_files_in_a_helper_are_the_bound_request_s_uploads() -> None:
    code, _, _ = convert(
        "from flask import request\n\n"
        "def add_dataset(path):\n"
        "    database = request.files.get('database')\n"
        "    database.save(path)\n",
        [RoutesRule, FlaskContextRule],
    )
    assert "    database = request_files().get('database')\n" in code
    assert "from codemods.runtime.flask.context import request_files" in code


def test_an_attribute_the_app_set_on_itself_is_read_on_the_current_app() -> None:
    code, _, _ = convert(
        "from flask import current_app\n\n"
        "def connect(current_app):\n"
        "    current_app.redis_conn = current_app.config['URL']\n\n"
        "def queues():\n"
        "    return current_app.redis_conn, current_app.url_map\n",
        [RoutesRule, FlaskContextRule],
    )
    # a parameter named current_app is the caller's app, a FastAPI app: its config is its state's
    assert "    current_app.redis_conn = current_app.state.config['URL']\n" in code
    assert "    return running_app().redis_conn, current_app.url_map\n" in code


def test_g_in_a_kept_class_s_method_is_the_runtime_s() -> None:
    # lemur's Flask-RESTful resources, kept for the runtime's dispatch, read g.current_user
    code, _, _ = convert(
        """
        from flask import Blueprint, g

        class Keys(AuthenticatedResource):
            def get(self):
                return {"user": g.current_user.id}
        """,
        [FlaskContextRule],
    )
    assert "from codemods.runtime.flask.context import g" in code
    assert "from flask import Blueprint\n" in code


def test_current_app_s_logger_outside_a_view_is_the_running_app_s() -> None:
    # a celery task logging in `with app_context(flask_app):`, where Flask's current_app is unbound
    source = (
        'from flask import current_app\n\n\ndef sync():\n    current_app.logger.debug("syncing")\n'
    )
    code, _, _ = convert(source, [FlaskContextRule])
    assert '    app_logger(running_app()).debug("syncing")\n' in code
    assert "from codemods.runtime.flask.app_setup import app_logger\n" in code


def test_current_app_s_blueprints_are_the_running_app_s_registered_ones() -> None:
    # lektor's admin context, built in a before-request hook, reads the dashboard's prefix
    source = (
        "from flask import current_app\n\n\nclass AdminContext:\n    def __init__(self):\n"
        '        self.admin_root = current_app.blueprints["dash"].url_prefix.rstrip("/")\n'
    )
    code, _, _ = convert(source, REGISTRY.rules)
    assert (
        'self.admin_root = registered_blueprints(running_app())["dash"].url_prefix.rstrip("/")'
        in code
    )
    assert "from codemods.runtime.flask.blueprint_hooks import registered_blueprints\n" in code
    assert "from flask import current_app" not in code


def test_the_proxy_s_own_object_stays_flask_s_current_app() -> None:
    # lemur's login_required announces the identity to Flask-Principal with Flask's app as sender
    source = (
        "from flask import current_app\n\n\ndef login():\n"
        "    identity_changed.send(current_app._get_current_object(), identity=1)\n"
    )
    code, _, _ = convert(source, [FlaskContextRule])
    assert "identity_changed.send(current_app._get_current_object(), identity=1)" in code
    assert "from flask import current_app\n" in code


def test_g_a_helper_imports_itself_is_the_runtime_s() -> None:
    # changedetection.io's URL check: `g` imported in a `try`, for when no request is bound
    converted, _, _ = convert(
        """
        def is_safe(url):
            try:
                from flask import g
                cache = g.setdefault("checked", {})
            except RuntimeError:
                cache = None
            return cache
        """,
        REGISTRY.rules,
    )
    assert "        from codemods.runtime.flask.context import g\n" in converted
    assert "from flask" not in converted
    assert converted.count("import g") == 1


def test_a_hook_reads_request_environ_through_the_runtime() -> None:
    # changedetection.io's after_request hook: `request.environ.get("SERVER_SOFTWARE", "")`
    converted, _, _ = convert(
        """
        from flask import request

        def strip_date(response):
            if request.environ.get("SERVER_SOFTWARE", "").startswith("Werkzeug"):
                del response.headers["Date"]
            return response
        """,
        REGISTRY.rules,
    )
    assert 'request_environ(current_request()).get("SERVER_SOFTWARE", "")' in converted
