"""The admin API is documented in its own OpenAPI (viewer role), and the front serves the
migrated app's OpenAPI under /_strangler/ for `strangler parity --new-url`."""

from __future__ import annotations

import httpx
import pytest

from tests.unit.admin.conftest import VIEWER, bearer

pytestmark = pytest.mark.anyio
DOCUMENTED = {
    ("get", "/_strangler/api/me"),
    ("get", "/_strangler/api/routes"),
    ("get", "/_strangler/api/route"),
    ("get", "/_strangler/api/audit"),
    ("get", "/_strangler/api/progress"),
    ("get", "/_strangler/api/shadow"),
    ("post", "/_strangler/api/cutover"),
    ("post", "/_strangler/api/rollback"),
    ("post", "/_strangler/api/plan"),
    ("post", "/_strangler/api/plan/{action}"),
}


async def admin_openapi(client: httpx.AsyncClient) -> dict[str, object]:
    response = await client.get("/_strangler/api/openapi.json", headers=bearer(VIEWER))
    assert response.status_code == 200
    schema: dict[str, object] = response.json()
    return schema


async def test_every_endpoint_is_in_the_openapi_and_nothing_else(client: httpx.AsyncClient) -> None:
    schema = await admin_openapi(client)

    paths: dict[str, dict[str, object]] = schema["paths"]  # type: ignore[assignment]
    found = {(method, path) for path, operations in paths.items() for method in operations}
    assert found == DOCUMENTED


async def test_each_operation_names_its_role_and_the_bearer_scheme(
    client: httpx.AsyncClient,
) -> None:
    schema = await admin_openapi(client)

    assert schema["security"] == [{"bearer": []}]
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"  # type: ignore[index]
    for operations in schema["paths"].values():  # type: ignore[attr-defined]
        for method, operation in operations.items():
            assert operation["x-strangler-role"] == ("viewer" if method == "get" else "operator")
            assert {"401", "403"} <= set(operation["responses"])


async def test_the_change_bodies_are_documented(client: httpx.AsyncClient) -> None:
    schema = await admin_openapi(client)

    cutover = schema["components"]["schemas"]["CutoverRequest"]  # type: ignore[index]
    assert set(cutover["properties"]) >= {"path", "method", "to", "weight", "reason", "force"}
    assert cutover["properties"]["to"]["enum"] == ["legacy", "shadow", "canary", "new", "retired"]


async def test_the_migrated_app_s_openapi_is_served_under_the_admin_prefix(
    client: httpx.AsyncClient,
) -> None:
    from tests.unit.proxy.apps import migrated_app

    response = await client.get("/_strangler/openapi.json", headers=bearer(VIEWER))

    assert response.status_code == 200
    assert response.json() == migrated_app.openapi()


async def test_the_front_itself_still_has_no_openapi_json_of_its_own(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code != 200 or "strangler admin" not in response.text
