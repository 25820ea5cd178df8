"""A Flask request on the FastAPI side: hooks, view and teardown on one thread, in Flask's order."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.responses import Response

from codemods.runtime.flask.app_hooks import (
    after_request,
    before_request,
    errorhandler,
    teardown_appcontext,
)
from codemods.runtime.flask.blueprint_hooks import register_blueprint
from codemods.runtime.flask.compat import FlaskRoute, LegacyResponse, abort, jsonify, redirect
from codemods.runtime.flask.context import g


def app_with(calls: list[str]) -> FastAPI:
    app = FastAPI()
    app.router.route_class = FlaskRoute
    bp = APIRouter(route_class=FlaskRoute)

    @bp.get("/view", name="main.view")
    def view() -> Response:
        calls.append("view")
        return jsonify(ok=True)

    @bp.get("/fails", name="main.fails")
    def fails() -> Response:
        calls.append("view")
        abort(404)

    @before_request(app)
    def first() -> None:
        calls.append("before")

    @after_request(app)
    def stamp(response: Response) -> Response:
        calls.append("after")
        response.headers["X-After"] = "yes"
        return response

    @teardown_appcontext(app)
    def close(error: BaseException | None) -> None:
        calls.append(f"teardown:{type(error).__name__ if error else None}")

    register_blueprint(app, bp)
    return app


def test_hooks_run_in_flasks_order_around_the_view() -> None:
    calls: list[str] = []
    answer = TestClient(app_with(calls)).get("/view")
    assert answer.headers["X-After"] == "yes"
    assert calls == ["before", "view", "after", "teardown:None"]


def test_teardown_gets_the_views_exception_and_after_hooks_still_see_the_error_answer() -> None:
    calls: list[str] = []
    answer = TestClient(app_with(calls)).get("/fails")
    assert answer.status_code == 404
    assert answer.headers["X-After"] == "yes"
    assert calls == ["before", "view", "teardown:LegacyResponse", "after"]


def test_a_request_no_view_answers_still_gets_the_hooks() -> None:
    calls: list[str] = []
    answer = TestClient(app_with(calls)).get("/nowhere")
    assert answer.status_code == 404
    assert answer.headers["X-After"] == "yes"
    assert calls == ["before", "after", "teardown:None"]


def test_a_before_hooks_answer_replaces_a_404_as_in_flask() -> None:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    @before_request(app)
    def login_first() -> Any:
        return redirect("/login")

    answer = TestClient(app).get("/nowhere", follow_redirects=False)
    assert (answer.status_code, answer.headers["Location"]) == (302, "/login")


def test_an_error_handlers_answer_goes_through_the_after_hooks() -> None:
    app = app_with([])

    @errorhandler(app, 404)
    def not_found(error: Any) -> Any:
        return jsonify(error="missing"), 404

    answer = TestClient(app).get("/fails")
    assert (answer.json(), answer.headers["X-After"]) == ({"error": "missing"}, "yes")


def test_hooks_view_and_teardown_share_one_thread(tmp_path: Path) -> None:
    """flaskr's pattern: a before hook opens sqlite3 in `g`, the view uses it, teardown closes
    it; sqlite3 refuses a connection used from another thread."""
    database = tmp_path / "app.db"
    sqlite3.connect(database).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    app = FastAPI()
    app.router.route_class = FlaskRoute
    bp = APIRouter(route_class=FlaskRoute)
    threads: list[set[int]] = []

    @before_request(app)
    def open_db() -> None:
        g.db = sqlite3.connect(database)
        g.threads = {threading.get_ident()}

    @bp.get("/count", name="main.count")
    def count() -> Response:
        g.threads.add(threading.get_ident())
        return jsonify(g.db.execute("SELECT count(*) FROM t").fetchone()[0])

    @teardown_appcontext(app)
    def close_db(error: BaseException | None) -> None:
        g.threads.add(threading.get_ident())
        g.db.close()
        threads.append(g.threads)

    register_blueprint(app, bp)
    with TestClient(app) as client, ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: client.get("/count"), range(64)))
    assert {(a.status_code, a.text) for a in answers} == {(200, "1\n")}
    assert len(threads) == 64
    assert all(len(used) == 1 for used in threads)


def test_a_blueprints_own_before_hook_runs_after_the_apps() -> None:
    from codemods.runtime.flask.blueprint_hooks import before_blueprint_request

    app = FastAPI()
    app.router.route_class = FlaskRoute
    bp = APIRouter(route_class=FlaskRoute)
    order: list[str] = []

    @bp.get("/x", name="admin.x")
    def x() -> Response:
        return jsonify(order)

    @before_blueprint_request(bp)
    def blueprint_hook() -> None:
        order.append("blueprint")

    @before_request(app)
    def app_hook() -> None:
        order.append("app")

    register_blueprint(app, bp)
    assert TestClient(app).get("/x").json() == ["app", "blueprint"]


def test_a_guard_dependency_runs_after_the_before_hooks_on_the_views_thread() -> None:
    app = FastAPI()
    app.router.route_class = FlaskRoute
    threads: dict[str, int] = {}

    @before_request(app)
    def load_user() -> None:
        threads["before"] = threading.get_ident()
        g.user = None

    def login_required() -> None:  # what the guards rule makes of flaskr's decorator
        threads["guard"] = threading.get_ident()
        if g.user is None:
            raise redirect_to_login()

    @app.get("/create", name="blog.create", dependencies=[Depends(login_required)])
    def create() -> Response:
        threads["view"] = threading.get_ident()
        return jsonify(ok=True)

    answer = TestClient(app, follow_redirects=False).get("/create")
    assert (answer.status_code, answer.headers["location"]) == (302, "/auth/login")
    assert threads["guard"] == threads["before"]
    assert "view" not in threads


def redirect_to_login() -> LegacyResponse:
    return LegacyResponse(redirect("/auth/login"))


def test_a_guard_refusing_one_request_leaves_the_next_one_alone_in_one_context() -> None:
    app = FastAPI()
    app.router.route_class = FlaskRoute

    def refuse() -> None:
        abort(403)

    @app.get("/guarded", name="guarded", dependencies=[Depends(refuse)])
    def guarded() -> Response:
        return jsonify(ok=True)

    @app.get("/open", name="open")
    def open_view() -> Response:
        return jsonify(ok=True)

    async def both() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [(await client.get(path)).status_code for path in ("/guarded", "/open")]

    assert asyncio.run(both()) == [403, 200]
