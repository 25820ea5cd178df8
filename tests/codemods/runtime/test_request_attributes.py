"""Each `request.<attribute>` of the request-data table answers on the new side what Flask's
request answers, for the same request (the table's Starlette expressions, evaluated)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI, Request

from codemods.flask.tables.request import ATTRIBUTES
from tests.codemods.runtime.flask_twins import client, flask_app

SAME_AS_FLASK = (
    "method",
    "path",
    "full_path",
    "script_root",
    "query_string",
    "scheme",
    "mimetype",
)


@pytest.mark.parametrize("attribute", SAME_AS_FLASK)
@pytest.mark.parametrize("query", ["", "?a=1&b=%20x"])
def test_the_attribute_answers_as_flask(attribute: str, query: str) -> None:
    legacy = flask_app()

    @legacy.post("/things/")
    def legacy_view() -> Any:
        from flask import request

        return repr(eval(f"request.{attribute}", {"request": request}))

    new = FastAPI()

    @new.post("/things/")
    def new_view(request: Request) -> Any:
        from starlette.responses import PlainTextResponse

        value = eval(ATTRIBUTES[attribute].format(r="request"), {"request": request})
        return PlainTextResponse(repr(value))

    headers = {"Content-Type": "text/plain; charset=utf-8"}
    expected = legacy.test_client().post("/things/" + query, headers=headers).get_data(True)
    assert client(new).post("/things/" + query, headers=headers).text == expected


ENVIRON_KEYS = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "SERVER_PORT",
    "CONTENT_TYPE",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_ACCEPT_LANGUAGE",
    "wsgi.url_scheme",
)


def test_request_environ_holds_what_flask_s_environ_holds() -> None:
    # (not SERVER_NAME: the two test clients send their own host names)
    from codemods.runtime.flask.context import request_environ

    legacy = flask_app()

    @legacy.post("/things/")
    def legacy_view() -> Any:
        from flask import request

        return repr({key: request.environ.get(key) for key in ENVIRON_KEYS})

    new = FastAPI()

    @new.post("/things/")
    def new_view(request: Request) -> Any:
        from starlette.responses import PlainTextResponse

        environ = request_environ(request)
        return PlainTextResponse(repr({key: environ.get(key) for key in ENVIRON_KEYS}))

    headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "X-Forwarded-For": "10.0.0.1",
        "Accept-Language": "fr",
    }
    expected = legacy.test_client().post("/things/?a=1", headers=headers).get_data(True)
    assert client(new).post("/things/?a=1", headers=headers).text == expected
