"""Apps the edge tests serve: each side echoes the request headers it was given."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from tests.unit.proxy.apps import raw_wsgi

legacy_echo = raw_wsgi  # any path: the WSGI environ as JSON


def make_migrated_echo() -> FastAPI:
    app = FastAPI()

    @app.get("/new/headers")
    def headers(request: Request) -> dict[str, Any]:
        return {"headers": [[name, value] for name, value in request.headers.items()]}

    return app


migrated_echo = make_migrated_echo()
