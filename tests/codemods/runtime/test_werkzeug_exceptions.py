"""Werkzeug's exceptions raised anywhere on the migrated side (a view, a helper, a request hook)
answer what Flask answers: the same status, body and headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.responses import Response
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, MethodNotAllowed, NotFound, Unauthorized, abort
from werkzeug.wrappers import Response as WerkzeugResponse

from codemods.runtime.flask.app_hooks import before_request, routing_errors_like_flask
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app


def get_post(post_id: int) -> dict[str, int]:
    """A module helper, as in flaskr's blog: Werkzeug's abort from outside the view."""
    abort(404, f"Post id {post_id} doesn't exist.")


def raising(error: Exception) -> Callable[[], Any]:
    def view() -> Any:
        raise error

    return view


RAISES: dict[str, Callable[[], Any]] = {
    "werkzeug-abort": lambda: get_post(3),
    "not-found": raising(NotFound()),
    "forbidden-description": raising(Forbidden("not yours")),
    "unauthorized": raising(Unauthorized(www_authenticate=WWWAuthenticate("Basic"))),
    "method-not-allowed": raising(MethodNotAllowed(["GET", "POST"])),
    "abort-with-response": lambda: abort(WerkzeugResponse("teapot", 418)),
}


def answers(raiser: Callable[[], Any]) -> tuple[Any, Any]:
    legacy = flask_app()
    legacy.add_url_rule("/x", "x", lambda: raiser())
    migrated: FastAPI = fastapi_app()

    @migrated.get("/x")
    def view() -> Response:
        raiser()
        return Response("unreachable")

    return legacy.test_client().get("/x"), client(migrated).get("/x")


@pytest.mark.parametrize("case", sorted(RAISES))
def test_a_raised_werkzeug_exception_answers_as_in_flask(case: str) -> None:
    legacy, migrated = answers(RAISES[case])
    assert migrated.status_code == legacy.status_code
    assert migrated.text == legacy.get_data(as_text=True)
    assert migrated.headers.get("content-type") == legacy.headers.get("Content-Type")
    assert migrated.headers.get("allow") == legacy.headers.get("Allow")
    assert migrated.headers.get("www-authenticate") == legacy.headers.get("WWW-Authenticate")


def test_abort_in_a_before_request_hook_answers_as_in_flask() -> None:
    legacy = flask_app()
    legacy.before_request(lambda: abort(403))
    legacy.add_url_rule("/x", "x", lambda: "x")
    migrated = fastapi_app()
    before_request(migrated)(lambda: abort(403))

    @migrated.get("/x")
    def view() -> Response:
        return Response("x")

    flask_answer, answer = legacy.test_client().get("/x"), client(migrated).get("/x")
    assert (answer.status_code, answer.text) == (403, flask_answer.get_data(as_text=True))


def test_unknown_urls_and_methods_answer_werkzeug_s_pages() -> None:
    legacy = flask_app()
    legacy.add_url_rule("/only-get", "only_get", lambda: "x")
    migrated = fastapi_app()
    routing_errors_like_flask(migrated)

    @migrated.get("/only-get")
    def only_get() -> Response:
        return Response("x")

    for method, path in (("get", "/nowhere"), ("post", "/only-get")):
        flask_answer = getattr(legacy.test_client(), method)(path)
        answer = getattr(client(migrated), method)(path)
        assert answer.status_code == flask_answer.status_code
        assert answer.text == flask_answer.get_data(as_text=True)
        allowed = {m.strip() for m in answer.headers.get("allow", "").split(",") if m.strip()}
        expected = {m.strip() for m in flask_answer.headers.get("Allow", "").split(",") if m}
        assert allowed == {m for m in expected if m}
