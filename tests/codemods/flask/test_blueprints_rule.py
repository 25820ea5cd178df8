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
        from codemods.runtime.flask_compat import FlaskRoute
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
    assert code.index('include_router(a.bp, prefix="/a")') < code.index("include_router(b.bp)")
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
