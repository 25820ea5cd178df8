"""`request.args`, `request.form` and `request.values` read by a module helper."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.testclient import TestClient

from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.context import (
    request_args,
    request_data,
    request_form,
    request_values,
)


def helper_app() -> TestClient:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    @app.api_route("/read", methods=["GET", "POST"])
    def read() -> dict[str, object]:
        return {
            "arg": request_args().get("a"),
            "args": request_args().getlist("a"),
            "form": request_form().get("f"),
            "values": request_values().get("f"),
            "data": request_data(as_text=True),
        }

    return TestClient(app)


def test_a_repeated_query_key_gives_its_first_value_as_werkzeug_s_multidict_does() -> None:
    answer = helper_app().get("/read?a=1&a=2").json()
    assert answer == {"arg": "1", "args": ["1", "2"], "form": None, "values": None, "data": ""}


def test_the_form_is_read_for_a_sync_helper() -> None:
    answer = helper_app().post("/read", data={"f": "x"}).json()
    assert answer["form"] == "x"
    assert answer["values"] == "x"


def test_the_raw_body_is_read_for_a_sync_view() -> None:
    answer = helper_app().post("/read", content=b'{"data": 1}').json()
    assert answer["data"] == '{"data": 1}'
