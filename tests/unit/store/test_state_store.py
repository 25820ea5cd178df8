"""The state store, the same behaviour from both backends (SQLite file, real Redis)."""

from __future__ import annotations

import threading

import pytest

from proxy.store import (
    Desired,
    InvalidState,
    Plan,
    PlanStep,
    RouteKey,
    StateStore,
    VersionConflict,
)
from tests.unit.store.conftest import StoreFactory

PRODUCTS = RouteKey.of("/api/products", ["POST", "GET"])
ORDERS = RouteKey.of("/api/orders", ["GET"])


def test_a_route_the_store_does_not_know_reads_as_none(store: StateStore) -> None:
    assert store.read(PRODUCTS) is None
    assert store.read_all() == {}


def test_the_first_change_expects_version_zero_and_makes_version_one(store: StateStore) -> None:
    state = store.compare_and_set(PRODUCTS, 0, Desired("shadow"), who="ana", why="start")
    assert (state.mode, state.weight, state.version, state.updated_by) == ("shadow", 0, 1, "ana")
    assert store.read(PRODUCTS) == state
    assert store.read_all() == {PRODUCTS: state}


def test_a_change_against_an_old_version_is_refused_and_writes_nothing(
    store: StateStore,
) -> None:
    store.compare_and_set(PRODUCTS, 0, Desired("shadow"), who="ana")
    store.compare_and_set(PRODUCTS, 1, Desired("canary", 10), who="bo")
    with pytest.raises(VersionConflict) as refused:
        store.compare_and_set(PRODUCTS, 1, Desired("new"), who="cy")
    current = store.read(PRODUCTS)
    assert refused.value.current == current
    assert current is not None and (current.mode, current.version) == ("canary", 2)
    assert [e.who for e in store.audit()] == ["ana", "bo"]


def test_creating_a_route_twice_conflicts(store: StateStore) -> None:
    store.compare_and_set(PRODUCTS, 0, Desired("new"), who="ana")
    with pytest.raises(VersionConflict):
        store.compare_and_set(PRODUCTS, 0, Desired("legacy"), who="bo")


def test_of_concurrent_changes_from_one_version_exactly_one_wins(
    open_fresh_store: StoreFactory,
) -> None:
    open_fresh_store().compare_and_set(PRODUCTS, 0, Desired("shadow"), who="setup")
    stores = [open_fresh_store() for _ in range(6)]
    results: list[str] = []
    barrier = threading.Barrier(len(stores))

    def change(store: StateStore, weight: int) -> None:
        barrier.wait()
        try:
            store.compare_and_set(PRODUCTS, 1, Desired("canary", weight), who=f"w{weight}")
            results.append("won")
        except VersionConflict:
            results.append("lost")

    threads = [threading.Thread(target=change, args=(s, i)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["lost"] * 5 + ["won"]
    assert len(stores[0].audit()) == 2


def test_the_audit_log_says_who_when_from_to_and_why(store: StateStore) -> None:
    store.compare_and_set(PRODUCTS, 0, Desired("canary", 10), who="ana", why="week 2")
    store.compare_and_set(PRODUCTS, 1, Desired("legacy"), who="rollback", why="5xx rate 7%")
    first, second = store.audit()
    assert (first.route, first.who, first.from_mode, first.to_mode, first.to_weight) == (
        "GET,POST /api/products", "ana", None, "canary", 10,
    )  # fmt: skip
    assert (second.from_mode, second.from_weight, second.to_mode, second.why) == (
        "canary", 10, "legacy", "5xx rate 7%",
    )  # fmt: skip
    assert first.at <= second.at
    assert second.version == 2


def test_the_audit_log_of_one_route_leaves_the_others_out(store: StateStore) -> None:
    store.compare_and_set(PRODUCTS, 0, Desired("new"), who="ana")
    store.compare_and_set(ORDERS, 0, Desired("shadow"), who="bo")
    assert [e.who for e in store.audit(route=ORDERS)] == ["bo"]
    assert [e.who for e in store.audit(limit=1)] == ["bo"]


def test_the_generation_moves_on_every_change(store: StateStore) -> None:
    before = store.generation()
    store.compare_and_set(PRODUCTS, 0, Desired("new"), who="ana")
    store.compare_and_set(ORDERS, 0, Desired("new"), who="ana")
    assert store.generation() == before + 2


def test_a_plan_is_stored_and_read_back_whole(store: StateStore) -> None:
    plan = Plan(
        (PlanStep("shadow", seconds=1800), PlanStep("canary", 10, 600), PlanStep("new")),
        current=1,
        status="paused",
        step_started_at=1700000000.5,
    )
    store.compare_and_set(PRODUCTS, 0, Desired("canary", 10, plan), who="ana")
    state = store.read(PRODUCTS)
    assert state is not None and state.plan == plan
    assert store.audit()[0].plan == plan.to_json()


def test_the_state_survives_closing_and_opening_the_store_again(
    open_fresh_store: StoreFactory,
) -> None:
    first = open_fresh_store()
    first.compare_and_set(PRODUCTS, 0, Desired("canary", 25), who="ana", why="go")
    first.close()
    reopened = open_fresh_store()
    state = reopened.read(PRODUCTS)
    assert state is not None and (state.mode, state.weight, state.version) == ("canary", 25, 1)
    assert [e.why for e in reopened.audit()] == ["go"]


def test_an_unknown_mode_or_a_weight_over_100_is_refused_before_writing() -> None:
    with pytest.raises(InvalidState, match="unknown mode 'nwe'"):
        Desired("nwe")  # type: ignore[arg-type]
    with pytest.raises(InvalidState, match="weight 101"):
        Desired("canary", 101)


def test_a_route_key_reads_back_from_its_text() -> None:
    assert str(PRODUCTS) == "GET,POST /api/products"
    assert RouteKey.parse("POST,GET /api/products") == PRODUCTS
    with pytest.raises(InvalidState):
        RouteKey.parse("/api/products")
