"""A legacy template renders the same on both sides: Flask's globals (`g`, `request`,
`session`, `config`, `url_for` with `static` and endpoint aliases, flashed messages), the app's
context processors and what the app registered on its Jinja environment."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from flask import Flask, flash, g, render_template, session
from starlette.responses import Response

from codemods.runtime.flask import templates as runtime
from codemods.runtime.flask.app_hooks import before_request
from codemods.runtime.flask.app_setup import endpoint_alias, serve_static
from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.context import FlaskConfig, current_flask_session
from codemods.runtime.flask.context import g as runtime_g

PAGE = """\
{{ g.user }}|{{ session.get('cart') }}|{{ config['SITE'] }}|{{ request.path }}
{{ url_for('static', filename='style.css') }}|{{ url_for('index') }}|{{ url_for('page', q=1) }}
{{ url_for(request.endpoint, q=2) }}
{{ 'hi' | shout }}|{{ year }}|{{ site_name() }}|{{ 3 is odd_number }}
{% for m in get_flashed_messages() %}[{{ m }}]{% endfor %}
"""


I18N_PAGE = '{{ _("Hello %(name)s", name="Ann") }}|{% trans %}Goodbye{% endtrans %}'


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    folder = tmp_path / "templated_pkg"
    (folder / "templates").mkdir(parents=True)
    (folder / "static").mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "templates" / "page.html").write_text(PAGE)
    (folder / "templates" / "i18n.html").write_text(I18N_PAGE)
    (folder / "static" / "style.css").write_text("body {}")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "templated_pkg"
    sys.modules.pop("templated_pkg", None)


def legacy_page(package: str) -> str:
    app = Flask(package)
    app.config.update(SECRET_KEY="k", SITE="Shop")
    app.jinja_env.tests["odd_number"] = lambda n: n % 2 == 1
    app.add_template_global(lambda: "global", "site_name")

    @app.template_filter("shout")
    def shout(text: str) -> str:
        return text.upper()

    @app.context_processor
    def year() -> dict[str, Any]:
        return {"year": 2026}

    @app.before_request
    def load_user() -> None:
        g.user = "anna"

    @app.route("/page")
    def page() -> str:
        session["cart"] = 2
        flash("saved")
        return render_template("page.html")

    app.add_url_rule("/", endpoint="index")
    return app.test_client().get("/page").get_data(as_text=True)


def migrated_page(package: str) -> str:
    app = FastAPI()
    app.router.route_class = FlaskRoute
    app.state.config = FlaskConfig(SECRET_KEY="k", SITE="Shop")
    serve_static(app, package)
    runtime.jinja_env(app).tests["odd_number"] = lambda n: n % 2 == 1
    runtime.add_template_global(app, lambda: "global", "site_name")
    templates = runtime.flask_templates(package)

    @runtime.template_filter(app, "shout")
    def shout(text: str) -> str:
        return text.upper()

    @runtime.context_processor(app)
    def year() -> dict[str, Any]:
        return {"year": 2026}

    @before_request(app)
    def load_user() -> None:
        runtime_g.user = "anna"

    @app.get("/page", name="page")
    def page(request: Request) -> Response:
        current_flask_session()["cart"] = 2
        runtime.flash(request, "saved")
        return templates.TemplateResponse(request, "page.html", {})

    endpoint_alias(app, "/", "index")
    from fastapi.testclient import TestClient

    return TestClient(app).get("/page").text


def test_a_template_renders_the_same_on_both_sides(package: str) -> None:
    expected = legacy_page(package)
    assert "anna|2|Shop|/page" in expected and "[saved]" in expected
    assert "/page?q=2" in expected  # url_for(request.endpoint): the current route
    assert migrated_page(package) == expected


FRENCH = {"Hello %(name)s": "Bonjour %(name)s", "Goodbye": "Au revoir"}


def french_gettext(environment: Any) -> None:
    """What an i18n set-up like flask-babel's does to the app's Jinja environment."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(
        lambda text: FRENCH.get(text, text),
        lambda one, many, n: FRENCH.get(one if n == 1 else many, one if n == 1 else many),
        newstyle=True,
    )


def test_an_i18n_extension_the_app_installs_translates_the_same(package: str) -> None:
    legacy = Flask(package)
    french_gettext(legacy.jinja_env)
    with legacy.test_request_context():
        expected = render_template("i18n.html")
    app = FastAPI()
    app.router.route_class = FlaskRoute
    app.state.config = FlaskConfig()
    french_gettext(runtime.jinja_env(app))
    templates = runtime.flask_templates(package)

    @app.get("/i18n")
    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "i18n.html", {})

    from fastapi.testclient import TestClient

    assert expected == "Bonjour Ann|Au revoir"
    assert TestClient(app).get("/i18n").text == expected


def test_templates_read_the_request_as_flask_s_templates_do(tmp_path: Path) -> None:
    # changedetection.io's sidebar: `{% set ep = request.endpoint or '' %}`
    from fastapi import APIRouter
    from fastapi.testclient import TestClient

    from codemods.runtime.flask.blueprint_hooks import register_blueprint
    from codemods.runtime.flask.compat import FlaskRoute
    from codemods.runtime.flask.templates import FlaskTemplates

    (tmp_path / "page.html").write_text(
        "{{ request.endpoint }} {{ request.blueprint }} {{ request.args.get('q') }}"
        " {{ request.path }} {{ request.view_args['name'] }} {{ request.method }}"
    )
    templates = FlaskTemplates(directory=str(tmp_path), context_processors=[runtime.flask_context])
    app = FastAPI()
    tags = APIRouter(route_class=FlaskRoute)

    @tags.get("/tags/{name}", name="tags.show")
    def show(request: Request, name: str) -> Response:
        return templates.TemplateResponse(request, "page.html")

    register_blueprint(app, tags)
    page = TestClient(app).get("/tags/news?q=x").text
    assert page == "tags.show tags x /tags/news news GET"


def test_a_macro_imported_without_the_context_still_builds_urls(tmp_path: Path) -> None:
    # changedetection.io's settings page: `{% import "_helpers.html" as h %}`, url_for inside
    from fastapi import APIRouter
    from fastapi.testclient import TestClient

    from codemods.runtime.flask.blueprint_hooks import register_blueprint
    from codemods.runtime.flask.templates import FlaskTemplates

    (tmp_path / "_helpers.html").write_text(
        "{% macro link() %}{{ url_for('settings.page') }}{% endmacro %}"
    )
    (tmp_path / "page.html").write_text('{% import "_helpers.html" as h %}{{ h.link() }}')
    templates = FlaskTemplates(directory=str(tmp_path), context_processors=[runtime.flask_context])
    templates.env.globals.update(url_for=runtime._url_for)
    app = FastAPI()
    settings = APIRouter(route_class=FlaskRoute)

    @settings.get("/settings", name="settings.page")
    def page(request: Request) -> Response:
        return templates.TemplateResponse(request, "page.html")

    register_blueprint(app, settings)
    assert TestClient(app).get("/settings").text == "/settings"
