"""The admin FastAPI app: the API (proxy/admin/api.py), the dashboard and its assets, and the
API's own OpenAPI at `/_strangler/api/openapi.json` (viewer role)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from proxy.admin import api, dashboard
from proxy.admin.auth import viewer
from proxy.admin.context import AdminContext
from proxy.admin_tokens import TokenVerifier

DESCRIPTION = """\
Read and change the live state of the strangler front's routes.

Every call needs `Authorization: Bearer <token>`, a token made by
`strangler admin token --role viewer|operator --name NAME` whose SHA-256 is listed under
`[[admin.tokens]]` in strangler.toml. GET needs the `viewer` role; every POST (a change) needs
`operator`. Changes are compare-and-set writes to the state store, recorded in the audit log with
the token's name; every worker of every front applies them within a second.
"""


def build_admin_app(context: AdminContext) -> FastAPI:
    app = FastAPI(
        title="strangler admin API",
        version="1",
        description=DESCRIPTION,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.context = context
    app.state.verifier = TokenVerifier(context.settings.admin.tokens)
    app.include_router(api.router)
    app.include_router(dashboard.router)
    app.mount("/_strangler/static", StaticFiles(directory=dashboard.STATIC), name="static")

    @app.get(
        "/_strangler/api/openapi.json", include_in_schema=False, dependencies=[Depends(viewer)]
    )
    def admin_openapi() -> dict[str, Any]:
        return documented(app)

    return app


def documented(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI of the API, with its bearer scheme and each operation's role."""
    schema = app.openapi()
    schema.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "an admin token"}
    }
    schema["security"] = [{"bearer": []}]
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            role = "viewer" if method == "get" else "operator"
            operation["x-strangler-role"] = role
            operation.setdefault("responses", {}).update({
                "401": {"description": "no valid admin token"},
                "403": {"description": f"the token's role is below {role}"},
            })  # fmt: skip
    return schema
