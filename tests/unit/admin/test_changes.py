"""Changes through the admin API: the same guards, conflicts and errors as the CLI's."""

from __future__ import annotations

import httpx
import pytest

from proxy.store import Desired, RouteKey, StateStore
from tests.unit.admin.conftest import OPERATOR, VIEWER, bearer

pytestmark = pytest.mark.anyio
ITEMS = RouteKey.of("/api/items", ["GET", "HEAD"])


async def post(client: httpx.AsyncClient, path: str, body: dict[str, object]) -> httpx.Response:
    return await client.post(f"/_strangler/api/{path}", json=body, headers=bearer(OPERATOR))


async def test_an_unknown_route_gets_404_naming_the_near_matches(client: httpx.AsyncClient) -> None:
    response = await post(client, "cutover", {"path": "/api/item", "to": "new"})

    assert response.status_code == 404
    assert "did you mean /api/items" in response.json()["detail"]


async def test_an_unknown_mode_gets_422(client: httpx.AsyncClient) -> None:
    response = await post(client, "cutover", {"path": "/api/items", "to": "nwe"})

    assert response.status_code == 422


async def test_a_stale_version_is_refused_with_409_and_nothing_written(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    store.compare_and_set(ITEMS, 0, Desired("shadow"), who="someone")

    response = await post(client, "cutover", {"path": "/api/items", "to": "new", "if_version": 0})

    assert response.status_code == 409
    state = store.read(ITEMS)
    assert state is not None and state.mode == "shadow"


async def test_a_route_with_a_running_plan_is_refused_unless_forced(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    started = await post(client, "plan", {"path": "/api/items", "steps": ["shadow:30m", "new"]})
    assert started.status_code == 200 and started.json()["mode"] == "shadow"

    refused = await post(client, "cutover", {"path": "/api/items", "to": "new"})
    forced = await post(client, "cutover", {"path": "/api/items", "to": "new", "force": True})

    assert refused.status_code == 409
    assert forced.status_code == 200
    state = store.read(ITEMS)
    assert state is not None and state.plan is not None and state.plan.status == "aborted"


async def test_a_plan_is_paused_resumed_and_aborted(client: httpx.AsyncClient) -> None:
    await post(client, "plan", {"path": "/api/items", "steps": ["canary:10:10m", "new"]})

    statuses = []
    for action in ("pause", "resume", "abort"):
        response = await post(client, f"plan/{action}", {"path": "/api/items"})
        statuses.append(response.json()["plan"]["status"])

    assert statuses == ["paused", "running", "aborted"]


async def test_a_bad_plan_step_gets_422(client: httpx.AsyncClient) -> None:
    response = await post(client, "plan", {"path": "/api/items", "steps": ["canary:x", "new"]})

    assert response.status_code == 422
    assert "canary needs a weight" in response.json()["detail"]


async def test_rollback_all_sets_every_route_not_at_legacy_back(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    response = await post(client, "rollback", {"all": True})

    assert response.status_code == 200
    assert all(result["rolled_back"] for result in response.json())  # every route was not legacy
    assert {state.mode for state in store.read_all().values()} == {"legacy"}
    assert {entry.who for entry in store.audit()} == {"ana@admin-api"}


async def test_a_rollback_of_a_route_already_at_legacy_writes_nothing(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    await post(client, "rollback", {"path": "/api/items"})

    again = await post(client, "rollback", {"path": "/api/items"})

    assert again.json() == [{"route": "GET,HEAD /api/items", "rolled_back": False, "version": None}]
    assert len(store.audit()) == 1


async def test_the_routes_show_the_live_mode_beside_the_configured_one(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    store.compare_and_set(ITEMS, 0, Desired("canary", 25), who="someone")

    routes = (await client.get("/_strangler/api/routes", headers=bearer(VIEWER))).json()

    items = next(route for route in routes if route["path"] == "/api/items")
    assert (items["configured_mode"], items["mode"], items["weight"], items["version"]) == (
        "new", "canary", 25, 1,
    )  # fmt: skip


async def test_the_route_detail_carries_its_audit_log(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    await post(client, "cutover", {"path": "/api/items", "to": "shadow", "reason": "week 1"})

    detail = await client.get("/_strangler/api/route?path=/api/items", headers=bearer(VIEWER))

    assert [entry["why"] for entry in detail.json()["audit"]] == ["week 1"]
    assert detail.json()["differences"] == []


async def test_the_progress_counts_routes_per_mode_before_and_after_each_change(
    client: httpx.AsyncClient,
) -> None:
    await post(client, "cutover", {"path": "/api/old", "to": "legacy"})

    points = (await client.get("/_strangler/api/progress", headers=bearer(VIEWER))).json()["points"]

    assert points[0]["counts"]["retired"] == 1 and points[0]["counts"]["new"] == 2
    assert points[-1]["counts"]["retired"] == 0 and points[-1]["counts"]["legacy"] == 1


async def test_a_store_that_cannot_be_reached_gets_503(make_admin_client: object) -> None:
    from proxy.app import create_app
    from tests.unit.admin.conftest import admin_settings

    settings = admin_settings("redis://127.0.0.1:1/0")  # nothing listens on port 1
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/_strangler/api/routes", headers=bearer(VIEWER))

    assert response.status_code == 503
    assert "cannot be reached" in response.json()["detail"]


async def test_a_flip_to_a_mode_the_migrated_app_has_no_handler_for_is_refused_with_409(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    response = await post(client, "cutover", {"path": "/api/old", "to": "new"})

    assert response.status_code == 409
    assert "no handler for GET" in response.json()["detail"]
    assert store.audit() == []


async def test_a_plan_with_a_step_the_migrated_app_has_no_handler_for_is_refused_with_409(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    response = await post(client, "plan", {"path": "/api/old", "steps": ["legacy:10m", "new"]})

    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "refused: GET /api/old: plan step 2/2 new cannot run: mode is new but the migrated app"
        " has no handler for GET"
    )
    assert store.audit() == []


async def test_changes_conflicts_and_manual_rollbacks_are_counted_in_the_front_s_metrics(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    await post(client, "cutover", {"path": "/api/items", "to": "shadow"})
    await post(client, "cutover", {"path": "/api/items", "to": "new", "if_version": 0})
    await post(client, "rollback", {"path": "/api/items"})

    metrics = (await client.get("/metrics")).text

    assert 'strangler_store_changes_total{outcome="applied"} 2.0' in metrics
    assert 'strangler_store_changes_total{outcome="conflict"} 1.0' in metrics
    assert 'strangler_rollbacks_total{route="GET,HEAD /api/items",trigger="manual"} 1.0' in metrics
