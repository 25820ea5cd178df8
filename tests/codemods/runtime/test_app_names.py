"""`app.import_name`/`app.name` and `app.logger` of a generated app (`app_import_name`,
`app_logger`): the name the app records, else Flask's fallback logger name."""

import logging

from fastapi import FastAPI

from codemods.runtime.flask.app_setup import app_import_name, app_logger
from codemods.runtime.flask.context import app_context, running_app


def test_an_app_that_records_no_name_is_named_flask_app() -> None:
    assert app_import_name(FastAPI()) == "flask.app"


def test_the_name_an_app_records_is_its_import_name_and_its_logger_s() -> None:
    app = FastAPI()
    app.state.import_name = "lemur"
    assert app_import_name(app) == "lemur"
    assert app_logger(app) is logging.getLogger("lemur")


def test_the_logger_of_the_running_app_is_found_in_its_app_context() -> None:
    app = FastAPI()
    app.state.import_name = "shop"
    with app_context(app):
        assert app_logger(running_app()) is logging.getLogger("shop")
