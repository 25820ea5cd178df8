"""The static folder is tried after every route, as Werkzeug orders its static rule after the
app's more specific ones (changedetection.io serves its static folder at the root)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from codemods.runtime.flask.app_setup import serve_static


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    root = tmp_path / "staticpkg"
    (root / "static" / "flags").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "static" / "app.css").write_text("body {}")
    (root / "static" / "flags" / "fr.svg").write_text("<svg/>")
    monkeypatch.syspath_prepend(str(tmp_path))
    return "staticpkg"


def app_with(package: str, url_path: str) -> FastAPI:
    app = FastAPI()
    serve_static(app, package, url_path=url_path)  # made first, as the generated factory does

    @app.get("/backups/create")
    def create() -> PlainTextResponse:
        return PlainTextResponse("created")

    @app.get(f"{url_path}/flags/{{flag:path}}")
    def flag(flag: str) -> PlainTextResponse:
        return PlainTextResponse(f"flag {flag}")

    return app


@pytest.mark.parametrize("url_path", ["", "/static"])
def test_a_route_wins_over_the_static_folder_added_before_it(package: str, url_path: str) -> None:
    client = TestClient(app_with(package, url_path))
    assert client.get("/backups/create").text == "created"
    assert client.get(f"{url_path}/flags/fr.svg").text == "flag fr.svg"


@pytest.mark.parametrize("url_path", ["", "/static"])
def test_a_path_no_route_matches_is_the_static_folder_s(package: str, url_path: str) -> None:
    client = TestClient(app_with(package, url_path))
    assert client.get(f"{url_path}/app.css").text == "body {}"
    assert client.get(f"{url_path}/missing.css").status_code == 404
    assert client.app.url_path_for("static", path="app.css") == f"{url_path}/app.css"


def test_a_path_a_route_s_converter_refused_is_404_not_the_static_folder_s(package: str) -> None:
    # Werkzeug tries no rule after one whose converter raised ValidationError
    from fastapi import APIRouter
    from werkzeug.routing import BaseConverter, ValidationError

    from codemods.runtime.flask.app_hooks import routing_errors_like_flask
    from codemods.runtime.flask.compat import FlaskRoute
    from codemods.runtime.flask.converters import register_converter

    class StrictId(BaseConverter):
        def to_python(self, value: str) -> str:
            if not value.isdigit():
                raise ValidationError()
            return value

    register_converter("strict_id", StrictId)
    app = FastAPI()
    serve_static(app, package, url_path="")
    tags = APIRouter(route_class=FlaskRoute)

    @tags.post("/tags/mute/{uuid:strict_id}", name="tags.mute")
    def mute(uuid: str) -> PlainTextResponse:
        return PlainTextResponse(f"muted {uuid}")

    app.include_router(tags)
    routing_errors_like_flask(app)
    client = TestClient(app)
    assert client.post("/tags/mute/7").text == "muted 7"
    assert client.post("/tags/mute/x", follow_redirects=False).status_code == 404
    assert client.post("/nothing/here").status_code == 405  # the static rule's path, not method


def test_an_unmatched_path_is_not_redirected_to_its_slashed_twin(package: str) -> None:
    from codemods.runtime.flask.app_hooks import routing_errors_like_flask

    app = app_with(package, "")
    routing_errors_like_flask(app)
    answer = TestClient(app).get("/no/such/page", follow_redirects=False)
    assert answer.status_code == 404
