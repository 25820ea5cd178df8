"""The blueprints rule: apps and blueprints -> FastAPI and APIRouter."""

from codemods.flask.rules.blueprints import BlueprintsRule
from tests.codemods.support import assert_codemod, convert


def test_blueprint_becomes_an_apirouter_with_the_flask_route_class() -> None:
    assert_codemod(
        """
        from flask import Blueprint
        bp = Blueprint("shop", __name__, url_prefix="/shop", template_folder="t")
        """,
        """
        from fastapi import APIRouter
        from codemods.runtime.flask.compat import FlaskRoute
        bp = APIRouter(prefix="/shop", route_class=FlaskRoute)
        """,
        [BlueprintsRule],
    )


def test_app_factory_keeps_registration_order_and_comments_out_flask_setup() -> None:
    code, _, notes = convert(
        """
        from flask import Flask

        def create_app() -> Flask:
            app = Flask(__name__)
            app.config["X"] = 1
            db.init_app(app)
            app.register_blueprint(a.bp, url_prefix="/a")
            app.register_blueprint(b.bp)
            return app
        """,
        [BlueprintsRule],
    )
    assert "def create_app() -> FastAPI:" in code
    assert "app = FastAPI()\n    app.router.route_class = FlaskRoute" in code
    assert "# TODO(strangler): app.config: move settings to pydantic-settings" in code
    assert '# app.config["X"] = 1' in code
    assert "# db.init_app(app)" in code
    assert code.index('register_blueprint(app, a.bp, prefix="/a")') < code.index(
        "register_blueprint(app, b.bp)"
    )
    assert "from codemods.runtime.flask.blueprint_hooks import register_blueprint" in code
    assert any("app.config" in n for n in notes)


def test_request_hooks_are_marked_for_a_person() -> None:
    code, _, notes = convert(
        """
        from flask import Flask
        app = Flask(__name__)

        @app.before_request
        def hook():
            pass
        """,
        [BlueprintsRule],
    )
    assert "# TODO(strangler): before_request: make it a router dependency" in code
    assert notes


def test_a_blueprints_own_hooks_become_the_runtimes() -> None:
    hooks = "before_app_request, before_blueprint_request, app_context_processor, " + (
        "blueprint_context_processor"
    )
    assert_codemod(
        """
        from flask import Blueprint
        bp = Blueprint("shop", __name__)

        @bp.before_app_request
        def load_cart():
            pass

        @bp.before_request
        def check():
            pass

        @bp.app_context_processor
        def everywhere():
            return dict()

        @bp.context_processor
        def here():
            return dict()
        """,
        f"""
        from fastapi import APIRouter
        from codemods.runtime.flask.compat import FlaskRoute
        from codemods.runtime.flask.blueprint_hooks import {hooks}
        bp = APIRouter(route_class=FlaskRoute)

        @before_app_request(bp)
        def load_cart():
            pass

        @before_blueprint_request(bp)
        def check():
            pass

        @app_context_processor(bp)
        def everywhere():
            return dict()

        @blueprint_context_processor(bp)
        def here():
            return dict()
        """,
        [BlueprintsRule],
    )


def test_a_blueprints_error_handlers_become_the_runtimes() -> None:
    assert_codemod(
        """
        from flask import Blueprint
        bp = Blueprint("api", __name__)

        @bp.errorhandler(ValidationError)
        def invalid(error):
            return str(error), 400

        @bp.app_errorhandler(404)
        def missing(error):
            return "not here", 404
        """,
        """
        from fastapi import APIRouter
        from codemods.runtime.flask.compat import FlaskRoute
        from codemods.runtime.flask.blueprint_hooks import blueprint_errorhandler, app_errorhandler
        bp = APIRouter(route_class=FlaskRoute)

        @blueprint_errorhandler(bp, ValidationError)
        def invalid(error):
            return str(error), 400

        @app_errorhandler(bp, 404)
        def missing(error):
            return "not here", 404
        """,
        [BlueprintsRule],
    )


def test_a_blueprint_hook_without_a_runtime_twin_is_still_marked() -> None:
    code, _, notes = convert(
        """
        from flask import Blueprint
        bp = Blueprint("shop", __name__)

        @bp.url_defaults
        def defaults(endpoint, values):
            pass
        """,
        [BlueprintsRule],
    )
    assert "# TODO(strangler): url_defaults: no FastAPI twin" in code
    assert notes


def test_a_blueprint_s_root_path_is_the_legacy_module_s_folder() -> None:
    source = (
        "import os\nfrom flask import Blueprint\n\nmain = Blueprint('main', __name__)\n"
        'UPLOADS = os.path.join(main.root_path, "uploads")\n'
    )
    code, _, _ = convert(
        source,
        source_package="shop",
        module_path=("views", "main.py"),
    )
    assert 'UPLOADS = os.path.join(package_root("shop.views.main"), "uploads")' in code
    assert "from codemods.runtime.flask.context import package_root" in code


NESTED = """
from flask import Blueprint

parent = Blueprint("parent", __name__, url_prefix="/parent")
child = Blueprint("child", __name__)


@child.route("/leaf")
def leaf():
    return "leaf"


parent.register_blueprint(child, url_prefix="/child")
"""


def test_a_nested_blueprint_is_included_in_its_parent_router() -> None:
    code, _, notes = convert(NESTED, [BlueprintsRule])
    assert 'parent.include_router(child, prefix="/child")' in code
    assert "register_blueprint" not in code
    assert any("nested blueprint" in note for note in notes)


