"""The routes' per-side figures are those every front worker reports to the store, summed, as
`strangler status` shows them; the shadow's counts and differences likewise."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from proxy.store import StateStore
from tests.unit.admin.conftest import VIEWER, bearer

pytestmark = pytest.mark.anyio


def worker_report(requests: int, errors: int, compared: int, differed: int) -> dict[str, Any]:
    latest = [{"route": "GET,HEAD /api/items", "at": time.time(), "method": "GET",
               "target": "/api/items?page=2", "legacy_status": 200, "new_status": 200,
               "differences": ["$.items[1]: 2 != 3"],
               "curl": "curl -i 'http://legacy/api/items?page=2'"}]  # fmt: skip
    return {
        "at": time.time(),
        "who": "front test",
        "routes": {"GET,HEAD /api/items": {
            "seconds": 10.0,
            "sides": {"new": {"requests": requests, "errors": errors, "latency": {}}},
            "shadow": {"compared": compared, "differed": differed, "dropped": 0,
                       "latest": latest if differed else []},
        }},
    }  # fmt: skip


async def test_each_side_s_rates_are_summed_over_the_workers_reports(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    store.publish_report("worker-1", worker_report(requests=50, errors=5, compared=0, differed=0))
    store.publish_report("worker-2", worker_report(requests=30, errors=3, compared=0, differed=0))

    routes = (await client.get("/_strangler/api/routes", headers=bearer(VIEWER))).json()

    items = next(route for route in routes if route["route"] == "GET,HEAD /api/items")
    assert items["sides"]["new"]["request_rate"] == 8.0
    assert items["sides"]["legacy"] == {"request_rate": None, "error_rate": None, "p99_ms": None}


async def test_the_shadow_s_counts_and_latest_differences_are_shown_with_their_curl(
    client: httpx.AsyncClient, store: StateStore
) -> None:
    store.publish_report("worker-1", worker_report(requests=0, errors=0, compared=40, differed=2))

    routes = (await client.get("/_strangler/api/routes", headers=bearer(VIEWER))).json()
    differences = (await client.get("/_strangler/api/shadow", headers=bearer(VIEWER))).json()

    items = next(route for route in routes if route["route"] == "GET,HEAD /api/items")
    assert items["shadow"] == {"compared": 40, "differed": 2, "dropped": 0, "diff_rate": 0.05}
    assert [d["path"] for d in differences] == ["/api/items?page=2"]
    assert differences[0]["curl"].startswith("curl -i")


async def test_without_any_report_the_figures_are_null_and_the_differences_empty(
    client: httpx.AsyncClient,
) -> None:
    routes = (await client.get("/_strangler/api/routes", headers=bearer(VIEWER))).json()
    differences = (await client.get("/_strangler/api/shadow", headers=bearer(VIEWER))).json()

    assert all(side["request_rate"] is None for r in routes for side in r["sides"].values())
    assert differences == []
