"""Werkzeug's strict slashes on the generated app (`routing_errors_like_flask`)."""

from __future__ import annotations

from fastapi import FastAPI
from flask import Flask
from starlette.testclient import TestClient

from codemods.runtime.flask.app_hooks import routing_errors_like_flask


def new_app() -> TestClient:
    app = FastAPI()
    routing_errors_like_flask(app)

    @app.get("/list/")
    def listing() -> str:
        return "x"

    @app.get("/item")
    def item() -> str:
        return "x"

    return TestClient(app, base_url="http://localhost", follow_redirects=False)


def legacy_app() -> Flask:
    app = Flask(__name__)
    app.add_url_rule("/list/", "listing", lambda: "x")
    app.add_url_rule("/item", "item", lambda: "x")
    return app


def test_the_bare_path_is_redirected_with_308_to_the_slash_as_werkzeug_does() -> None:
    new = new_app().get("/list?page=2")
    legacy = legacy_app().test_client().get("/list?page=2")
    assert (new.status_code, new.headers["location"]) == (308, "http://localhost/list/?page=2")
    assert legacy.status_code == 308
    assert legacy.headers["location"] == new.headers["location"]
    assert new.headers["content-type"] == legacy.headers["content-type"]


def test_a_slash_the_route_lacks_is_a_404_not_a_redirect() -> None:
    assert new_app().get("/item/").status_code == 404
    assert legacy_app().test_client().get("/item/").status_code == 404


def test_a_catch_all_registered_first_does_not_hide_routes_added_later() -> None:
    from fastapi import APIRouter

    blueprint = APIRouter()

    @blueprint.get("/{path:path}")
    def catch_all(path: str) -> str:
        return "catch-all"

    @blueprint.get("/telemetry/answered")
    def answered() -> str:
        return "answered"

    app = FastAPI()
    routing_errors_like_flask(app)
    app.include_router(blueprint, prefix="/dashboard")
    with TestClient(app) as client:  # the routes are ordered at start-up
        assert client.get("/dashboard/telemetry/answered").json() == "answered"
        assert client.get("/dashboard/other").json() == "catch-all"


def test_head_is_answered_wherever_get_is_as_flask_does() -> None:
    from codemods.runtime.flask.compat import FlaskRoute

    app = FastAPI()
    app.router.route_class = FlaskRoute
    routing_errors_like_flask(app)

    @app.get("/item")
    def item() -> str:
        return "x"

    new = TestClient(app).head("/item")
    legacy = legacy_app().test_client().head("/item")
    assert new.status_code == legacy.status_code == 200
    assert new.content == legacy.data == b""


def test_head_through_an_included_router_is_answered_and_openapi_lists_get_only() -> None:
    from fastapi import APIRouter

    from codemods.runtime.flask.compat import FlaskRoute

    router = APIRouter(route_class=FlaskRoute)

    @router.get("/item")
    def item() -> str:
        return "x"

    app = FastAPI()
    routing_errors_like_flask(app)
    app.include_router(router, prefix="/p")
    client = TestClient(app)
    assert client.head("/p/item").status_code == 200
    assert list(client.get("/openapi.json").json()["paths"]["/p/item"]) == ["get"]
