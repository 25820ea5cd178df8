"""`request.values` read by key in a view taking the form: the query string's values first,
then the form's, and the form only for another method than GET, as Werkzeug 2.3+ has it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response

from codemods.runtime.flask.compat import FlaskRoute, jsonify
from codemods.runtime.flask.context import all_values_of, value_of


def app() -> FastAPI:
    found = FastAPI()
    found.router.route_class = FlaskRoute

    @found.api_route("/find", methods=["GET", "POST"])
    def find(
        *,
        values_q: Annotated[str | None, Depends(value_of("q"))],
        values_tag: Annotated[list[str], Depends(all_values_of("tag"))],
    ) -> Response:
        return jsonify(q=values_q, tags=values_tag)

    return found


def test_a_posted_form_s_value_is_read() -> None:
    answer = TestClient(app()).post("/find", data={"q": "typed", "tag": "a"})

    assert answer.json() == {"q": "typed", "tags": ["a"]}


def test_the_query_string_comes_before_the_form() -> None:
    answer = TestClient(app()).post("/find?q=first&tag=b", data={"q": "second", "tag": "c"})

    assert answer.json() == {"q": "first", "tags": ["b", "c"]}


def test_a_get_reads_the_query_string_only() -> None:
    answer = TestClient(app()).request("GET", "/find", data={"q": "in the body"})

    assert answer.json() == {"q": None, "tags": []}


def test_a_key_sent_nowhere_is_none() -> None:
    assert TestClient(app()).post("/find", json={"q": "json"}).json() == {"q": None, "tags": []}
