"""Flask's request hooks and error handlers on a FastAPI app, in Flask's order and lookup."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response
from werkzeug.exceptions import HTTPException

from codemods.runtime.flask.app_hooks import after_request, before_request, errorhandler
from codemods.runtime.flask.compat import FlaskRoute, abort, jsonify
from codemods.runtime.flask.context import g


def shop() -> FastAPI:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    @app.get("/ok")
    def ok() -> Response:
        return jsonify(seen=g.get("started", False))

    @app.get("/missing")
    def missing() -> Response:
        abort(404, description="no such thing")

    @app.get("/typed")
    def typed(n: int) -> Response:
        return jsonify(n=n)

    @app.get("/boom")
    def boom() -> Response:
        raise ValueError("boom")

    return app


def test_before_and_after_hooks_wrap_each_request_and_share_g() -> None:
    app = shop()

    @before_request(app)
    def start() -> None:
        g.started = True

    @after_request(app)
    def stamp(response: Response) -> Response:
        response.headers["X-Started"] = str(g.get("started"))
        return response

    answer = TestClient(app).get("/ok")
    assert answer.json() == {"seen": True}
    assert answer.headers["x-started"] == "True"


def test_abort_reaches_the_http_exception_handler_with_werkzeug_s_exception() -> None:
    app = shop()

    @errorhandler(app, HTTPException)
    def as_json(error: Any) -> Any:
        return jsonify(error=error.name, message=error.description, status=error.code), error.code

    answer = TestClient(app).get("/missing")
    assert answer.status_code == 404
    assert answer.json() == {"error": "Not Found", "message": "no such thing", "status": 404}


def test_a_handler_by_status_code_wins_over_one_by_class() -> None:
    app = shop()

    @errorhandler(app, HTTPException)
    def by_class(error: Any) -> Any:
        return "class", error.code

    @errorhandler(app, 404)
    def by_code(error: Any) -> Any:
        return "code", 404

    assert TestClient(app).get("/missing").text == "code"


def test_an_unhandled_error_goes_to_the_500_handler() -> None:
    app = shop()

    @errorhandler(app, 500)
    def server_error(error: Any) -> Any:
        return jsonify(error="Internal Server Error", cause=str(error.original_exception)), 500

    answer = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500
    assert answer.json() == {"cause": "boom", "error": "Internal Server Error"}


def test_a_handler_of_the_raised_class_wins_over_the_500_handler_and_gets_the_error() -> None:
    app = shop()
    given: list[Any] = []

    @errorhandler(app, 500)
    def server_error(error: Any) -> Any:
        return "server error", 500

    @errorhandler(app, ValueError)
    def bad_value(error: Any) -> Any:
        given.append(error)
        return "bad value", 400

    answer = TestClient(app, raise_server_exceptions=False).get("/boom")

    assert (answer.status_code, answer.text) == (400, "bad value")
    assert [type(error) for error in given] == [ValueError]  # as Flask hands it, not its 500


def test_a_handler_returning_the_error_gets_werkzeug_s_page() -> None:
    app = shop()

    @errorhandler(app, HTTPException)
    def passthrough(error: Any) -> Any:
        return error

    answer = TestClient(app).get("/missing")
    assert answer.status_code == 404
    assert "<p>no such thing</p>" in answer.text


def test_fastapi_s_own_validation_answer_is_left_alone() -> None:
    app = shop()

    @errorhandler(app, 500)
    def server_error(error: Any) -> Any:
        return "500 handler", 500

    assert TestClient(app).get("/typed?n=x").status_code == 422
