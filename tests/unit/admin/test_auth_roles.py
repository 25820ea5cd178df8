"""The admin API's two roles: no token 401, viewers read, only operators change."""

from __future__ import annotations

import httpx
import pytest

from proxy.store import RouteKey, StateStore
from tests.unit.admin.conftest import OPERATOR, VIEWER, bearer

pytestmark = pytest.mark.anyio
READS = [
    "/_strangler/api/me",
    "/_strangler/api/routes",
    "/_strangler/api/route?path=/api/items",
    "/_strangler/api/audit",
    "/_strangler/api/progress",
    "/_strangler/api/shadow",
    "/_strangler/api/openapi.json",
    "/_strangler/openapi.json",
]
CHANGES = [
    ("/_strangler/api/cutover", {"path": "/api/items", "to": "legacy"}),
    ("/_strangler/api/rollback", {"path": "/api/items"}),
    ("/_strangler/api/plan", {"path": "/api/items", "steps": ["shadow:30m", "new"]}),
    ("/_strangler/api/plan/pause", {"path": "/api/items"}),
]


@pytest.mark.parametrize("path", READS)
async def test_a_read_without_a_token_gets_401_naming_the_bearer_scheme(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", READS)
async def test_an_unknown_token_gets_401(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers=bearer("stgl_not-a-configured-token"))

    assert response.status_code == 401


@pytest.mark.parametrize("path", READS)
async def test_a_viewer_reads(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path, headers=bearer(VIEWER))

    assert response.status_code == 200


@pytest.mark.parametrize(("path", "body"), CHANGES)
async def test_a_change_without_a_token_gets_401(
    client: httpx.AsyncClient, path: str, body: dict[str, object]
) -> None:
    assert (await client.post(path, json=body)).status_code == 401


@pytest.mark.parametrize(("path", "body"), CHANGES)
async def test_a_viewer_cannot_change_anything(
    client: httpx.AsyncClient, store: StateStore, path: str, body: dict[str, object]
) -> None:
    response = await client.post(path, json=body, headers=bearer(VIEWER))

    assert response.status_code == 403
    assert "operator" in response.json()["detail"]
    assert store.read_all() == {} and store.audit() == []


async def test_an_operator_changes_a_route_and_the_audit_log_names_the_token(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    response = await client.post(
        "/_strangler/api/cutover",
        json={"path": "/api/items", "to": "canary", "weight": 10, "reason": "week 2"},
        headers=bearer(OPERATOR),
    )

    assert response.status_code == 200
    assert response.json() == {
        "route": "GET,HEAD /api/items", "before": "new", "mode": "canary", "weight": 10,
        "version": 1, "changed": True,
    }  # fmt: skip
    state = store.read(RouteKey.of("/api/items", ["GET", "HEAD"]))
    assert state is not None and (state.mode, state.weight) == ("canary", 10)
    (entry,) = store.audit()
    assert (entry.who, entry.why, entry.from_mode, entry.to_mode) == (
        "ana@admin-api", "week 2", None, "canary",
    )  # fmt: skip


async def test_me_names_the_token_holder_and_role(client: httpx.AsyncClient) -> None:
    response = await client.get("/_strangler/api/me", headers=bearer(OPERATOR))

    assert response.json() == {"name": "ana", "role": "operator"}


async def test_a_non_bearer_scheme_gets_401(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/_strangler/api/routes", headers={"Authorization": f"Basic {VIEWER}"}
    )

    assert response.status_code == 401


async def test_admin_requests_are_counted_by_role_and_status(client: httpx.AsyncClient) -> None:
    await client.get("/_strangler/api/routes")
    await client.get("/_strangler/api/routes", headers=bearer(VIEWER))
    await client.post("/_strangler/api/rollback", json={"all": True}, headers=bearer(VIEWER))

    metrics = (await client.get("/metrics")).text

    for role, status in (("none", "401"), ("viewer", "200"), ("viewer", "403")):
        assert f'strangler_admin_requests_total{{role="{role}",status="{status}"}} 1.0' in metrics
