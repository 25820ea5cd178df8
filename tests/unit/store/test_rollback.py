"""Rolling a route back in the store: legacy, weight 0, plan aborted, reason audited, counted."""

from __future__ import annotations

from prometheus_client import generate_latest

from proxy.cutover_metrics import CutoverMetrics
from proxy.rollback import roll_back
from proxy.store import Desired, Plan, PlanStep, RouteKey, StateStore

ROUTE = RouteKey.of("/api/orders", ["GET"])


def test_a_canary_goes_back_to_legacy_with_weight_0_and_its_plan_aborted(
    store: StateStore,
) -> None:
    plan = Plan((PlanStep("canary", 10, 600), PlanStep("new")))
    store.compare_and_set(ROUTE, 0, Desired("canary", 10, plan), who="ana")
    metrics = CutoverMetrics()
    state = roll_back(
        store, ROUTE, who="automatic rollback", why="5xx rate 9%", trigger="5xx_rate",
        metrics=metrics,
    )  # fmt: skip
    assert state is not None
    assert (state.mode, state.weight) == ("legacy", 0)
    assert state.plan is not None and state.plan.status == "aborted"
    last = store.audit()[-1]
    assert (last.who, last.from_mode, last.to_mode, last.why) == (
        "automatic rollback", "canary", "legacy", "5xx rate 9%",
    )  # fmt: skip
    text = generate_latest(metrics.registry).decode()
    assert 'strangler_rollbacks_total{route="GET /api/orders",trigger="5xx_rate"} 1.0' in text


def test_a_route_already_at_legacy_is_left_alone(store: StateStore) -> None:
    store.compare_and_set(ROUTE, 0, Desired("legacy"), who="ana")
    assert roll_back(store, ROUTE, who="bo", why="again") is None
    assert len(store.audit()) == 1


def test_two_workers_crossing_the_threshold_roll_back_once(store: StateStore) -> None:
    store.compare_and_set(ROUTE, 0, Desired("new"), who="ana")
    first = roll_back(store, ROUTE, who="worker 1", why="diffs")
    second = roll_back(store, ROUTE, who="worker 2", why="diffs")
    assert first is not None and second is None
    assert [e.who for e in store.audit()] == ["ana", "worker 1"]
