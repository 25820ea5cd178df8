"""The front's cutover loop on a real store: automatic rollback by injected 5xx, by latency and
by shadow differences (once, whichever worker crosses first), plans moved on while healthy,
paused and aborted plans left alone, and the worker's report summed for `strangler status`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from prometheus_client import generate_latest

from proxy.analysis import RollbackThresholds
from proxy.cutover_loop import CutoverLoop
from proxy.cutover_metrics import CutoverMetrics
from proxy.cutover_report import summarise
from proxy.plans import parse_plan, step_state
from proxy.store import Desired, RouteKey, StateStore

THRESHOLDS = RollbackThresholds(
    max_5xx_rate=0.05, max_p99_ratio=2.0, max_diff_rate=0.05, window_seconds=60, min_samples=20
)
KEY = RouteKey.of("/api/orders", ["GET"])
NAME = str(KEY)


@dataclass(frozen=True)
class Entry:
    path: str = "/api/orders"
    methods: tuple[str, ...] = ("GET",)
    mode: str = "legacy"
    rollback: RollbackThresholds = THRESHOLDS


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def loop_on(store: StateStore, clock: Clock, who: str = "front test:1", **kw: Any) -> CutoverLoop:
    return CutoverLoop(store, [Entry()], store.read_all, who=who, monotonic=clock, wall=clock, **kw)


def run_once(loop: CutoverLoop) -> None:
    decisions, report = loop.tick()
    loop.write(decisions, report)


def at_canary(store: StateStore) -> None:
    store.compare_and_set(KEY, 0, Desired("canary", 20), who="ana")


def test_injected_5xx_on_the_new_side_roll_the_route_back_and_say_why(store: StateStore) -> None:
    at_canary(store)
    clock, metrics = Clock(), CutoverMetrics()
    loop = loop_on(store, clock, metrics=metrics)
    run_once(loop)  # the loop learns the route's version
    for n in range(100):
        loop.observe(NAME, "new", 500 if n < 10 else 200, 0.01)
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and (state.mode, state.weight) == ("legacy", 0)
    last = store.audit()[-1]
    assert last.who == "front test:1"
    assert last.why.startswith("automatic rollback: new side 5xx rate 10.0% > 5.0%")
    text = generate_latest(metrics.registry).decode()
    assert f'strangler_rollbacks_total{{route="{NAME}",trigger="5xx_rate"}} 1.0' in text


def test_a_slow_new_side_rolls_back_on_latency(store: StateStore) -> None:
    at_canary(store)
    clock = Clock()
    loop = loop_on(store, clock)
    run_once(loop)
    for _ in range(50):
        loop.observe(NAME, "legacy", 200, 0.010)
        loop.observe(NAME, "new", 200, 0.050)
    run_once(loop)
    assert store.read(KEY).mode == "legacy"  # type: ignore[union-attr]
    assert "p99 latency new/legacy 5.00 > 2" in store.audit()[-1].why


def test_shadow_differences_roll_back_and_abort_the_plan(store: StateStore) -> None:
    plan = parse_plan(["shadow:30m", "canary:10:10m", "new"], now=1000)
    store.compare_and_set(KEY, 0, step_state(plan), who="ana")
    clock = Clock()
    loop = loop_on(store, clock)
    run_once(loop)
    for n in range(40):
        loop.observe_shadow(NAME, differed=n % 4 == 0)
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and state.mode == "legacy"
    assert state.plan is not None and state.plan.status == "aborted"
    assert "shadow diff rate 25.0% > 5.0% over 40 comparisons" in store.audit()[-1].why


def test_a_healthy_route_is_left_alone(store: StateStore) -> None:
    at_canary(store)
    clock = Clock()
    loop = loop_on(store, clock)
    run_once(loop)
    for _ in range(100):
        loop.observe(NAME, "legacy", 200, 0.010)
        loop.observe(NAME, "new", 200, 0.011)
        loop.observe_shadow(NAME, differed=False)
    run_once(loop)
    assert store.read(KEY).mode == "canary"  # type: ignore[union-attr]


def test_a_route_at_legacy_is_not_judged(store: StateStore) -> None:
    clock = Clock()
    loop = loop_on(store, clock)
    for _ in range(100):
        loop.observe(NAME, "legacy", 500, 0.010)
    run_once(loop)
    assert store.audit() == []


def test_two_workers_crossing_the_threshold_roll_back_once(store: StateStore) -> None:
    at_canary(store)
    clock = Clock()
    workers = [loop_on(store, clock, who=f"front test:{n}") for n in (1, 2)]
    for loop in workers:
        run_once(loop)
        for _ in range(50):
            loop.observe(NAME, "new", 503, 0.01)
    decided = [loop.tick() for loop in workers]  # both decide before either writes
    for loop, (decisions, report) in zip(workers, decided, strict=True):
        assert len(decisions) == 1
        loop.write(decisions, report)
    assert [entry.to_mode for entry in store.audit()] == ["canary", "legacy"]


def test_after_a_change_the_route_is_judged_on_new_traffic_only(store: StateStore) -> None:
    at_canary(store)
    clock = Clock()
    loop = loop_on(store, clock)
    run_once(loop)
    for _ in range(100):
        loop.observe(NAME, "new", 500, 0.01)
    run_once(loop)  # rolled back
    store.compare_and_set(KEY, 2, Desired("canary", 5), who="ana", why="fixed")
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and (state.mode, state.version) == ("canary", 3)


def plan_route(store: StateStore, now: float) -> None:
    plan = parse_plan(["shadow:30m", "canary:10:10m", "new"], now=now)
    store.compare_and_set(KEY, 0, step_state(plan), who="ana")


def feed_healthy(loop: CutoverLoop, count: int = 30) -> None:
    for _ in range(count):
        loop.observe(NAME, "legacy", 200, 0.010)
        loop.observe(NAME, "new", 200, 0.010)
        loop.observe_shadow(NAME, differed=False)


def test_a_plan_moves_on_when_its_step_is_over_and_the_analysis_healthy(
    store: StateStore,
) -> None:
    clock = Clock()
    plan_route(store, clock.now)
    metrics = CutoverMetrics()
    loop = loop_on(store, clock, metrics=metrics)
    run_once(loop)
    feed_healthy(loop)
    clock.now += 1799
    run_once(loop)
    assert store.read(KEY).mode == "shadow"  # type: ignore[union-attr]
    clock.now += 1
    feed_healthy(loop)
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and (state.mode, state.weight) == ("canary", 10)
    assert store.audit()[-1].why == "plan step 2/3: canary 10%"
    clock.now += 600
    feed_healthy(loop)
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and state.mode == "new"
    assert state.plan is not None and state.plan.status == "done"
    text = generate_latest(metrics.registry).decode()
    assert f'strangler_plan_steps_total{{mode="new",route="{NAME}"}} 1.0' in text


def test_a_next_step_the_migrated_app_has_no_handler_for_pauses_the_plan_where_it_is(
    store: StateStore,
) -> None:
    from fastapi import FastAPI

    from proxy.cutover_runtime import step_refusal
    from proxy.modes.handlers import HandlerCheck

    without_the_route = FastAPI()  # e.g. a deploy that dropped the handler after the plan began
    clock = Clock()
    plan_route(store, clock.now)
    loop = loop_on(store, clock, refusal=step_refusal(HandlerCheck(without_the_route)))
    run_once(loop)
    feed_healthy(loop)
    clock.now += 1800
    feed_healthy(loop)
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and state.plan is not None
    assert (state.mode, state.plan.status, state.plan.current) == ("shadow", "paused", 0)
    assert store.audit()[-1].why == (
        "plan paused: step 2/3 canary:10:10m cannot run: mode is canary but the migrated app"
        " has no handler for GET"
    )
    clock.now += 3600
    feed_healthy(loop)
    run_once(loop)
    assert store.read(KEY).version == state.version  # type: ignore[union-attr]


def test_a_step_without_enough_traffic_holds(store: StateStore) -> None:
    clock = Clock()
    plan_route(store, clock.now)
    loop = loop_on(store, clock)
    run_once(loop)
    feed_healthy(loop, count=5)
    clock.now += 3600
    run_once(loop)
    assert store.read(KEY).mode == "shadow"  # type: ignore[union-attr]


def test_a_paused_plan_holds_and_an_aborted_one_stays_where_it_is(store: StateStore) -> None:
    clock = Clock()
    plan_route(store, clock.now)
    state = store.read(KEY)
    assert state is not None and state.plan is not None
    paused = replace(state.plan, status="paused")
    store.compare_and_set(KEY, 1, Desired("shadow", 0, paused), who="ana", why="plan pause")
    loop = loop_on(store, clock)
    run_once(loop)
    feed_healthy(loop)
    clock.now += 3600
    run_once(loop)
    assert store.read(KEY).version == 2  # type: ignore[union-attr]
    aborted = replace(paused, status="aborted")
    store.compare_and_set(KEY, 2, Desired("shadow", 0, aborted), who="ana", why="plan abort")
    run_once(loop)
    feed_healthy(loop)
    clock.now += 3600
    run_once(loop)
    state = store.read(KEY)
    assert state is not None and (state.mode, state.version) == ("shadow", 3)


def test_two_workers_move_a_plan_on_once(store: StateStore) -> None:
    clock = Clock()
    plan_route(store, clock.now)
    workers = [loop_on(store, clock, who=f"front test:{n}") for n in (1, 2)]
    for loop in workers:
        run_once(loop)
        feed_healthy(loop)
    clock.now += 1800
    for loop in workers:
        feed_healthy(loop)
    decided = [loop.tick() for loop in workers]
    for loop, (decisions, report) in zip(workers, decided, strict=True):
        loop.write(decisions, report)
    assert [entry.to_mode for entry in store.audit()] == ["shadow", "canary"]


def test_workers_reports_are_summed_for_status(store: StateStore) -> None:
    clock = Clock()
    shadow_counts: Callable[[int], dict[str, dict[str, Any]]] = lambda n: {  # noqa: E731
        NAME: {"compared": 10 * n, "differed": n, "dropped": 2, "latest": [
            {"at": float(n), "target": f"/api/orders?n={n}", "curl": "curl ..."}
        ]}
    }  # fmt: skip
    for n in (1, 2):
        loop = loop_on(
            store, clock, who=f"front test:{n}", shadow_report=lambda n=n: shadow_counts(n)
        )
        for _ in range(120):
            loop.observe(NAME, "legacy", 200, 0.010)
        loop.observe(NAME, "legacy", 500, 0.200)
        clock.now += 60
        run_once(loop)
    summary = summarise(store.reports(), now=clock.now)[NAME]
    assert summary["shadow"] == {"compared": 30, "differed": 3, "dropped": 4}
    assert [d["target"] for d in summary["latest_differences"]] == [
        "/api/orders?n=2", "/api/orders?n=1",
    ]  # fmt: skip
    legacy = summary["sides"]["legacy"]
    assert legacy["error_rate"] == round(2 / 242, 4)
    assert legacy["p99_ms"] is not None and 9 <= legacy["p99_ms"] <= 11
    assert summary["sides"]["new"]["request_rate"] == 0
    json.dumps(summary)


def test_a_mirrored_answer_counts_for_the_5xx_rate_not_for_the_p99(store: StateStore) -> None:
    plan = parse_plan(["shadow:30m", "new"], now=1000)
    store.compare_and_set(KEY, 0, step_state(plan), who="ana")
    clock = Clock()
    loop = loop_on(store, clock)
    run_once(loop)
    for _ in range(50):  # slow at idle priority: says nothing of the new side's latency
        loop.observe(NAME, "legacy", 200, 0.010)
        loop.observe_new(NAME, 200, 5.0)
    run_once(loop)
    assert store.read(KEY).mode == "shadow"  # type: ignore[union-attr]
    for _ in range(50):
        loop.observe_new(NAME, 502, 0.01)
    run_once(loop)
    assert store.read(KEY).mode == "legacy"  # type: ignore[union-attr]
    assert "new side 5xx rate 50.0%" in store.audit()[-1].why
