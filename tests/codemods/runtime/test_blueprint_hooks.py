"""A blueprint's own hooks on the generated app: app-wide before-request hooks in Flask's
registration order, a blueprint-only one as a dependency of its routes, context processors in
the templates, and Flask's session in module helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.testclient import TestClient
from flask import Flask
from starlette.responses import Response

from codemods.runtime.flask.app_hooks import before_request
from codemods.runtime.flask.blueprint_hooks import (
    RegisteredBlueprint,
    add_app_template_filter,
    app_context_processor,
    app_template_global,
    app_template_test,
    before_app_request,
    before_blueprint_request,
    blueprint_context_processor,
    blueprint_templates,
    register_blueprint,
    registered_blueprints,
)
from codemods.runtime.flask.compat import FlaskRoute, jsonify
from codemods.runtime.flask.context import current_flask_session, g
from codemods.runtime.flask.login_bridge import LoginManager
from codemods.runtime.flask.session_hook import use_flask_session
from codemods.runtime.flask.templates import FlaskTemplates

SECRET = "blueprint-hooks-secret"


def test_app_wide_hooks_run_in_the_order_blueprints_and_hooks_were_registered() -> None:
    app = FastAPI()
    shop = APIRouter(route_class=FlaskRoute)

    @before_app_request(shop)
    def load_cart() -> None:
        g.seen = [*g.get("seen", []), "load_cart"]

    @shop.get("/seen", name="shop.seen")
    def seen() -> Response:
        return jsonify(g.seen)

    register_blueprint(app, shop)

    @before_request(app)
    def start_timer() -> None:
        g.seen = [*g.get("seen", []), "start_timer"]

    assert TestClient(app).get("/seen").json() == ["load_cart", "start_timer"]


def test_an_app_wide_hook_runs_for_the_routes_of_other_blueprints_too() -> None:
    app = FastAPI()
    shop, auth = APIRouter(route_class=FlaskRoute), APIRouter(route_class=FlaskRoute)

    @before_app_request(shop)
    def load_cart() -> None:
        g.cart = {"1": 2}

    @auth.get("/login", name="auth.login")
    def login() -> Response:
        return jsonify(g.cart)

    register_blueprint(app, shop)
    register_blueprint(app, auth, prefix="/auth")

    assert TestClient(app).get("/auth/login").json() == {"1": 2}


def blueprint_app() -> FastAPI:
    app = FastAPI()
    admin, shop = APIRouter(route_class=FlaskRoute), APIRouter(route_class=FlaskRoute)

    @admin.get("/before-the-hook", name="admin.before")
    def declared_before_the_hook() -> Response:
        return jsonify(g.get("admin", "no"))

    @before_blueprint_request(admin)
    def check_admin() -> Any:
        g.admin = "yes"
        if g.get("refuse"):
            return "refused", 403
        return None

    @admin.get("/after-the-hook", name="admin.after")
    def declared_after_the_hook() -> Response:
        return jsonify(g.get("admin", "no"))

    @shop.get("/shop", name="shop.index")
    def index() -> Response:
        return jsonify(g.get("admin", "no"))

    @before_request(app)
    def maybe_refuse() -> None:
        g.refuse = False

    register_blueprint(app, admin, prefix="/admin")
    register_blueprint(app, shop)
    return app


def test_a_blueprint_only_hook_runs_for_every_route_of_its_blueprint() -> None:
    client = TestClient(blueprint_app())
    assert client.get("/admin/before-the-hook").json() == "yes"
    assert client.get("/admin/after-the-hook").json() == "yes"


def test_a_blueprint_only_hook_does_not_run_for_other_blueprints() -> None:
    assert TestClient(blueprint_app()).get("/shop").json() == "no"


def test_what_a_blueprint_only_hook_returns_is_the_answer() -> None:
    app = blueprint_app()

    @before_request(app)
    def refuse() -> None:
        g.refuse = True

    answer = TestClient(app).get("/admin/after-the-hook")
    assert (answer.status_code, answer.text) == (403, "refused")


@pytest.fixture
def templates(tmp_path: Path) -> FlaskTemplates:
    (tmp_path / "page.html").write_text("{{ cart_size }} {{ title }} {{ section }}")
    return FlaskTemplates(directory=str(tmp_path))


def templated_app(templates: FlaskTemplates) -> FastAPI:
    app = FastAPI()
    shop, auth = APIRouter(route_class=FlaskRoute), APIRouter(route_class=FlaskRoute)

    @app_context_processor(shop)
    def inject_cart_size() -> dict[str, Any]:
        return {"cart_size": 3, "title": "from the processor"}

    @blueprint_context_processor(shop)
    def inject_section() -> dict[str, Any]:
        return {"section": "shop"}

    @shop.get("/", name="shop.index")
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", {"title": "from the view"})

    @auth.get("/login", name="auth.login")
    def login(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html", {"section": ""})

    register_blueprint(app, shop)
    register_blueprint(app, auth, prefix="/auth")
    return app


def test_context_processors_fill_templates_and_the_view_s_values_win(
    templates: FlaskTemplates,
) -> None:
    assert TestClient(templated_app(templates)).get("/").text == "3 from the view shop"


def test_a_blueprint_s_own_context_processor_stays_with_its_blueprint(
    templates: FlaskTemplates,
) -> None:
    assert TestClient(templated_app(templates)).get("/auth/login").text == "3 from the processor "


@pytest.fixture
def session_app() -> Iterator[FastAPI]:
    manager = LoginManager(lambda: {"SECRET_KEY": SECRET})
    use_flask_session(manager.session)
    app = FastAPI()
    shop = APIRouter(route_class=FlaskRoute)

    @before_app_request(shop)
    def load_cart() -> None:
        g.cart = current_flask_session().get("cart", {})

    def save_cart(cart: dict[str, int]) -> None:
        current_flask_session()["cart"] = cart

    @shop.get("/cart", name="shop.cart")
    def cart() -> Response:
        return jsonify(g.cart)

    @shop.post("/cart/{product_id}", name="shop.add")
    def add(product_id: str) -> Response:
        save_cart({**g.cart, product_id: g.cart.get(product_id, 0) + 1})
        return jsonify(ok=True)

    register_blueprint(app, shop)
    yield app
    use_flask_session(None)


def flask_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = SECRET
    return app


def test_a_helper_writing_flask_s_session_sets_the_cookie_flask_reads(
    session_app: FastAPI,
) -> None:
    client = TestClient(session_app)
    answer = client.post("/cart/7")
    assert "session=" in answer.headers["set-cookie"]
    legacy = flask_app()
    with legacy.test_request_context(headers={"Cookie": f"session={client.cookies['session']}"}):
        from flask import session

        assert session["cart"] == {"7": 1}


def test_a_cart_written_by_flask_is_read_by_the_hook(session_app: FastAPI) -> None:
    legacy = flask_app()
    with legacy.test_request_context():
        from flask import session

        session["cart"] = {"3": 2}
        response = legacy.make_response("")
        legacy.session_interface.save_session(legacy, session, response)
    cookie = response.headers["Set-Cookie"].split(";")[0].partition("=")[2]
    client = TestClient(session_app)
    client.cookies.set("session", cookie)
    assert client.get("/cart").json() == {"3": 2}


def test_a_request_that_only_read_the_session_answers_vary_cookie(session_app: FastAPI) -> None:
    answer = TestClient(session_app).get("/cart")
    assert answer.headers["vary"] == "Cookie"
    assert "set-cookie" not in answer.headers


def test_a_registered_blueprint_is_listed_by_name_with_its_own_url_prefix() -> None:
    # lektor's admin reads `current_app.blueprints["dash"].url_prefix` in a before-request hook
    app = FastAPI()
    dash, api = (
        APIRouter(prefix="/admin", route_class=FlaskRoute),
        APIRouter(route_class=FlaskRoute),
    )

    @dash.get("/", name="dash.index")
    def index() -> Response:
        return Response("dash")

    @api.get("/ping", name="api.ping")
    def ping() -> Response:
        return Response("pong")

    register_blueprint(app, dash)
    register_blueprint(app, api, prefix="/api")

    found = registered_blueprints(app)
    assert found["dash"] == RegisteredBlueprint("dash", "/admin")
    assert found["api"].url_prefix is None  # the registration's prefix is not the blueprint's


def test_a_blueprint_without_routes_is_not_listed() -> None:
    app = FastAPI()
    register_blueprint(app, APIRouter(route_class=FlaskRoute))
    assert registered_blueprints(app) == {}


def test_a_blueprint_s_app_template_filters_globals_and_tests_reach_every_template(
    tmp_path: Path,
) -> None:
    # changedetection.io's tags blueprint: `tags_blueprint.add_app_template_filter(...)`
    (tmp_path / "tags.html").write_text(
        "{{ name | shout }} {{ now() }} {{ 'even' if 4 is even_number else 'odd' }}"
    )
    templates = FlaskTemplates(directory=str(tmp_path))
    app = FastAPI()
    tags, other = APIRouter(route_class=FlaskRoute), APIRouter(route_class=FlaskRoute)
    add_app_template_filter(tags, lambda text: text.upper() + "!", "shout")

    @app_template_global(tags)
    def now() -> str:
        return "noon"

    @app_template_test(tags, "even_number")
    def even(number: int) -> bool:
        return number % 2 == 0

    @other.get("/", name="other.index")
    def index(request: Request) -> Response:
        return templates.TemplateResponse(request, "tags.html", {"name": "tag"})

    register_blueprint(app, tags)
    register_blueprint(app, other)
    assert TestClient(app).get("/").text == "TAG! noon even"


def test_a_blueprint_s_template_folder_is_searched_after_the_app_s(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "tags" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "page.html").write_text("the app's page")
    (tmp_path / "tags" / "templates" / "page.html").write_text("the blueprint's page")
    (tmp_path / "tags" / "templates" / "tags.html").write_text("the blueprint's tags")
    templates = FlaskTemplates(directory=str(tmp_path / "app"))
    app = FastAPI()
    tags = blueprint_templates(
        APIRouter(route_class=FlaskRoute), str(tmp_path / "tags"), "templates"
    )

    @tags.get("/{name}", name="tags.show")
    def show(request: Request, name: str) -> Response:
        return templates.TemplateResponse(request, f"{name}.html")

    register_blueprint(app, tags)
    client = TestClient(app)
    assert client.get("/page").text == "the app's page"
    assert client.get("/tags").text == "the blueprint's tags"
