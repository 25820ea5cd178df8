"""The app-factory rule: config, request hooks and error handlers -> their runtime twins."""

from codemods.flask.registry import REGISTRY
from tests.codemods.support import convert

SOURCE = """
import time
from flask import Flask, g, jsonify
from werkzeug.exceptions import HTTPException


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(SIZE=1)
    if config:
        app.config.from_mapping(config)
    register_hooks(app)
    register_commands(app)
    return app


def register_hooks(app):
    @app.before_request
    def start():
        g.started = time.perf_counter()

    @app.after_request
    def stamp(response):
        response.headers["X-Started"] = str(g.started)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        return jsonify(error=error.name), error.code


def register_commands(app):
    @app.cli.command("seed")
    def seed():
        print(app.config["SIZE"])
"""


def code() -> str:
    converted, _, _ = convert(SOURCE, REGISTRY.rules)
    return converted


def test_the_factory_keeps_the_config_on_the_app_state() -> None:
    converted = code()
    assert (
        "    app = FastAPI()\n"
        "    app.router.route_class = FlaskRoute\n"
        "    app.state.config = FlaskConfig()\n"
        "    app.state.instance_path = instance_path(__name__)\n"
        "    app.state.config.from_mapping(SIZE=1)\n"
    ) in converted
    assert "        app.state.config.from_mapping(config)\n" in converted


def test_hooks_and_error_handlers_are_registered_with_the_runtime() -> None:
    converted = code()
    assert "    @before_request(app)\n    def start() -> Any:" in converted
    assert "    @after_request(app)\n    def stamp(response: Any) -> Any:" in converted
    assert "    @errorhandler(app, HTTPException)\n    def http_error(" in converted
    assert "from codemods.runtime.flask.context import" in converted
    assert "    register_hooks(app)\n" in converted


def test_a_set_up_function_using_other_app_features_stays_a_todo() -> None:
    converted = code()
    assert "    # register_commands(app)\n" in converted
    assert "@app.cli.command" in converted
