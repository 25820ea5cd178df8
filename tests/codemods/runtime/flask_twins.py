"""A Flask app and a FastAPI app built on the runtime from the same configuration, for tests
that check one side against the other."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from flask import Flask

from codemods.runtime.flask.compat import FlaskRoute
from codemods.runtime.flask.context import FlaskConfig

SECRET = "twin-secret-key"


def flask_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update({"SECRET_KEY": SECRET, **(config or {})})
    return app


def fastapi_app(config: Mapping[str, Any] | None = None) -> FastAPI:
    """What the generated `create_app` makes: the app's config on its state, Flask's route
    class."""
    app = FastAPI()
    app.router.route_class = FlaskRoute
    app.state.config = FlaskConfig(defaults={"SECRET_KEY": SECRET, **(config or {})})
    return app


def client(app: FastAPI) -> TestClient:
    return TestClient(app, follow_redirects=False, raise_server_exceptions=False)


def set_cookies(response: Any) -> list[str]:
    """The Set-Cookie headers of either side's response."""
    headers = response.headers
    found: list[str] = (
        headers.getlist("Set-Cookie")
        if hasattr(headers, "getlist")
        else headers.get_list("set-cookie")
    )
    return found


def session_cookie(response: Any, name: str = "session") -> str | None:
    """The value of the session cookie a response sets."""
    for header in set_cookies(response):
        key, _, rest = header.partition("=")
        if key == name:
            return rest.split(";")[0]
    return None


def without_value(header: str) -> list[str]:
    """A Set-Cookie header's attributes, sorted, with the value and the expiry left out."""
    name, _, rest = header.partition("=")
    attributes = [part.strip() for part in rest.split(";")[1:]]
    return [name, *sorted(a for a in attributes if not a.lower().startswith("expires="))]
