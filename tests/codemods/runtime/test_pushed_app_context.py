"""`push_app_context(app)` (was `app.app_context().push()`): the app stays current afterwards."""

import contextvars

from fastapi import FastAPI

from codemods.runtime.flask.context import FlaskConfig, current_config, g, push_app_context


def start_up(app: FastAPI) -> tuple[int, bool]:
    push_app_context(app)
    g.ready = True
    return current_config()["PAGE_SIZE"], "ready" in g


def test_after_a_push_the_config_and_g_of_the_app_are_current() -> None:
    app = FastAPI()
    app.state.config = FlaskConfig(PAGE_SIZE=4)
    assert contextvars.copy_context().run(start_up, app) == (4, True)
