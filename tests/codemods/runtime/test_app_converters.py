"""The app's own Werkzeug URL converter on both sides: the view gets what `to_python` returns,
`url_for` builds with `to_url`, and a value the converter refuses is Werkzeug's 404."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from werkzeug.routing import BaseConverter, ValidationError

from codemods.runtime.flask.compat import FlaskRoute, text_response, url_for
from codemods.runtime.flask.converters import register_converter
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app


class PairConverter(BaseConverter):
    """`a-b` <-> ("a", "b"); anything without a dash is refused."""

    def to_python(self, value: str) -> Any:
        if "-" not in value:
            raise ValidationError()
        return tuple(value.split("-", 1))

    def to_url(self, value: Any) -> str:
        return "-".join(value)


def legacy_app() -> Any:
    from flask import url_for as flask_url_for

    app = flask_app()
    app.url_map.converters["pair"] = PairConverter

    @app.route("/rows/<pair:key>/")
    def row(key: Any) -> Any:
        return f"{key[0]}|{key[1]}|{flask_url_for('row', key=('c', 'd'))}"

    return app


def new_app() -> Any:
    register_converter("pair", PairConverter)
    app = fastapi_app()
    app.router.redirect_slashes = False
    router = APIRouter(route_class=FlaskRoute)

    @router.get("/rows/{key:pair}/", name="row")
    def row(key: Any, request: Request) -> Any:
        return text_response(f"{key[0]}|{key[1]}|{url_for(request, 'row', key=('c', 'd'))}")

    app.include_router(router)
    return app


def both(path: str) -> tuple[Any, Any]:
    return legacy_app().test_client().get(path), client(new_app()).get(path)


def test_the_view_gets_what_the_converter_makes_and_url_for_builds_with_it() -> None:
    legacy, new = both("/rows/a-b/")
    assert new.status_code == legacy.status_code == 200
    assert new.text == legacy.get_data(as_text=True) == "a|b|/rows/c-d/"


def test_a_value_the_converter_refuses_is_not_found() -> None:
    legacy, new = both("/rows/ab/")
    assert new.status_code == legacy.status_code == 404