def test_nested_prefixes_compose_as_flask_composes_them() -> None:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from codemods.flask.rules.routes import RoutesRule

    code, _, _ = convert(NESTED, [RoutesRule, BlueprintsRule])
    namespace: dict[str, object] = {}
    exec(compile(code, "nested.py", "exec"), namespace)
    app = FastAPI()
    app.include_router(namespace["parent"])  # type: ignore[arg-type]
    with TestClient(app) as client:
        assert client.get("/parent/child/leaf").status_code == 200


def test_a_nested_blueprint_s_routes_are_named_as_flask_names_them() -> None:
    from codemods.flask.analysis import FlaskAnalysis
    from codemods.flask.route_discovery import discover_sources
    from codemods.flask.rules.routes import RoutesRule

    child = 'from flask import Blueprint\nleaf = Blueprint("leaf", __name__)\n\n@leaf.route("/x")\ndef x():\n    return "x"\n'  # noqa: E501
    parent = (
        'from .child import leaf\napi = Blueprint("api", __name__)\napi.register_blueprint(leaf)\n'
    )
    sources: dict[tuple[str, ...], str] = {("child.py",): child, ("api.py",): parent}
    analysis = FlaskAnalysis(given_routes=discover_sources(sources))
    code, _, _ = convert(child, [RoutesRule], module_path=("child.py",), analysis=analysis)
    assert '@leaf.get("/x", name="api.leaf.x")' in code
    _, _, notes = convert(parent, [BlueprintsRule], module_path=("api.py",), analysis=analysis)
    assert not any("nested blueprint" in note for note in notes)


def test_a_view_reading_its_blueprint_s_root_path_gets_the_legacy_module_s_folder() -> None:
    source = (
        "import os\nfrom flask import Blueprint, send_from_directory\n\n"
        "bp = Blueprint('rq', __name__, static_folder='static')\n\n"
        "@bp.route('/favicon.ico')\n"
        "def favicon():\n"
        "    return send_from_directory(os.path.join(bp.root_path, 'static'), 'favicon.ico')\n"
    )
    code, _, _ = convert(source, source_package="rq_dashboard", module_path=("web.py",))
    assert "os.path.join(package_root(\"rq_dashboard.web\"), 'static')" in code
    assert "bp.root_path" not in code


def test_a_set_up_function_registering_blueprints_in_a_loop_is_kept_and_called() -> None:
    # lemur's factory: `configure_blueprints(app, blueprints)` loops over its parameter
    code, _, _ = convert(
        """
        from flask import Flask

        def configure_blueprints(app, blueprints):
            for blueprint in blueprints:
                app.register_blueprint(blueprint, url_prefix="/api/1")

        def create_app(blueprints):
            app = Flask(__name__)
            configure_blueprints(app, blueprints)
            return app
        """,
    )
    assert (
        "    for blueprint in blueprints:\n"
        '        register_blueprint(app, blueprint, prefix="/api/1")\n'
    ) in code
    assert "\n    configure_blueprints(app, blueprints)\n" in code


def test_a_factory_s_uses_of_a_set_up_left_for_a_person_are_left_too() -> None:
    # changedetection.io: `watch_api = Api(app, ...)` at module level, resources added in the
    # factory; commented out alone, the factory raised NameError and no route could be checked
    code, _, _ = convert(
        """
        from flask import Flask
        from flask_restful import Api

        app = Flask(__name__)
        watch_api = Api(app)

        def create_app(store):
            watch_api.add_resource(Tags, "/api/v1/tags")
            app.config["STORE"] = store

            @watch_api.representation("text/csv")
            def csv(data, code, headers=None):
                return data

            return app
        """,
        [BlueprintsRule],
    )
    assert "# watch_api = Api(app)" in code
    assert (
        "    # TODO(strangler): uses watch_api, whose set-up above is left for a person\n" in code
    )
    assert '    # watch_api.add_resource(Tags, "/api/v1/tags")\n' in code
    assert (
        '    # @watch_api.representation("text/csv")\n    # def csv(data, code, headers=None):'
        in code
    )
    assert "    return app\n" in code


def test_a_blueprint_s_app_template_filters_globals_and_tests_become_the_runtime_s() -> None:
    code, _, _ = convert(
        """
        from flask import Blueprint

        bp = Blueprint("tags", __name__)
        bp.add_app_template_filter(safe_css, "safe_css")

        @bp.app_template_filter()
        def upper(s):
            return s.upper()

        @bp.app_template_global("now")
        def now():
            return 1

        @bp.app_template_test
        def even(n):
            return n % 2 == 0
        """,
        [BlueprintsRule],
    )
    assert 'add_app_template_filter(bp, safe_css, "safe_css")' in code
    assert "@app_template_filter(bp)\ndef upper(s):" in code
    assert '@app_template_global(bp, "now")\ndef now():' in code
    assert "@app_template_test(bp)\ndef even(n):" in code


def test_a_factory_s_return_with_comments_above_it_is_kept() -> None:
    code, _, _ = convert(
        """
        from flask import Flask

        def create_app():
            app = Flask(__name__)
            # Return the Flask app - the Socket.IO server attaches to it later
            return app
        """,
        [BlueprintsRule],
    )
    assert (
        "    # Return the Flask app - the Socket.IO server attaches to it later\n    return app\n"
        in code
    )


def test_a_blueprint_s_template_folder_is_searched_once_it_is_registered() -> None:
    code, _, _ = convert(
        """
        from flask import Blueprint

        bp = Blueprint("tags", __name__, template_folder="templates")
        """,
        [BlueprintsRule],
        source_package="shop",
        module_path=("blueprint", "tags", "__init__.py"),
    )
    assert (
        "bp = blueprint_templates(APIRouter(route_class=FlaskRoute),"
        ' package_root("shop.blueprint.tags"), "templates")'
    ) in code
