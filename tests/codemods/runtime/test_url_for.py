"""The runtime's `url_for`: endpoints computed at run time."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.testclient import TestClient

from codemods.runtime.flask.compat import url_for


def app_answering(endpoint: str) -> FastAPI:
    app = FastAPI()

    @app.get("/dashboard/login", name="login")
    def login() -> str:
        return ""

    @app.get("/where")
    def where(request: Request) -> str:
        return url_for(request, endpoint, next="/")

    return app


def test_a_blueprint_named_at_run_time_finds_its_route_named_without_it() -> None:
    answer = TestClient(app_answering("dashboard.login")).get("/where")
    assert answer.json() == "/dashboard/login?next=%2F"


def test_an_exact_route_name_is_found_as_before() -> None:
    assert TestClient(app_answering("login")).get("/where").json() == "/dashboard/login?next=%2F"


def test_a_blueprint_nested_in_one_a_function_made_finds_its_route() -> None:
    # changedetection.io: `ui.ui_queue.queue_page` for the route named `ui_queue.queue_page`
    app = FastAPI()

    @app.get("/queue", name="ui_queue.queue_page")
    def queue() -> str:
        return ""

    @app.get("/where")
    def where(request: Request) -> str:
        return url_for(request, "ui.ui_queue.queue_page")

    assert TestClient(app).get("/where").json() == "/queue"
