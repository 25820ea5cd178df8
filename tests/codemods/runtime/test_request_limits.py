"""Flask's request limits, not Starlette's defaults, on the migrated routes; repeated keys give
their first value, as Werkzeug's `MultiDict.get` does."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI, Form
from flask import request as legacy_request
from starlette.responses import Response

from codemods.runtime.flask.compat import jsonify
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app

MIB = 1024 * 1024


def twins(config: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """`/form` answers the length of its `text` field, `/search` its `q` argument."""
    legacy = flask_app(config)

    @legacy.route("/form", methods=["POST"])
    def legacy_form() -> Any:
        return {
            "text": len(legacy_request.form.get("text", "")),
            "tag": legacy_request.form.get("tag"),
        }

    @legacy.route("/search")
    def legacy_search() -> Any:
        return {"q": legacy_request.args.get("q")}

    migrated: FastAPI = fastapi_app(config)

    @migrated.post("/form")
    def form(
        text: Annotated[str, Form()] = "", tag: Annotated[str | None, Form()] = None
    ) -> Response:
        return jsonify(text=len(text), tag=tag)

    @migrated.get("/search")
    def search(q: str | None = None) -> Response:
        return jsonify(q=q)

    return legacy.test_client(), client(migrated)


def encoded(**kwargs: Any) -> dict[str, Any]:
    """The very bytes and content type httpx sends for `data=`/`files=`, for both sides."""
    request = httpx.Request("POST", "http://test/form", **kwargs)
    return {"data": request.read(), "headers": {"Content-Type": request.headers["content-type"]}}


def both_post(config: dict[str, Any] | None, **kwargs: Any) -> tuple[int, int]:
    """The status codes of the migrated side and of Flask for the same body."""
    legacy, migrated = twins(config)
    body = encoded(**kwargs)
    answer = migrated.post("/form", content=body["data"], headers=body["headers"])
    return answer.status_code, legacy.post("/form", **body).status_code


def test_a_3_mib_urlencoded_form_flask_accepts_is_accepted() -> None:
    assert both_post(None, data={"text": "x" * (3 * MIB)}) == (200, 200)


def test_a_body_over_max_content_length_is_refused_with_413() -> None:
    assert both_post({"MAX_CONTENT_LENGTH": 1000}, data={"text": "x" * 2000}) == (413, 413)


def test_a_multipart_field_over_max_form_memory_size_is_refused_with_413() -> None:
    config = {"MAX_FORM_MEMORY_SIZE": 1000}
    files = {"upload": ("a.txt", b"file content")}
    assert both_post(config, data={"text": "x" * 2000}, files=files) == (413, 413)
    assert both_post(config, data={"text": "x" * 500}, files=files) == (200, 200)


def test_a_multipart_body_with_more_parts_than_max_form_parts_is_refused_with_413() -> None:
    config = {"MAX_FORM_PARTS": 3}
    files = {f"f{i}": (f"{i}.txt", b"x") for i in range(5)}
    assert both_post(config, data={"text": "x"}, files=files) == (413, 413)


@pytest.mark.parametrize("multipart", [False, True])
def test_a_repeated_form_key_gives_its_first_value(multipart: bool) -> None:
    legacy, migrated = twins()
    files = {"upload": ("a.txt", b"x")} if multipart else None
    body = encoded(data={"tag": ["first", "second"]}, files=files)
    answer = migrated.post("/form", content=body["data"], headers=body["headers"])
    assert answer.json()["tag"] == legacy.post("/form", **body).get_json()["tag"] == "first"


def test_a_repeated_query_argument_gives_its_first_value() -> None:
    legacy, migrated = twins()
    flask_answer = legacy.get("/search?q=first&q=second").get_json()
    assert migrated.get("/search?q=first&q=second").json() == flask_answer == {"q": "first"}


def test_an_empty_form_field_is_an_empty_string_not_a_missing_one() -> None:
    legacy, migrated = twins()
    body = encoded(data={"text": "", "tag": ""})
    answer = migrated.post("/form", content=body["data"], headers=body["headers"])
    expected = legacy.post("/form", **body).get_json()
    assert answer.json() == expected == {"text": 0, "tag": ""}
    assert migrated.post("/form", data={"text": "x"}).json()["tag"] is None
