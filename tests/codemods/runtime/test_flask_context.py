"""The Flask context runtime: what an async dependency binds reaches sync handlers and the
helpers they call (FastAPI's threadpool copies the context), and the session is the handler's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from codemods.runtime.flask.compat import FlaskRoute, jsonify
from codemods.runtime.flask.context import (
    FlaskConfig,
    bind,
    current_config,
    current_request,
    current_session,
    request_json,
)

SessionLocal = sessionmaker(create_engine("sqlite://"))


async def get_session(request: Request) -> AsyncIterator[Session]:
    session = SessionLocal()
    bind(request, session)
    try:
        yield session
    finally:
        session.close()


def helper_session_is(session: Session) -> bool:
    return current_session() is session


def app_with(route: Any, path: str = "/x", methods: tuple[str, ...] = ("GET",)) -> TestClient:
    app = FastAPI()
    app.router.route_class = FlaskRoute
    app.state.config = FlaskConfig(SIZE=3)
    app.add_api_route(path, route, methods=list(methods), dependencies=[Depends(get_session)])
    return TestClient(app)


def test_a_sync_handler_sees_the_session_its_dependency_bound() -> None:
    def view(session: Annotated[Session, Depends(get_session)]) -> Any:
        return jsonify(same=helper_session_is(session))

    assert app_with(view).get("/x").json() == {"same": True}


def test_a_helper_reads_the_request_and_the_config() -> None:
    def view() -> Any:
        return jsonify(path=current_request().url.path, size=current_config()["SIZE"])

    assert app_with(view).get("/x").json() == {"path": "/x", "size": 3}


def test_a_sync_helper_reads_the_json_body_from_the_worker_thread() -> None:
    def view() -> Any:
        return jsonify(body=request_json(silent=True))

    client = app_with(view, methods=("POST",))
    assert client.post("/x", json={"a": 1}).json() == {"body": {"a": 1}}
    assert client.post("/x", content=b"{", headers={"content-type": "application/json"}).json() == {
        "body": None
    }


def test_a_json_body_is_read_before_the_view_and_parsed_on_its_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_round_trip(function: Any) -> Any:
        raise AssertionError("the body was read already: no call back to the event loop")

    monkeypatch.setattr("codemods.runtime.flask.context.run_on_loop", no_round_trip)

    def view() -> Any:
        return jsonify(body=request_json())

    client = app_with(view, methods=("POST",))
    assert client.post("/x", json={"a": 1}).json() == {"body": {"a": 1}}


def test_a_body_that_is_not_json_is_refused_without_being_read() -> None:
    def view() -> Any:
        return jsonify(body=request_json())

    client = app_with(view, methods=("POST",))
    answer = client.post("/x", content=b"a=1", headers={"content-type": "text/plain"})
    assert answer.status_code == 415


def test_a_streamed_generator_still_sees_the_session() -> None:
    from starlette.responses import StreamingResponse

    def view(session: Annotated[Session, Depends(get_session)]) -> Any:
        def rows() -> Any:
            yield str(helper_session_is(session))

        return StreamingResponse(rows())

    assert app_with(view).get("/x").text == "True"


def test_outside_a_request_the_helpers_say_so() -> None:
    with pytest.raises(RuntimeError, match="request context"):
        current_request()


def test_the_config_loads_like_flask_s() -> None:
    class Settings:
        DEBUG = True
        lower = "ignored"

    legacy = Flask(__name__).config
    config = FlaskConfig()
    for loaded in (config, legacy):
        loaded.from_mapping({"A": 1, "b": 2}, C=3)
        loaded.from_object(Settings)
    assert config == legacy
    assert config["A"] == 1 and "b" not in config and config["DEBUG"] is True
