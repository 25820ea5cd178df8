"""A blueprint's own error handlers on the generated app, looked up as Flask does: for what the
blueprint's routes raise, by status code and then by class, before the app's; never for other
routes. `@bp.app_errorhandler` is the whole app's."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response

from codemods.runtime.flask.app_hooks import errorhandler
from codemods.runtime.flask.blueprint_hooks import (
    app_errorhandler,
    blueprint_errorhandler,
    register_blueprint,
)
from codemods.runtime.flask.compat import FlaskRoute, abort, text_response


class Invalid(Exception):
    pass


class InvalidPath(Invalid):
    pass


def api_router() -> APIRouter:
    api = APIRouter(prefix="/api", route_class=FlaskRoute)

    @blueprint_errorhandler(api, Invalid)
    def invalid(error: Exception) -> tuple[str, int]:
        return f"api: {error}", 400

    @blueprint_errorhandler(api, 404)
    def missing(error: Exception) -> tuple[str, int]:
        return "api: not here", 404

    @api.post("/check", name="api.check")
    def check() -> Response:
        raise InvalidPath("Invalid path")

    @api.get("/gone", name="api.gone")
    def gone() -> Response:
        abort(404)
        return text_response("never")

    return api


def app_with(api: APIRouter) -> FastAPI:
    app = FastAPI()
    app.router.route_class = FlaskRoute
    register_blueprint(app, api)
    return app


def test_the_blueprint_s_handler_answers_what_its_routes_raise_by_class() -> None:
    client = TestClient(app_with(api_router()), raise_server_exceptions=False)

    response = client.post("/api/check")

    assert (response.status_code, response.text) == (400, "api: Invalid path")


def test_the_blueprint_s_handler_of_a_status_code_answers_its_routes_aborts() -> None:
    client = TestClient(app_with(api_router()), raise_server_exceptions=False)

    response = client.get("/api/gone")

    assert (response.status_code, response.text) == (404, "api: not here")


def test_the_blueprint_s_handlers_are_not_the_other_routes_handlers() -> None:
    app = app_with(api_router())

    @app.get("/plain", name="plain")
    def plain() -> Response:
        raise Invalid("not the blueprint's")

    response = TestClient(app, raise_server_exceptions=False).get("/plain")

    assert response.status_code == 500


def test_the_blueprint_s_handler_comes_before_the_app_s_for_the_same_error() -> None:
    app = app_with(api_router())

    @errorhandler(app, Invalid)
    def app_invalid(error: Exception) -> tuple[str, int]:
        return "app", 422

    response = TestClient(app, raise_server_exceptions=False).post("/api/check")

    assert (response.status_code, response.text) == (400, "api: Invalid path")


def test_a_blueprint_s_app_errorhandler_answers_every_route_of_the_app() -> None:
    api = APIRouter(route_class=FlaskRoute)

    @app_errorhandler(api, Invalid)
    def everywhere(error: Exception) -> tuple[str, int]:
        return "everywhere", 409

    @api.get("/api/ping", name="api.ping")
    def ping() -> Response:
        return text_response("pong")

    app = app_with(api)

    @app.get("/plain", name="plain")
    def plain() -> Response:
        raise Invalid("raised outside the blueprint")

    response = TestClient(app, raise_server_exceptions=False).get("/plain")

    assert (response.status_code, response.text) == (409, "everywhere")
