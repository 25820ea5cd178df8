"""The new side of verification when the generated package has no app of its own: an extension
or a blueprint library (its legacy app is built by the host, e.g. `dashboard.bind(app)`).

A bare FastAPI app, set up as a generated factory sets one up, registers every router the
generated modules define as a generated factory registers a blueprint (`register_blueprint`:
its routes, and its app-wide hooks, such as lektor's `before_app_request` setting
`g.admin_context`, on a router without routes of its own), each at the prefix the legacy app
registered its blueprint at (read from the legacy `url_map`: the rule of a route's endpoint
minus the route's own path). The attributes the host set on its app (lektor's `WebUI` sets
`self.lektor_info`, which the library's code reads as `current_app.lektor_info`,
`running_app().lektor_info` once converted) are set on the new app too, as a FastAPI host sets
them on its own."""

from __future__ import annotations

from collections import Counter
from types import ModuleType
from typing import Any

from codemods.flask.verify_legacy import rules, shape


def harness(modules: list[ModuleType], legacy_app: Any) -> Any:
    from fastapi import APIRouter, FastAPI

    from codemods.runtime.flask.app_hooks import routing_errors_like_flask
    from codemods.runtime.flask.blueprint_hooks import register_blueprint
    from codemods.runtime.flask.compat import FlaskRoute
    from codemods.runtime.flask.context import FlaskConfig

    app = FastAPI()
    app.router.route_class = FlaskRoute
    routing_errors_like_flask(app)
    if legacy_app is not None:  # the host's configuration (its SECRET_KEY signs the session)
        app.state.root_path = legacy_app.root_path
        app.state.instance_path = legacy_app.instance_path
        app.state.config = FlaskConfig(legacy_app.root_path, dict(legacy_app.config))
        for name, value in host_attributes(legacy_app).items():
            if not hasattr(app, name):
                setattr(app, name, value)
    legacy_rules = rules(legacy_app) if legacy_app is not None else []
    seen: set[int] = set()
    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, APIRouter) and id(value) not in seen:
                seen.add(id(value))
                register_blueprint(app, value, prefix=prefix(value, legacy_rules))
    if not seen:
        raise LookupError("the generated modules define no app and no router")
    return app


def host_attributes(legacy_app: Any) -> dict[str, Any]:
    """What the host set on its Flask app beyond what Flask sets (`app.lektor_info`)."""
    from flask import Flask

    flask_own = set(vars(Flask("strangler")))
    return {
        name: value
        for name, value in vars(legacy_app).items()
        if name not in flask_own and not name.startswith("_")
    }


def prefix(router: Any, legacy_rules: list[tuple[str, str]]) -> str:
    """The prefix most of the router's routes need to sit at their legacy rule."""
    votes: Counter[str] = Counter()
    for route in router.routes:
        name, path = getattr(route, "name", ""), shape(getattr(route, "path", ""))
        if not name or not path:
            continue
        for endpoint, rule in legacy_rules:
            if (endpoint == name or endpoint.endswith("." + name)) and rule.endswith(path):
                votes[rule[: len(rule) - len(path)]] += 1
    if not votes:
        return ""
    found = votes.most_common(1)[0][0]
    return found.rstrip("/") if found != "/" else ""
