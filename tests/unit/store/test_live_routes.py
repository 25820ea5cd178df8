"""The file gives the initial mode, the store the live one; a command line picks one route."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from proxy.store import Desired, RouteKey, StateStore, StoreSettings, default_store_url
from proxy.store.live import UnknownRoute, live_mode, live_routes, pick_route


@dataclass(frozen=True)
class Entry:
    path: str
    methods: tuple[str, ...]
    mode: str


ENTRIES = [
    Entry("/api/products", ("GET",), "new"),
    Entry("/api/products", ("POST", "PUT"), "legacy"),
    Entry("/api/orders", ("GET",), "legacy"),
]


def test_a_route_the_store_does_not_know_runs_as_the_file_says(store: StateStore) -> None:
    assert live_mode(ENTRIES[2], store.read_all()) == ("legacy", 0)


def test_once_the_store_has_a_mode_it_wins_over_the_file(store: StateStore) -> None:
    store.compare_and_set(RouteKey.of("/api/orders", ["GET"]), 0, Desired("canary", 5), who="a")
    assert live_mode(ENTRIES[2], store.read_all()) == ("canary", 5)
    orders = live_routes(ENTRIES, store.read_all())[2]
    assert (orders.configured_mode, orders.mode, orders.version) == ("legacy", "canary", 1)
    assert orders.differs_from_file


def test_two_entries_of_one_path_are_two_routes(store: StateStore) -> None:
    store.compare_and_set(RouteKey.of("/api/products", ["PUT", "POST"]), 0, Desired("shadow"),
                          who="a")  # fmt: skip
    modes = [route.mode for route in live_routes(ENTRIES, store.read_all())]
    assert modes == ["new", "shadow", "legacy"]


def test_a_path_with_one_entry_needs_no_method() -> None:
    assert pick_route(ENTRIES, "/api/orders") is ENTRIES[2]


def test_a_path_with_several_entries_needs_a_method() -> None:
    with pytest.raises(UnknownRoute, match="pick one with --method"):
        pick_route(ENTRIES, "/api/products")
    assert pick_route(ENTRIES, "/api/products", "put") is ENTRIES[1]
    with pytest.raises(UnknownRoute, match="no entry for DELETE"):
        pick_route(ENTRIES, "/api/products", "DELETE")


def test_an_unknown_route_lists_the_near_matches() -> None:
    with pytest.raises(UnknownRoute, match="did you mean /api/orders"):
        pick_route(ENTRIES, "/api/order")


def test_the_default_store_is_a_file_beside_the_config(tmp_path: object) -> None:
    from pathlib import Path

    config = Path(str(tmp_path)) / "strangler.toml"
    assert default_store_url(config) == f"sqlite:///{config.parent / 'strangler.state.db'}"


def test_the_store_url_is_sqlite_or_redis() -> None:
    assert StoreSettings(url="redis://127.0.0.1:6379/0").url == "redis://127.0.0.1:6379/0"
    with pytest.raises(ValueError, match="SQLite"):
        StoreSettings(url="postgresql://x/y")
