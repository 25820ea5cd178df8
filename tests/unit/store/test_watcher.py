"""A worker's view of the store: polled, applied on change, kept through an outage."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client import generate_latest

from proxy.cutover_metrics import CutoverMetrics
from proxy.store import (
    Desired,
    RouteKey,
    StateStore,
    StateWatcher,
    StoreUnreachable,
    open_store,
)
from proxy.store.watcher import Snapshot

ROUTE = RouteKey.of("/api/products", ["GET"])


def test_the_watcher_starts_from_what_the_store_holds(store: StateStore) -> None:
    store.compare_and_set(ROUTE, 0, Desired("shadow"), who="ana")
    watcher = StateWatcher(store)
    watcher.refresh()
    assert watcher.snapshot[ROUTE].mode == "shadow"


def test_a_change_is_applied_on_the_next_poll_and_handed_on(store: StateStore) -> None:
    applied: list[Snapshot] = []
    watcher = StateWatcher(store, on_change=applied.append)
    watcher.refresh()
    store.compare_and_set(ROUTE, 0, Desired("canary", 30), who="ana")
    assert watcher.refresh() is True
    assert applied[-1][ROUTE].weight == 30
    assert watcher.refresh() is False  # nothing moved: nothing read again


def test_a_change_sets_the_live_mode_gauges(store: StateStore) -> None:
    metrics = CutoverMetrics()
    watcher = StateWatcher(store, metrics=metrics)
    watcher.refresh()
    store.compare_and_set(ROUTE, 0, Desired("canary", 30), who="ana")
    watcher.refresh()
    text = generate_latest(metrics.registry).decode()
    assert 'strangler_route_live_mode{mode="canary",route="GET /api/products"} 1.0' in text
    assert 'strangler_route_live_mode{mode="legacy",route="GET /api/products"} 0.0' in text
    assert 'strangler_route_canary_weight{route="GET /api/products"} 30.0' in text


def test_the_last_snapshot_stays_in_force_while_the_store_is_unreachable(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    store.compare_and_set(ROUTE, 0, Desired("new"), who="ana")
    watcher = StateWatcher(store)
    watcher.refresh()
    store.close()  # every read now fails
    with pytest.raises(StoreUnreachable):
        watcher.refresh()
    assert watcher.snapshot[ROUTE].mode == "new"


def test_a_redis_server_that_is_not_there_is_unreachable_not_a_traceback() -> None:
    store = open_store("redis://127.0.0.1:1/0")
    with pytest.raises(StoreUnreachable, match=r"redis://127\.0\.0\.1:1/0"):
        store.read_all()


def test_a_sqlite_file_that_cannot_be_created_is_unreachable(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreUnreachable, match="state store sqlite:///"):
        open_store(f"sqlite:///{tmp_path / 'file' / 'state.db'}")


def test_a_relative_sqlite_path_is_beside_the_config(tmp_path: Path) -> None:
    store = open_store("sqlite:///var/state.db", base_dir=tmp_path)
    store.close()
    assert (tmp_path / "var" / "state.db").exists()
