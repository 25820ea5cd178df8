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


@pytest.mark.parametrize(
    ("expression", "header"),
    [
        ("accept_languages.best_match(['en', 'fr', 'de'])", ("Accept-Language", "de;q=0.5, fr")),
        ("accept_mimetypes.best", ("Accept", "text/html;q=0.8, application/json")),
        ("accept_mimetypes.accept_json", ("Accept", "application/json")),
        ("accept_charsets.best", ("Accept-Charset", "utf-8, iso-8859-1;q=0.5")),
        ("accept_encodings.best", ("Accept-Encoding", "gzip, br;q=0.9")),
    ],
)
def test_the_accept_headers_parse_as_flask_s(expression: str, header: tuple[str, str]) -> None:
    from codemods.runtime.flask import context

    attribute, rest = expression.split(".", 1)
    legacy = flask_app()

    @legacy.get("/")
    def legacy_view() -> Any:
        from flask import request

        return repr(eval(f"request.{expression}", {"request": request}))

    new = FastAPI()

    @new.get("/")
    def new_view(request: Request) -> Any:
        from starlette.responses import PlainTextResponse

        parsed = getattr(context, attribute)(request)
        return PlainTextResponse(repr(eval(f"parsed.{rest}", {"parsed": parsed})))

    expected = legacy.test_client().get("/", headers=[header]).get_data(True)
    assert client(new).get("/", headers=[header]).text == expected


def test_request_blueprint_is_flask_s() -> None:
    from fastapi import APIRouter
    from flask import Blueprint

    from codemods.runtime.flask.blueprint_hooks import register_blueprint
    from codemods.runtime.flask.compat import FlaskRoute
    from codemods.runtime.flask.context import request_blueprint

    legacy = flask_app()
    parent, child = Blueprint("shop", __name__), Blueprint("cart", __name__)

    @child.get("/items")
    def legacy_items() -> Any:
        from flask import request

        return repr(request.blueprint)

    @legacy.get("/home")
    def legacy_home() -> Any:
        from flask import request

        return repr(request.blueprint)

    parent.register_blueprint(child, url_prefix="/cart")
    legacy.register_blueprint(parent, url_prefix="/shop")

    new = FastAPI()
    cart = APIRouter(route_class=FlaskRoute)

    @cart.get("/shop/cart/items", name="shop.cart.items")
    def items(request: Request) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(repr(request_blueprint(request)))

    @new.get("/home", name="home")
    def home(request: Request) -> Any:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(repr(request_blueprint(request)))

    register_blueprint(new, cart)
    for path in ("/shop/cart/items", "/home"):
        expected = legacy.test_client().get(path).get_data(True)
        assert client(new).get(path).text == expected
