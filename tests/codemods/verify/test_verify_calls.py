"""The verification's calls straight into the apps (`codemods/engine/verify/calls.py`): what an
HTTP client saw of each answer (status, content type, location), the cookies one caller keeps
between its calls, redirects left unfollowed and the app's exceptions raised to the caller."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from flask import Flask, redirect, session

from codemods.engine.verify.calls import AsgiSession, Caller, call_wsgi


def flask_app(users: list[str | None] | None = None) -> Flask:
    app = Flask(__name__)
    app.secret_key = "test"
    seen = users if users is not None else []

    @app.get("/login")
    def login() -> Any:
        session["user"] = "ada"
        return redirect("/me")

    @app.get("/me")
    def me() -> Any:
        seen.append(session.get("user"))
        return {"user": session.get("user")}

    @app.get("/broken")
    def broken() -> Any:
        raise RuntimeError("boom")

    return app


def test_a_wsgi_answer_has_its_status_content_type_and_unfollowed_redirect() -> None:
    reply = call_wsgi(flask_app(), Caller("agent"), "GET", "/login")
    assert reply.status_code == 302
    assert reply.header("Location") == "/me"
    assert reply.header("content-type") == "text/html; charset=utf-8"


def test_a_wsgi_caller_sends_back_the_cookies_an_answer_set() -> None:
    users: list[str | None] = []
    app, caller = flask_app(users), Caller("agent")
    call_wsgi(app, caller, "GET", "/login")
    assert call_wsgi(app, caller, "GET", "/me").status_code == 200
    assert users == ["ada"]


def test_another_caller_has_a_jar_of_its_own() -> None:
    users: list[str | None] = []
    app = flask_app(users)
    call_wsgi(app, Caller("agent"), "GET", "/login")
    call_wsgi(app, Caller("agent"), "GET", "/me")
    assert users == [None]


def test_a_callers_own_cookie_header_wins_over_its_jar() -> None:
    app = Flask(__name__)
    sent: list[str | None] = []

    @app.get("/set")
    def set_cookie() -> Any:
        response = Response("ok")
        response.set_cookie("from_jar", "1")
        return response

    @app.get("/echo")
    def echo() -> Any:
        from flask import request

        sent.append(request.headers.get("Cookie"))
        return "ok"

    caller = Caller("agent", {"Cookie": "session=mine"})
    call_wsgi(app, caller, "GET", "/set")
    call_wsgi(app, caller, "GET", "/echo")
    assert sent == ["session=mine"]


def test_a_post_carries_an_empty_body_with_its_length() -> None:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.update(environ)
        start_response("204 No Content", [])
        return []

    call_wsgi(app, Caller("agent"), "POST", "/items?page=2")
    assert seen["CONTENT_LENGTH"] == "0"
    assert seen["PATH_INFO"] == "/items"
    assert seen["QUERY_STRING"] == "page=2"
    assert seen["HTTP_HOST"] == "localhost"


def test_a_wsgi_body_is_read_to_its_end_and_closed() -> None:
    events: list[str] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            events.append("read")
            yield b"chunk"
            events.append("read to the end")

        def close(self) -> None:
            events.append("closed")

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Body:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body()

    assert call_wsgi(app, Caller("agent"), "GET", "/").status_code == 200
    assert events == ["read", "read to the end", "closed"]


def test_a_wsgi_app_that_raises_raises_to_the_caller() -> None:
    app = flask_app()
    app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(RuntimeError, match="boom"):
        call_wsgi(app, Caller("agent"), "GET", "/broken")


def fastapi_app(events: list[str]) -> FastAPI:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        events.append("startup")
        yield {"greeting": "hello"}
        events.append("shutdown")

    app = FastAPI(lifespan=lifespan)

    @app.get("/login")
    def login() -> Response:
        response = RedirectResponse("/me", status_code=303)
        response.set_cookie("session", "ada")
        return response

    @app.get("/me")
    def me(request: Request) -> JSONResponse:
        return JSONResponse(
            {"user": request.cookies.get("session"), "greeting": request.state.greeting}
        )

    @app.get("/broken")
    def broken() -> None:
        raise RuntimeError("boom")

    return app


def run_calls(app: FastAPI, *paths: str) -> list[Any]:
    async def calls() -> list[Any]:
        session, caller = AsgiSession(app), Caller("agent")
        await session.start()
        replies = []
        for path in paths:
            try:
                replies.append(await session.call(caller, "GET", path))
            except Exception as error:
                replies.append(error)
        await session.stop()
        return replies

    return asyncio.run(calls())


def test_the_asgi_lifespan_runs_once_around_all_calls() -> None:
    events: list[str] = []
    run_calls(fastapi_app(events), "/me", "/me")
    assert events == ["startup", "shutdown"]


def test_an_asgi_answer_is_not_followed_and_its_cookies_are_kept() -> None:
    login, me = run_calls(fastapi_app([]), "/login", "/me")
    assert (login.status_code, login.header("location")) == (303, "/me")
    assert me.status_code == 200
    assert me.header("content-type") == "application/json"


def test_an_asgi_call_sees_the_lifespan_state_and_the_jar() -> None:
    app = fastapi_app([])
    seen: list[Any] = []

    @app.middleware("http")
    async def record(request: Request, call_next: Any) -> Any:
        seen.append((request.cookies.get("session"), request.state.greeting))
        return await call_next(request)

    run_calls(app, "/login", "/me")
    assert seen == [(None, "hello"), ("ada", "hello")]


def test_an_asgi_app_that_raises_raises_to_the_caller() -> None:
    (error,) = run_calls(fastapi_app([]), "/broken")
    assert isinstance(error, RuntimeError)
    assert str(error) == "boom"


def test_a_lifespan_that_fails_fails_the_start() -> None:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        raise ValueError("no database")
        yield

    async def start() -> None:
        await AsgiSession(FastAPI(lifespan=lifespan)).start()

    with pytest.raises(ValueError, match="no database"):
        asyncio.run(start())
