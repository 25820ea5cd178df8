"""Flashed messages and Flask-WTF CSRF tokens live in the Flask session cookie: what one side
flashes or issues, the other shows or accepts."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from flask import flash as legacy_flash
from flask import get_flashed_messages as legacy_flashes
from flask_wtf.csrf import CSRFProtect, generate_csrf
from starlette.responses import Response

from codemods.runtime.flask.compat import jsonify
from codemods.runtime.flask.csrf import csrf_protect, csrf_token
from codemods.runtime.flask.templates import flash, get_flashed_messages
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app, session_cookie


def legacy_side() -> Any:
    app = flask_app()
    CSRFProtect(app)

    @app.route("/flash")
    def flash_view() -> str:
        legacy_flash("saved on Flask", "success")
        return "ok"

    @app.route("/messages")
    def messages() -> Any:
        return {"messages": legacy_flashes(with_categories=True)}

    @app.route("/token")
    def token() -> str:
        return generate_csrf()

    @app.route("/post", methods=["POST"])
    def post() -> str:
        return "accepted"

    return app.test_client()


def migrated_side() -> Any:
    app: FastAPI = fastapi_app()

    @app.get("/flash")
    def flash_view(request: Request) -> Response:
        flash(request, "saved on FastAPI", "info")
        return Response("ok")

    @app.get("/messages")
    def messages(request: Request) -> Response:
        return jsonify(messages=get_flashed_messages(request, with_categories=True))

    @app.get("/token")
    def token(request: Request) -> Response:
        return Response(csrf_token(request))

    @app.post("/post")
    async def post(request: Request) -> Response:
        await csrf_protect(request)
        return Response("accepted")

    return client(app)


def test_a_message_flashed_by_flask_shows_on_the_migrated_side_once() -> None:
    cookie = session_cookie(legacy_side().get("/flash"))
    migrated = migrated_side()
    first = migrated.get("/messages", cookies={"session": cookie or ""})
    assert first.json() == {"messages": [["success", "saved on Flask"]]}
    emptied = session_cookie(first)
    assert migrated.get("/messages", cookies={"session": emptied or ""}).json() == {"messages": []}


def test_a_message_flashed_by_the_migrated_side_shows_on_flask() -> None:
    cookie = session_cookie(migrated_side().get("/flash"))
    legacy = legacy_side()
    legacy.set_cookie("session", cookie or "")
    assert legacy.get("/messages").get_json() == {"messages": [["info", "saved on FastAPI"]]}


def test_a_csrf_token_flask_issued_is_accepted_by_the_migrated_side() -> None:
    answer = legacy_side().get("/token")
    token, cookie = answer.get_data(as_text=True), session_cookie(answer)
    migrated = migrated_side()
    accepted = migrated.post("/post", data={"csrf_token": token}, cookies={"session": cookie or ""})
    refused = migrated.post("/post", data={"csrf_token": "x"}, cookies={"session": cookie or ""})
    assert (accepted.status_code, refused.status_code) == (200, 400)


def test_a_csrf_token_the_migrated_side_issued_is_accepted_by_flask() -> None:
    answer = migrated_side().get("/token")
    legacy = legacy_side()
    legacy.set_cookie("session", session_cookie(answer) or "")
    assert legacy.post("/post", data={"csrf_token": answer.text}).status_code == 200
    assert legacy.post("/post", data={"csrf_token": "x"}).status_code == 400
