"""A Flask-RESTful resource dispatched by the runtime (`dispatch_resource`) answers what the same
resource answers under Flask-RESTful's `Api`: its reqparse errors, its `marshal_with` output,
its `method_decorators`' early answers, its tuples and its aborts (status, body, content type)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, Request
from flask import request as flask_request
from flask_restful import Api, Resource, abort, fields, marshal_with, reqparse
from starlette.responses import JSONResponse, Response

from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.context import bind
from codemods.runtime.flask.restful import dispatch_resource, resource_url
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app

ITEM_FIELDS = {
    "id": fields.Integer,
    "name": fields.String,
    "active": fields.Boolean(default=False),
    "tags": fields.List(fields.String),
    "owner": fields.Nested({"email": fields.String}),
}


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """lemur's `login_required`, as `method_decorators`: its own 401 before the method runs."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not flask_request.headers.get("Authorization"):
            return {"message": "Missing authorization header"}, 401
        return view(*args, **kwargs)

    return checked


class Items(Resource):
    method_decorators = [token_required]

    def __init__(self) -> None:
        self.parser = reqparse.RequestParser()
        self.parser.add_argument("count", type=int, default=10, location="args")
        self.parser.add_argument("name", type=str, required=True, location="json", help="a name")
        self.parser.add_argument("kind", choices=("a", "b"), location="json")
        super().__init__()

    def get(self) -> Any:
        args = reqparse.RequestParser()
        args.add_argument("count", type=int, default=10, location="args")
        return {"count": args.parse_args()["count"]}

    def post(self) -> Any:
        args = self.parser.parse_args()
        return {"created": args["name"], "kind": args["kind"]}, 201, {"X-Made": "1"}


class Item(Resource):
    @marshal_with(ITEM_FIELDS)
    def get(self, item_id: int) -> Any:
        if item_id == 404:
            abort(404, message="Item 404 doesn't exist")
        return {"id": item_id, "name": "one", "tags": ["x"], "owner": {"email": "a@b.c"}}

    def delete(self, item_id: int) -> Any:
        return "", 204


def legacy_client() -> Any:
    app = flask_app()
    api = Api(app)
    api.add_resource(Items, "/items")
    api.add_resource(Item, "/items/<int:item_id>")
    return app.test_client()


def migrated_client() -> Any:
    app: FastAPI = fastapi_app()

    @app.get("/items")
    def items_get(request: Request) -> Response:
        return dispatch_resource(request, Items, "get")

    @app.post("/items")
    def items_post(request: Request) -> Response:
        return dispatch_resource(request, Items, "post")

    @app.get("/items/{item_id:int}")
    def item_get(request: Request, item_id: int) -> Response:
        return dispatch_resource(request, Item, "get", item_id=item_id)

    @app.delete("/items/{item_id:int}")
    def item_delete(request: Request, item_id: int) -> Response:
        return dispatch_resource(request, Item, "delete", item_id=item_id)

    return client(app)


AUTH = {"Authorization": "Bearer t"}
CALLS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "decorator-answers-first": ("get", "/items", {}),
    "parsed-query-default": ("get", "/items", {"headers": AUTH}),
    "parsed-query-value": ("get", "/items?count=3", {"headers": AUTH}),
    "bad-int-is-400": ("get", "/items?count=x", {"headers": AUTH}),
    "required-json-missing": ("post", "/items", {"headers": AUTH, "json": {}}),
    "not-json-body": ("post", "/items", {"headers": AUTH, "data": "name=x"}),
    "choice-refused": ("post", "/items", {"headers": AUTH, "json": {"name": "n", "kind": "z"}}),
    "created-with-headers": ("post", "/items", {"headers": AUTH, "json": {"name": "n"}}),
    "marshalled": ("get", "/items/7", {}),
    "aborted-with-message": ("get", "/items/404", {}),
    "empty-204": ("delete", "/items/7", {}),
}


@pytest.mark.parametrize("case", sorted(CALLS))
def test_a_dispatched_resource_answers_as_flask_restful(case: str) -> None:
    method, url, options = CALLS[case]
    legacy = getattr(legacy_client(), method)(url, **options)
    migrated = getattr(migrated_client(), method)(url, **options)
    assert migrated.status_code == legacy.status_code
    assert migrated.content == legacy.get_data()
    assert migrated.headers.get("content-type") == legacy.headers.get("Content-Type")
    assert migrated.headers.get("x-made") == legacy.headers.get("X-Made")


def test_resource_url_is_the_path_of_the_resource_added_with_that_endpoint() -> None:
    app: FastAPI = fastapi_app()
    router = APIRouter(route_class=FlaskRoute)

    @router.get("/auth/items/{item_id:int}", name="auth.item")
    def item_get(request: Request, item_id: int) -> Response:
        return dispatch_resource(request, Item, "get", item_id=item_id)

    @router.get("/auth/providers", name="auth.providers")
    def providers(request: Request) -> Response:
        bind(request)
        return JSONResponse({"url": resource_url("item", item_id=3)})

    app.include_router(router)
    assert client(app).get("/auth/providers").json() == {"url": "/auth/items/3"}


def test_dispatch_needs_no_working_folder(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # the codemod's verification runs the generated app in a folder it removes
    migrated = migrated_client()
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert migrated.get("/items/7").status_code == 200
