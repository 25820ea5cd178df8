"""What the admin API reads of shadow mode (`front.shadow_records`): counts and the latest
differences summed over the workers' reports, or this worker's own without a store."""

from __future__ import annotations

from typing import Any

from proxy.shadow_records import ShadowRecords
from proxy.store import StateStore

ROUTE = "GET /api/items"


def kept(at: float, target: str) -> dict[str, Any]:
    return {
        "route": ROUTE, "at": at, "method": "GET", "target": target, "legacy_status": 200,
        "new_status": 200, "differences": ["$.a: 1 != 2", "$.b: 1 != 2"], "curl": "curl -i",
    }  # fmt: skip


def report(compared: int, *differences: dict[str, Any]) -> dict[str, Any]:
    shadow = {"compared": compared, "differed": len(differences), "dropped": 1,
              "latest": list(differences)}  # fmt: skip
    return {"at": 0.0, "routes": {ROUTE: {"shadow": shadow}}}


def test_counts_and_differences_are_summed_over_the_workers(store: StateStore) -> None:
    store.publish_report("worker 1", report(10, kept(1.0, "/api/items?a")))
    store.publish_report("worker 2", report(5, kept(2.0, "/api/items?b")))
    records = ShadowRecords(store, dict)

    counts = records.counts(ROUTE)
    latest = records.latest(ROUTE, 10)

    assert (counts.compared, counts.differed, counts.dropped, counts.diff_rate) == (
        15,
        2,
        2,
        0.1333,
    )
    assert [d.path for d in latest] == ["/api/items?b", "/api/items?a"]
    assert latest[0].summary == "status legacy/new 200 / 200: $.a: 1 != 2 (+1 more)"
    assert latest[0].details == ["$.a: 1 != 2", "$.b: 1 != 2"]
    assert records.latest(None, 1)[0].path == "/api/items?b"
    assert records.counts("GET /nothing").compared == 0


def test_without_a_store_the_worker_s_own_counts_are_read() -> None:
    own = {ROUTE: {"compared": 3, "differed": 1, "dropped": 0, "latest": [kept(1.0, "/x")]}}
    records = ShadowRecords(None, lambda: own)
    assert records.counts(ROUTE).compared == 3
    assert [d.path for d in records.latest(ROUTE, 5)] == ["/x"]
