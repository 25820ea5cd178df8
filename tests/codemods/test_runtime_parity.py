"""The runtime helpers generated code calls answer what Flask/Werkzeug answer."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Annotated

import flask
import pytest
from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.testclient import TestClient
from starlette.responses import Response

from codemods.runtime.flask import compat


@pytest.fixture
def flask_app() -> flask.Flask:
    return flask.Flask(__name__)


def test_jsonify_text_matches_flask(flask_app: flask.Flask) -> None:
    value = {
        "b": "é",
        "a": [1, 2.5],
        "when": datetime.datetime(2024, 1, 2, 3, 4, 5),
        "day": datetime.date(2024, 1, 2),
        "price": decimal.Decimal("9.90"),
        "id": uuid.UUID(int=1),
    }
    with flask_app.app_context():
        expected = flask.jsonify(value)
    ours = compat.jsonify(value)
    assert ours.body == expected.get_data()
    assert ours.headers["content-type"] == expected.headers["Content-Type"]


def test_abort_body_matches_werkzeug(flask_app: flask.Flask) -> None:
    @flask_app.route("/")
    def index() -> str:
        flask.abort(404)

    legacy = flask_app.test_client().get("/")
    ours = compat.error_response(404)
    assert ours.status_code == legacy.status_code
    assert ours.body == legacy.get_data()


def test_redirect_body_matches_werkzeug(flask_app: flask.Flask) -> None:
    with flask_app.test_request_context():
        legacy = flask.redirect("/next?a=1&b=<2>")
    ours = compat.redirect("/next?a=1&b=<2>")
    assert ours.status_code == legacy.status_code == 302
    assert ours.body == legacy.get_data()
    assert ours.headers["location"] == legacy.headers["Location"]


@pytest.mark.parametrize(("raw", "expected"), [(None, 1), ("7", 7), ("x", 1), ("", 1), ("-3", -3)])
def test_coerce_arg_falls_back_like_multidict_get(raw: str | None, expected: int) -> None:
    from werkzeug.datastructures import MultiDict

    legacy = MultiDict({} if raw is None else {"k": raw}).get("k", 1, type=int)
    assert compat.coerce_arg(raw, int, 1) == legacy == expected


def test_coerce_list_drops_bad_values_like_getlist() -> None:
    from werkzeug.datastructures import MultiDict

    legacy = MultiDict([("k", "1"), ("k", "x"), ("k", "3")]).getlist("k", type=int)
    assert compat.coerce_list(["1", "x", "3"], int) == legacy


def make_client() -> TestClient:
    router = APIRouter(route_class=compat.FlaskRoute)

    @router.get("/p/{pid:int}")
    def product(pid: int) -> Response:
        if pid == 0:
            compat.abort(404)
        return compat.jsonify(id=pid)

    @router.get("/at/{x:flask_float}")
    def at(x: float) -> Response:
        return compat.jsonify(x=x)

    @router.get("/page/{name:" + compat.any_of("about", "help") + "}")
    def page(name: str) -> Response:
        return compat.text_response(name)

    @router.get("/q")
    def q(arg_page: Annotated[str | None, Query(alias="page")] = None) -> Response:
        return compat.jsonify(page=compat.coerce_arg(arg_page, int, 1))

    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_int_path_mismatch_is_404_not_422() -> None:
    client = make_client()
    assert client.get("/p/12").json() == {"id": 12}
    assert client.get("/p/abc").status_code == 404
    assert client.get("/p/-1").status_code == 404


def test_abort_in_a_handler_answers_werkzeugs_page() -> None:
    response = make_client().get("/p/0")
    assert response.status_code == 404
    assert response.text.startswith("<!doctype html>")


def test_float_path_needs_a_dot_like_werkzeug() -> None:
    client = make_client()
    assert client.get("/at/1.5").json() == {"x": 1.5}
    assert client.get("/at/1").status_code == 404


def test_any_converter_404s_on_other_values() -> None:
    client = make_client()
    assert client.get("/page/help").text == "help"
    assert client.get("/page/other").status_code == 404


def test_bad_typed_query_value_falls_back_instead_of_422() -> None:
    client = make_client()
    assert client.get("/q?page=x").json() == {"page": 1}
    assert client.get("/q?page=3").json() == {"page": 3}


async def _json_body_status(content_type: str, body: bytes) -> int:
    from starlette.requests import Request

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "headers": [(b"content-type", content_type.encode())],
    }
    try:
        await compat.json_body(Request(scope, receive))
    except compat.LegacyResponse as answer:
        return answer.response.status_code
    return 200


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/json", b'{"a": 1}', 200),
        ("application/json", b"{", 400),
        ("text/plain", b'{"a": 1}', 415),
    ],
)
def test_json_body_answers_like_get_json(content_type: str, body: bytes, status: int) -> None:
    import asyncio

    assert asyncio.run(_json_body_status(content_type, body)) == status
    app = flask.Flask(__name__)

    @app.post("/")
    def view() -> str:
        flask.request.get_json()
        return "ok"

    legacy = app.test_client().post("/", data=body, content_type=content_type)
    assert legacy.status_code == status


def test_login_required_redirects_with_next_or_answers_401(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A generated app imported earlier in this process may have set its own user loader.
    monkeypatch.setattr(compat, "_user_loader", [])
    router = APIRouter(route_class=compat.FlaskRoute)

    @router.get("/login", name="auth.login")
    def login() -> Response:
        return compat.text_response("login")

    @router.get("/cart", dependencies=[Depends(compat.login_required("auth.login"))])
    def cart() -> Response:
        return compat.text_response("cart")

    @router.get("/api/me", dependencies=[Depends(compat.login_required())])
    def me() -> Response:
        return compat.text_response("me")

    app = FastAPI()
    app.include_router(router)
    client = TestClient(app, follow_redirects=False)
    redirect = client.get("/cart?a=1")
    assert redirect.status_code == 302
    assert redirect.headers["location"] == "/login?next=%2Fcart%3Fa%3D1"
    assert client.get("/api/me").status_code == 401
