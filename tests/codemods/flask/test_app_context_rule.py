"""The app-context rule: start-up code in Flask's application context, and config read at import
time, run on the new side in the runtime's app context."""

from codemods.flask.registry import REGISTRY
from codemods.flask.rules.app_context import AppContextRule
from tests.codemods.support import assert_codemod, convert

FACTORY = """
from flask import Flask, current_app

LIMIT = current_app.config.get("LIMIT", 5)


def create_app():
    app = Flask(__name__)
    with app.app_context():
        init_db()
    return app


def limit():
    return current_app.config["LIMIT"]
"""


def test_app_context_blocks_and_import_time_config_reads_use_the_runtime() -> None:
    assert_codemod(
        FACTORY,
        """
from flask import Flask, current_app
from codemods.runtime.flask.context import current_config, app_context

LIMIT = current_config().get("LIMIT", 5)


def create_app():
    app = Flask(__name__)
    with app_context(app):
        init_db()
    return app


def limit():
    return current_app.config["LIMIT"]
""",
        [AppContextRule],
    )


def test_an_app_given_by_the_caller_keeps_its_own_app_context() -> None:
    source = "def seed_database(app):\n    with app.app_context():\n        pass\n"
    code, _, _ = convert(source, [AppContextRule])
    assert "with app.app_context():" in code


def test_a_set_up_function_beside_the_factory_keeps_its_app_s_own_context() -> None:
    source = (
        "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
        "    return app\n\n\ndef install_plugins(app):\n    with app.app_context():\n"
        "        pass\n"
    )
    code, _, _ = convert(source, [AppContextRule])
    assert "    with app.app_context():\n" in code


def test_a_module_level_app_s_context_is_the_runtime_s_in_any_function() -> None:
    source = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "def init():\n    with app.app_context():\n        pass\n"
    )
    code, _, _ = convert(source, [AppContextRule])
    assert "    with app_context(app):\n" in code


FACTORY_IMPORTING_VIEWS = """
from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(PAGE_SIZE=3)
    with app.app_context():
        from . import items
        app.register_blueprint(items.bp)
        app.config["READY"] = True
    return app
"""


def test_the_whole_factory_keeps_its_app_context_block_instead_of_a_todo() -> None:
    code, _, notes = convert(FACTORY_IMPORTING_VIEWS, REGISTRY.rules)
    assert (
        "    with app_context(app):\n"
        "        from . import items\n"
        "        register_blueprint(app, items.bp)\n"
        '        app.state.config["READY"] = True\n'
    ) in code
    assert "TODO" not in code
    assert not any("app context" in note for note in notes)


VIEWS_READING_CONFIG_AT_IMPORT = """
from flask import Blueprint, current_app, jsonify

bp = Blueprint("items", __name__)
PAGE_SIZE = current_app.config["PAGE_SIZE"]


@bp.route("/items")
def items():
    return jsonify(size=PAGE_SIZE)
"""


def test_a_view_module_reading_config_at_import_time_reads_the_runtime_s() -> None:
    code, _, _ = convert(VIEWS_READING_CONFIG_AT_IMPORT, REGISTRY.rules)
    assert 'PAGE_SIZE = current_config()["PAGE_SIZE"]\n' in code
    assert "current_app" not in code


FACTORY_PUSHING = """
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.app_context().push()
    return app
"""


def test_a_context_the_factory_pushes_is_pushed_on_the_runtime() -> None:
    code, _, _ = convert(FACTORY_PUSHING, REGISTRY.rules)
    assert "    push_app_context(app)\n" in code
    assert "TODO" not in code


FACTORY_CREATING_TABLES = """
from flask import Flask


def create_app():
    app = Flask(__name__)
    with app.app_context():
        db.create_all()
    return app
"""


def test_a_block_creating_flask_sqlalchemy_tables_is_reported_with_its_reason() -> None:
    code, _, notes = convert(FACTORY_CREATING_TABLES, REGISTRY.rules)
    assert "    # with app.app_context():\n" in code
    assert "app context: run this at start-up (lifespan)" in notes


CELERY_MODULE = """
from celery import Celery
from flask import current_app

from .factory import create_app

if current_app:
    flask_app = current_app
else:
    flask_app = create_app()


def make_celery(app):
    celery = Celery(app.import_name, broker=app.config.get("CELERY_BROKER_URL"))
    celery.conf.update(app.config)

    class ContextTask(celery.Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return celery.Task.__call__(self, *args, **kwargs)

    celery.Task = ContextTask
    return celery


celery_app = make_celery(flask_app)


def sync():
    with flask_app.app_context():
        return 1
"""


def test_a_function_the_module_gives_the_factory_s_app_reads_the_generated_app() -> None:
    # lemur's common/celery.py: make_celery(flask_app) after flask_app = create_app()
    code, _, _ = convert(CELERY_MODULE)
    assert (
        "def make_celery(app: Any) -> Any:\n"
        "    celery = Celery(app_import_name(app), "
        'broker=app.state.config.get("CELERY_BROKER_URL"))\n'
        "    celery.conf.update(app.state.config)\n"
    ) in code
    assert "            with app_context(app):\n" in code


def test_the_factory_s_app_made_at_import_enters_the_runtime_s_app_context() -> None:
    code, _, _ = convert(CELERY_MODULE)
    assert "def sync() -> Any:\n    with app_context(flask_app):\n" in code


def test_a_function_given_another_app_keeps_flask_s_app_context() -> None:
    source = CELERY_MODULE.replace("make_celery(flask_app)", "make_celery(legacy_app)")
    code, _, _ = convert(source)
    assert "            with app.app_context():\n" in code
    assert "Celery(app.import_name" in code
