"""The babel rule: flask-babel's set-up and functions -> the runtime's twin, not TODOs."""

from codemods.flask.registry import REGISTRY
from codemods.flask.rules.babel import BabelRule
from tests.codemods.support import assert_codemod, convert


def test_flask_babel_imports_and_init_app_calls_use_the_twin() -> None:
    assert_codemod(
        """
from flask_babel import Babel, lazy_gettext as _l
from .extensions import babel

LABEL = _l("Name")
other = Babel()


def create_app():
    app = Flask(__name__)
    babel.init_app(app, locale_selector=get_locale)
    other.init_app(app)
    return app
""",
        """
from codemods.runtime.flask.babel import Babel, lazy_gettext as _l
from .extensions import babel
from codemods.runtime.flask.babel import init_babel

LABEL = _l("Name")
other = Babel()


def create_app():
    app = Flask(__name__)
    init_babel(babel, app, locale_selector=get_locale)
    init_babel(other, app)
    return app
""",
        [BabelRule],
    )


def test_babel_s_formatting_functions_stay_flask_babel_s_and_the_rest_is_the_twin() -> None:
    code, _, _ = convert("from flask_babel import format_datetime, gettext\n", [BabelRule])
    assert code == (
        "from flask_babel import format_datetime\n"
        "from codemods.runtime.flask.babel import gettext\n"
    )


FACTORY = """
from flask import Flask
from flask_babel import Babel, gettext as _


def get_locale():
    return "fr"


def create_app():
    app = Flask(__name__)
    babel = Babel(app, locale_selector=get_locale)
    app.logger.info(_("started"))
    return app
"""


def test_the_factory_keeps_the_babel_set_up_instead_of_a_todo() -> None:
    code, _, notes = convert(FACTORY, REGISTRY.rules)
    assert not any("extension set-up" in note for note in notes)
    assert "from codemods.runtime.flask.babel import Babel, gettext as _\n" in code
    assert "    babel = Babel(app, locale_selector=get_locale)\n" in code
    assert "# babel = Babel(" not in code
