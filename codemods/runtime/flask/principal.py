"""Flask-Principal on the FastAPI side: `principal.init_app(app)` -> `init_principal(principal,
app)`.

Flask-Principal keeps the request's identity in `flask.g.identity`: its `before_request` hook
sets an `AnonymousIdentity` (or what its identity loaders find), and its `identity_changed`
receiver, connected for the app as sender, sets the identity a login decorator announces
(`identity_changed.send(current_app._get_current_object(), identity=Identity(user.id))`, lemur's
`login_required`). Permissions (`Permission(...).can()`, `.require()`) read it there.

The code that reads it on the new side is the Flask-RESTful resources', which the runtime runs in
a real Flask request context (`codemods/runtime/flask/restful.py`): the app's principals are
registered on that Flask app when it is made, and its `before_request` hooks run before the
resource, so the identity is set and read as under the legacy app.
"""

from __future__ import annotations

from typing import Any, Protocol

from fastapi import FastAPI
from flask import Flask

PRINCIPALS_STATE = "flask_principals"


class FlaskExtension(Protocol):
    def init_app(self, app: Flask) -> None: ...


def init_principal(principal: FlaskExtension, app: FastAPI) -> None:
    """`principal.init_app(app)`: the principal guards the Flask request context the app's
    Flask-RESTful resources run in."""
    principals: list[FlaskExtension] = getattr(app.state, PRINCIPALS_STATE, None) or []
    if principal not in principals:
        principals.append(principal)
    setattr(app.state, PRINCIPALS_STATE, principals)


def install_principals(app: FastAPI, flask_app: Flask) -> None:
    """Register the app's principals on the Flask app its resources run in (made once)."""
    for principal in getattr(app.state, PRINCIPALS_STATE, None) or []:
        principal.init_app(flask_app)


def run_before_request(flask_app: Flask) -> Any:
    """The Flask app's `before_request` hooks (Flask-Principal's identity set-up), in the
    current Flask request context: an early answer, or None."""
    return flask_app.preprocess_request()
