"""The app-factory rule: config, request hooks and error handlers -> their runtime twins."""

from pathlib import Path

from codemods.engine.runner import transform_source
from codemods.engine.state import ModuleState
from codemods.flask.registry import REGISTRY
from codemods.flask.rules.app_factory import AppFactoryRule
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
        "    app.state.root_path = package_root(__name__)\n"
        "    app.state.instance_path = default_instance_path(__name__)\n"
        "    app.state.config = FlaskConfig(app.state.root_path)\n"
        "    serve_static(app, __name__)\n"
        "    routing_errors_like_flask(app)\n"
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


def test_a_set_up_function_registering_commands_is_kept() -> None:
    converted = code()
    assert "    register_commands(app)\n" in converted
    assert '    @command_line(app).command("seed")\n' in converted
    assert '        print(app.state.config["SIZE"])' in converted


TUTORIAL = """
import os
from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "app.sqlite"))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.jinja_env.globals["site"] = "Tutorial"

    @app.template_filter("shout")
    def shout(text):
        return text.upper()

    @app.context_processor
    def inject_year():
        return {"year": 2026}

    @app.teardown_request
    def forget(error):
        pass

    from . import db

    db.init_app(app)
    app.add_url_rule("/", endpoint="index")
    return app
"""

DB_MODULE = """
from flask import g


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
"""


def test_instance_relative_config_reads_files_from_the_instance_folder() -> None:
    converted, _, _ = convert(TUTORIAL, REGISTRY.rules)
    assert (
        "    app.state.root_path = package_root(__name__)\n"
        "    app.state.instance_path = default_instance_path(__name__)\n"
        "    app.state.config = FlaskConfig(app.state.instance_path)\n"
    ) in converted
    assert 'app.state.config.from_pyfile("config.py", silent=True)' in converted
    assert 'os.path.join(app.state.instance_path, "app.sqlite")' in converted


def test_a_given_instance_path_is_kept_under_the_runtime_s_own_name() -> None:
    source = (
        "from flask import Flask\n\n\ndef create_app(instance_path=None):\n"
        "    app = Flask(__name__, instance_path=instance_path)\n    return app\n"
    )
    converted, _, _ = convert(source, REGISTRY.rules)
    # the parameter does not hide the runtime function
    assert "app.state.instance_path = default_instance_path(__name__, instance_path)" in converted


def test_template_registrations_and_hooks_of_the_factory_are_ported() -> None:
    converted, _, _ = convert(TUTORIAL, REGISTRY.rules)
    assert 'jinja_env(app).globals["site"] = "Tutorial"' in converted
    assert '    @template_filter(app, "shout")\n    def shout(' in converted
    assert "    @context_processor(app)\n    def inject_year(" in converted
    assert "    @teardown_request(app)\n    def forget(" in converted


def test_an_endpoint_alias_without_a_view_keeps_its_url() -> None:
    converted, _, _ = convert(TUTORIAL, REGISTRY.rules)
    assert '    endpoint_alias(app, "/", "index")\n' in converted


def test_a_module_s_own_init_app_registers_its_teardown_and_commands() -> None:
    converted, _, _ = convert(DB_MODULE, REGISTRY.rules)
    assert "    teardown_appcontext(app)(close_db)\n" in converted
    assert "    command_line(app).add_command(init_db_command)\n" in converted


