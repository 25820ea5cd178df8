"""The live table of one worker: the file's routes in the store's live modes."""

from __future__ import annotations

from proxy.modes import Canary, Legacy, New
from proxy.modes.live import LiveTable
from proxy.route_table import RouteTable
from proxy.settings import RouteSettings
from proxy.store import Desired, RouteKey, StateStore
from tests.unit.store.conftest import StoreFactory

ROUTES = RouteTable([RouteSettings(path="/a"), RouteSettings(path="/b", mode="new")])
A = RouteKey.of("/a", ["GET"])


def modes(live: LiveTable) -> dict[str, object]:
    return {route.path: route.mode for route in live.table.routes}


def test_routes_the_store_does_not_know_keep_the_files_mode(store: StateStore) -> None:
    live = LiveTable(ROUTES, store)
    store.compare_and_set(A, 0, Desired("canary", 40), who="t")

    assert live.read()

    assert modes(live) == {"/a": Canary(40), "/b": New()}
    assert [(route.path, configured) for route, configured in live.differences()] == [
        ("/a", Legacy())
    ]


def test_a_new_table_and_an_empty_decision_cache_come_in_together(store: StateStore) -> None:
    live = LiveTable(ROUTES, store)
    live.read()
    before = live.in_force
    before.decisions[("GET", b"/a")] = None  # type: ignore[assignment]

    store.compare_and_set(A, 0, Desired("new"), who="t")
    assert live.watcher is not None and live.watcher.refresh()

    assert live.in_force is not before
    assert live.in_force.decisions == {}


def test_a_store_opened_before_a_fork_is_opened_again_in_the_worker(
    open_fresh_store: StoreFactory,
) -> None:
    opened_in_parent, opened_in_worker = open_fresh_store(), open_fresh_store()
    live = LiveTable(ROUTES, opened_in_parent, reopen=lambda: opened_in_worker)
    live.opened_in = -1  # as if this process were a worker forked after the store was opened

    live.start()
    try:
        assert live.watcher is not None and live.watcher.store is opened_in_worker
    finally:
        live.stop()
