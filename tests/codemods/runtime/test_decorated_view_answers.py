"""A view wrapped by the app's own decorator that makes the response from what the view returns
(rq-dashboard's `jsonify`: a `(response, headers)` tuple): the route answers as Flask does."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from fastapi import APIRouter

from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.compat import jsonify as compat_jsonify
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app


def legacy_app() -> Any:
    from flask import jsonify as flask_jsonify

    app = flask_app()

    def as_json(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return flask_jsonify(**view(*args, **kwargs)), {"Cache-Control": "no-store"}

        return wrapped

    @app.route("/queues/<int:number>.json")
    @as_json
    def queues(number: int) -> Any:
        return {"number": number, "queues": []}

    @app.route("/text")
    def text() -> Any:
        return "plain", 201, {"X-Kind": "text"}

    return app


def new_app() -> Any:
    app = fastapi_app()
    router = APIRouter(route_class=FlaskRoute)

    def as_json(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            return compat_jsonify(**view(*args, **kwargs)), {"Cache-Control": "no-store"}

        return wrapped

    @router.get("/queues/{number:int}.json", name="queues")
    @as_json
    def queues(number: int) -> Any:
        return {"number": number, "queues": []}

    @router.get("/text", name="text")
    def text() -> Any:
        return "plain", 201, {"X-Kind": "text"}

    app.include_router(router)
    return app


def both(path: str) -> tuple[Any, Any]:
    return legacy_app().test_client().get(path), client(new_app()).get(path)


def test_a_response_and_headers_tuple_from_a_decorator_answers_as_flask() -> None:
    legacy, new = both("/queues/0.json")
    assert new.status_code == legacy.status_code == 200
    assert new.content == legacy.data
    assert new.headers["content-type"] == legacy.headers["Content-Type"]
    assert new.headers["cache-control"] == legacy.headers["Cache-Control"] == "no-store"


def test_a_body_status_headers_tuple_answers_as_flask() -> None:
    legacy, new = both("/text")
    assert new.status_code == legacy.status_code == 201
    assert new.content == legacy.data
    assert new.headers["content-type"] == legacy.headers["Content-Type"]
    assert new.headers["x-kind"] == "text"
