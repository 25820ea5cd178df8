"""What a Flask app factory sets up besides config and hooks, on the generated FastAPI app.
Permanent: the factory keeps its shape.

    serve_static(app, "flaskr")              # Flask(...)'s own /static/<path:filename> route
    endpoint_alias(app, "/", "index")        # was app.add_url_rule("/", endpoint="index")
    command_line(app).add_command(init_db)   # was app.cli.add_command(init_db)
    open_resource("schema.sql")              # was current_app.open_resource("schema.sql")
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import IO, Any, TypeVar

import click
from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from codemods.runtime.flask.context import current_app, package_root
from codemods.runtime.flask.converters import REFUSED

F = TypeVar("F", bound=Callable[..., Any])


def serve_static(
    app: FastAPI, import_name: str, folder: str = "static", url_path: str = "/static"
) -> None:
    """The legacy package's static folder at Flask's URL, named `static` for `url_for`;
    nothing when the package has none (Flask then answers 404 there too)."""
    directory = os.path.join(package_root(import_name), folder)
    app.state.static_folder = directory  # `app.static_folder`
    if os.path.isdir(directory):
        static = StaticFallback(url_path, StaticFiles(directory=directory), name="static")
        app.router.routes.append(static)


class StaticFallback(Mount):
    """The static files' mount, tried after every route: Werkzeug orders the static rule
    (`/static/<path:filename>`, or `/<path:filename>` for `static_url_path=""`) after the more
    specific rules of the app (changedetection.io serves its static folder at the root, and its
    own `/static/flags/<path>` beside it), where Starlette tries routes in the order they were
    added. A path no route matches is the static folder's (404 there when no file is)."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        # a partial match is taken only when no later route matches in full
        return (Match.PARTIAL if match == Match.FULL else match), child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get(REFUSED):  # a later route's converter refused the path: Werkzeug's 404
            raise HTTPException(status_code=404)
        await super().handle(scope, receive, send)


def endpoint_alias(app: FastAPI, rule: str, endpoint: str) -> None:
    """`app.add_url_rule(rule, endpoint=name)` without a view: `url_for(name)` gives `rule`.
    A request reaches it only when no earlier route matches (Flask then has no view to call
    and answers 500)."""

    async def no_view(request: Request) -> Response:
        from codemods.runtime.flask.compat import error_response

        return error_response(500)

    app.router.routes.append(Route(_starlette_path(rule), no_view, name=endpoint))


def _starlette_path(rule: str) -> str:
    """`/<int:id>` -> `/{id:int}` (the converters Starlette shares with Werkzeug)."""
    import re

    def convert(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        kind = {"int": ":int", "float": ":float", "path": ":path"}.get(converter or "", "")
        return "{" + name + kind + "}"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", convert, rule)


def command_line(app: FastAPI) -> click.Group:
    """`app.cli`: the app's click commands (kept so the factory runs; run them with the legacy
    app's `flask` command)."""
    found = getattr(app.state, "flask_cli", None)
    if isinstance(found, click.Group):
        return found
    group = click.Group("app")
    app.state.flask_cli = group
    return group


def shell_context_processor(app: FastAPI) -> Callable[[F], F]:
    """`@app.shell_context_processor`: kept on the app as Flask keeps it (for `flask shell`,
    which the legacy app's command still runs); serving is not affected."""

    def register(function: F) -> F:
        found = getattr(app.state, "shell_context_processors", None)
        if found is None:
            found = app.state.shell_context_processors = []
        found.append(function)
        return function

    return register


def open_resource(resource: str, mode: str = "rb", encoding: str | None = None) -> IO[Any]:
    """`current_app.open_resource(name)`: a file of the legacy package, read-only."""
    if mode not in ("r", "rt", "rb"):
        raise ValueError("Resources can only be opened for reading.")
    root = getattr(current_app().state, "root_path", None) or os.getcwd()
    path = os.path.join(root, resource)
    if mode == "rb":
        return open(path, mode)  # the caller closes it, as with Flask's
    return open(path, mode, encoding=encoding)


def app_import_name(app: FastAPI) -> str:
    """`app.import_name` / `app.name`: `app.state.import_name` when set there, else `flask.app`
    (the generated factory does not record the legacy app's name yet). Celery's main name
    (`Celery(app.import_name)`) and the logger's name read it."""
    name = getattr(app.state, "import_name", None)
    return name if isinstance(name, str) and name else "flask.app"


def app_logger(app: FastAPI) -> logging.Logger:
    """`app.logger`: Flask's is `logging.getLogger(app.name)` (`app_import_name`: configure
    logging for `flask.app` until the factory records the legacy name)."""
    return logging.getLogger(app_import_name(app))
