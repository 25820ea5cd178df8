"""Routes whose only parameters are async dependencies of the request skip FastAPI's dependency
solving (`plain_route.py`): they answer as FastAPI's own handler does, call a dependency used
twice once, and hand back to FastAPI's handler whenever it would do more."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient

from codemods.runtime.flask.compat import FlaskRoute, jsonify
from codemods.runtime.flask.plain_route import plain_handler

calls: list[str] = []


async def current_name(request: Request) -> str:
    calls.append("name")
    return request.headers.get("x-name", "anonymous")


async def audit(request: Request) -> None:
    calls.append("audit")


def app_with_routes() -> FastAPI:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    @app.get("/hello", dependencies=[Depends(audit)])
    def hello(request: Request, name: Annotated[str, Depends(current_name)]) -> Response:
        return jsonify(name=name, path=request.url.path)

    @app.get("/twice")
    def twice(
        first: Annotated[str, Depends(current_name)], second: Annotated[str, Depends(current_name)]
    ) -> Response:
        return jsonify(same=first == second)

    @app.get("/plain-dict")
    async def plain_dict(name: Annotated[str, Depends(current_name)]):  # type: ignore[no-untyped-def]
        return {"name": name}

    @app.get("/typed")
    def typed(number: int) -> Response:
        return jsonify(number=number)

    return app


def route(app: FastAPI, path: str) -> FlaskRoute:
    return next(r for r in app.routes if getattr(r, "path", None) == path)  # type: ignore[return-value]


def test_a_route_of_request_dependencies_gets_the_plain_handler() -> None:
    sentinel: Any = object()
    for path in ("/hello", "/twice", "/plain-dict"):
        assert plain_handler(route(app_with_routes(), path), sentinel) is not sentinel


def test_a_route_reading_a_query_parameter_keeps_fastapis_handler() -> None:
    sentinel: Any = object()
    assert plain_handler(route(app_with_routes(), "/typed"), sentinel) is sentinel


def test_the_plain_handler_runs_route_dependencies_then_the_view_with_its_values() -> None:
    calls.clear()
    client = TestClient(app_with_routes())
    response = client.get("/hello", headers={"x-name": "ada"})
    assert response.json() == {"name": "ada", "path": "/hello"}
    assert calls == ["audit", "name"]


def test_a_dependency_used_twice_is_called_once_per_request() -> None:
    calls.clear()
    client = TestClient(app_with_routes())
    assert client.get("/twice").json() == {"same": True}
    assert calls == ["name"]


def test_a_value_that_is_not_a_response_is_encoded_as_fastapi_encodes_it() -> None:
    client = TestClient(app_with_routes())
    response = client.get("/plain-dict", headers={"x-name": "ada"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"name": "ada"}


def test_dependency_overrides_still_apply() -> None:
    app = app_with_routes()

    async def someone_else() -> str:
        return "grace"

    app.dependency_overrides[current_name] = someone_else
    client = TestClient(app)
    assert client.get("/hello", headers={"x-name": "ada"}).json()["name"] == "grace"
    app.dependency_overrides.clear()
    assert client.get("/hello", headers={"x-name": "ada"}).json()["name"] == "ada"


def test_a_query_parameter_is_still_validated_by_fastapi() -> None:
    client = TestClient(app_with_routes())
    assert client.get("/typed?number=x").status_code == 422
    assert client.get("/typed?number=3").json() == {"number": 3}
