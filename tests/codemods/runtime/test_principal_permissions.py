"""Flask-Principal permissions in a dispatched Flask-RESTful resource (`init_principal`): a login
decorator announcing the identity, a permission reading it, answer as under Flask-RESTful's
`Api` with the legacy app's `Principal`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import pytest
from fastapi import FastAPI, Request
from flask import current_app, g
from flask import request as flask_request
from flask_principal import (
    Identity,
    Permission,
    Principal,
    RoleNeed,
    identity_changed,
    identity_loaded,
)
from flask_restful import Api, Resource
from starlette.responses import Response

from codemods.runtime.flask.principal import init_principal
from codemods.runtime.flask.restful import dispatch_resource
from tests.codemods.runtime.flask_twins import client, fastapi_app, flask_app

ADMIN = Permission(RoleNeed("admin"))
ROLES = {"1": ["admin"], "2": []}


@identity_loaded.connect
def load_roles(sender: Any, identity: Identity) -> None:
    """lemur's `on_identity_loaded`: the user's roles as needs."""
    for role in ROLES.get(str(identity.id), []):
        identity.provides.add(RoleNeed(role))


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """lemur's `login_required`: the user from the token, announced to Flask-Principal."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        user = flask_request.headers.get("Authorization")
        if not user:
            return {"message": "Missing authorization header"}, 401
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        identity_changed.send(app, identity=Identity(user))
        return view(*args, **kwargs)

    return checked


class Secrets(Resource):
    method_decorators = [login_required]

    def get(self) -> Any:
        if ADMIN.can():
            return {"secret": 42}
        return {"message": "You are not authorized"}, 403


class Whoami(Resource):
    def get(self) -> Any:
        """No login: the identity is Flask-Principal's anonymous one."""
        return {"anonymous": g.identity.id is None}


def legacy_client() -> Any:
    app = flask_app()
    Principal(use_sessions=False).init_app(app)
    api = Api(app)
    api.add_resource(Secrets, "/secrets")
    api.add_resource(Whoami, "/whoami")
    return app.test_client()


def migrated_client() -> Any:
    app: FastAPI = fastapi_app()
    init_principal(Principal(use_sessions=False), app)

    @app.get("/secrets")
    def secrets_get(request: Request) -> Response:
        return dispatch_resource(request, Secrets, "get")

    @app.get("/whoami")
    def whoami_get(request: Request) -> Response:
        return dispatch_resource(request, Whoami, "get")

    return client(app)


CALLS = {
    "no-login": ("/secrets", {}),
    "permitted": ("/secrets", {"Authorization": "1"}),
    "refused": ("/secrets", {"Authorization": "2"}),
    "anonymous-identity": ("/whoami", {}),
}


@pytest.mark.parametrize("case", sorted(CALLS))
def test_a_permission_answers_as_under_the_legacy_principal(case: str) -> None:
    url, headers = CALLS[case]
    legacy = legacy_client().get(url, headers=headers)
    migrated = migrated_client().get(url, headers=headers)
    assert (migrated.status_code, migrated.content) == (legacy.status_code, legacy.get_data())


def test_a_principal_registered_twice_is_installed_once() -> None:
    app = fastapi_app()
    principal = Principal(use_sessions=False)
    init_principal(principal, app)
    init_principal(principal, app)
    assert app.state.flask_principals == [principal]
