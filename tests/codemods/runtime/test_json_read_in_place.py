"""`request.get_json()` read where the view reads it (`request_json()`), not as a body dependency:
an error it raises is caught as Flask's is, and a decorator of the app's own answers first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import wraps
from typing import Any

from fastapi import APIRouter

from codemods.runtime.flask.compat import FlaskRoute, redirect
from codemods.runtime.flask.context import request_json
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app


@contextmanager
def swallowing() -> Iterator[None]:
    """Like flask-monitoringdashboard's `session_scope()`: every error is printed and dropped."""
    with suppress(Exception):
        yield


def logged_in(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return redirect("/login")

    return wrapper


def legacy_app() -> Any:
    from flask import redirect as flask_redirect
    from flask import request

    app = flask_app()

    def flask_logged_in(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return flask_redirect("/login")

        return wrapper

    @app.post("/consent")
    def consent() -> Any:
        with swallowing():
            request.get_json()
        return "", 204

    @app.post("/report")
    @flask_logged_in
    def report() -> Any:
        return request.get_json()

    return app


def new_app() -> Any:
    app = fastapi_app()
    router = APIRouter(route_class=FlaskRoute)

    @router.post("/consent", name="consent")
    def consent() -> Any:
        with swallowing():
            request_json()
        return "", 204

    @router.post("/report", name="report")
    @logged_in
    def report() -> Any:
        return request_json()

    app.include_router(router)
    return app


def test_a_json_error_a_context_manager_swallows_answers_as_flask() -> None:
    legacy = legacy_app().test_client().post("/consent", data="x")
    new = client(new_app()).post("/consent", content="x")
    assert new.status_code == legacy.status_code == 204


def test_a_decorator_of_the_apps_own_answers_before_the_body_is_read() -> None:
    legacy = legacy_app().test_client().post("/report", data="x")
    new = client(new_app()).post("/report", content="x")
    assert new.status_code == legacy.status_code == 302
    assert new.headers["location"] == legacy.headers["Location"]