def test_the_package_s_own_init_app_call_is_kept(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text(TUTORIAL)
    (tmp_path / "db.py").write_text(DB_MODULE)
    converted, _ = transform_source(
        TUTORIAL,
        REGISTRY.rules,
        filename=str(tmp_path / "__init__.py"),
        state=ModuleState(module_path=("__init__.py",)),
    )
    assert "    db.init_app(app)\n" in converted
    assert "TODO" not in converted


def test_an_extension_s_init_app_stays_a_todo() -> None:
    source = TUTORIAL.replace("from . import db", "from .extensions import db")
    converted, _, _ = convert(source, REGISTRY.rules)
    assert "    # db.init_app(app)\n" in converted


def test_a_module_level_app_s_template_decorators_are_registered_with_the_runtime() -> None:
    from codemods.flask.rules.app_factory import AppFactoryRule

    code, _, _ = convert(
        "from flask import Flask\n\n"
        "app = Flask(__name__)\n\n"
        "@app.template_global()\n"
        "def back_url(table):\n"
        "    return table\n\n"
        '@app.template_filter("highlight")\n'
        "def highlight(text):\n"
        "    return text\n",
        [AppFactoryRule],
    )
    assert "@template_global(app)\ndef back_url(table):" in code
    assert '@template_filter(app, "highlight")\ndef highlight(text):' in code


def test_a_module_level_app_s_config_read_in_a_view_is_the_app_state_s() -> None:
    from codemods.flask.rules.app_factory import AppFactoryRule
    from codemods.flask.rules.routes import RoutesRule

    code, _, _ = convert(
        "from flask import Flask\n\n"
        "app = Flask(__name__)\n\n"
        '@app.route("/")\n'
        "def index():\n"
        '    return app.config.get("X")\n\n'
        "def other():\n"
        "    app = object()\n"
        "    return app.config\n",
        [RoutesRule, AppFactoryRule],
    )
    assert '    return app.state.config.get("X")\n' in code
    assert "def other():\n    app = object()\n    return app.config\n" in code  # its own app


SHELL_AND_ADMIN = """
from flask import Flask
from flask_admin import Admin


def create_app():
    app = Flask(__name__)

    @app.shell_context_processor
    def shell_context():
        return {"app": app}

    admin = Admin(app, name="books")
    admin.add_view(BookView())
    return app
"""


def test_a_shell_context_processor_is_kept_on_the_app_for_flask_shell() -> None:
    converted, _, _ = convert(SHELL_AND_ADMIN)
    assert "    @shell_context_processor(app)\n    def shell_context()" in converted
    assert "from codemods.runtime.flask.app_setup import" in converted


def test_a_statement_using_what_a_commented_out_set_up_made_is_commented_out_too() -> None:
    converted, _, _ = convert(SHELL_AND_ADMIN)
    assert "    # admin = Admin(app, name='books')\n" in converted.replace('"', "'")
    assert "    # admin.add_view(BookView())\n" in converted
    assert "uses admin, whose set-up above is left for a person" in converted


def test_shell_context_processors_are_kept_on_the_app_state() -> None:
    from fastapi import FastAPI

    from codemods.runtime.flask.app_setup import shell_context_processor

    app = FastAPI()

    @shell_context_processor(app)
    def shell_context() -> dict[str, object]:
        return {"app": app}

    assert app.state.shell_context_processors == [shell_context]


def test_a_set_up_function_using_the_app_s_logger_is_converted() -> None:
    # lemur's configure_hook(app): hooks, config and `app.logger.exception(e)`
    code, _, _ = convert(
        """
        def configure_hook(app):
            headers = app.config.get("CUSTOM_RESPONSE_HEADERS", {})

            @app.errorhandler(Exception)
            def handle_error(e):
                app.logger.exception(e)
                return {"error": str(e)}, 500
        """,
        [AppFactoryRule],
    )
    assert "app_logger(app).exception(e)" in code
    assert 'app.state.config.get("CUSTOM_RESPONSE_HEADERS", {})' in code
    assert "from codemods.runtime.flask.app_setup import app_logger" in code


def test_an_app_made_by_the_factory_at_module_level_reads_its_config_from_state() -> None:
    # lemur's common/redis.py reads settings of an app it builds at import time
    code, _, _ = convert(
        """
        from .factory import create_app

        if current_app:
            flask_app = current_app
        else:
            flask_app = create_app()
        HOST = flask_app.config.get("REDIS_HOST", "localhost")

        class RedisHandler:
            def __init__(self, port=flask_app.config.get("REDIS_PORT", 6379)):
                self.port = port
        """,
        [AppFactoryRule],
    )
    assert 'HOST = flask_app.state.config.get("REDIS_HOST", "localhost")' in code
    assert 'port=flask_app.state.config.get("REDIS_PORT", 6379)' in code


def test_flask_s_config_attributes_are_the_config_s_keys() -> None:
    # changedetection.io's factory: `app.secret_key = init_app_secret(...)`
    code, _, _ = convert(
        """
        from flask import Flask

        def create_app(path):
            app = Flask(__name__)
            app.secret_key = init_app_secret(path)
            app.testing = False
            return app
        """,
        REGISTRY.rules,
    )
    assert 'app.state.config["SECRET_KEY"] = init_app_secret(path)' in code
    assert 'app.state.config["TESTING"] = False' in code
    assert "TODO" not in code
