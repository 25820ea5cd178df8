"""strangler.toml gives a route's initial mode, the store holds the live one: the store's mode
wins across restarts and edits of the file, a change reaches a running front without a restart,
and a live mode the migrated app cannot serve is refused (SQLite and real Redis stores)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from structlog.testing import capture_logs

from proxy.store import Desired, RouteKey, StateStore
from tests.unit.modes.conftest import CONFIG, ITEMS, Client, with_mode
from tests.unit.store.conftest import StoreFactory

pytestmark = pytest.mark.anyio
ITEMS_KEY = RouteKey.of(ITEMS, ["GET"])


async def side(client: Client, path: str = ITEMS) -> str:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return str(response.json()["side"])


async def test_a_route_the_store_does_not_know_starts_from_the_file(
    make_front: Callable[..., Client], store: StateStore
) -> None:
    client = make_front(with_mode("new"), state=store)

    assert await side(client) == "new"


async def test_the_stores_mode_wins_over_the_file(
    make_front: Callable[..., Client], store: StateStore
) -> None:
    store.compare_and_set(ITEMS_KEY, 0, Desired("new"), who="ana")

    client = make_front(CONFIG, state=store)  # the file says legacy

    assert await side(client) == "new"


async def test_the_stores_mode_survives_a_restart_and_an_edit_of_the_file(
    make_front: Callable[..., Client], open_fresh_store: StoreFactory
) -> None:
    first = make_front(CONFIG, state=open_fresh_store())
    open_fresh_store().compare_and_set(ITEMS_KEY, 0, Desired("new"), who="ana")
    first.front.live.watcher.refresh()  # type: ignore[attr-defined]
    assert await side(first) == "new"

    restarted = make_front(with_mode("canary", 0), state=open_fresh_store())

    assert await side(restarted) == "new"


async def test_a_change_reaches_a_running_front_without_a_restart(
    make_front: Callable[..., Client], open_fresh_store: StoreFactory
) -> None:
    client = make_front(CONFIG, state=open_fresh_store())
    assert await side(client) == "legacy"

    open_fresh_store().compare_and_set(ITEMS_KEY, 0, Desired("new"), who="ana")
    client.front.live.watcher.refresh()  # type: ignore[attr-defined]  # one poll of the watcher
    assert await side(client) == "new"

    open_fresh_store().compare_and_set(ITEMS_KEY, 1, Desired("retired"), who="ana")
    client.front.live.watcher.refresh()  # type: ignore[attr-defined]
    assert (await client.get(ITEMS)).status_code == 404


async def test_a_live_canary_weight_is_applied(
    make_front: Callable[..., Client], store: StateStore
) -> None:
    store.compare_and_set(ITEMS_KEY, 0, Desired("canary", 100), who="ana")

    client = make_front(CONFIG, state=store)

    assert await side(client) == "new"


async def test_a_live_mode_without_a_migrated_handler_is_refused_and_logged(
    make_front: Callable[..., Client], store: StateStore
) -> None:
    text = CONFIG + '\n[[routes]]\npath = "/api/only-legacy"\nmethods = ["GET"]\n'
    store.compare_and_set(RouteKey.of("/api/only-legacy", ["GET"]), 0, Desired("new"), who="ana")

    with capture_logs() as logs:
        client = make_front(text, state=store)

    assert await side(client, "/api/only-legacy") == "legacy"
    [refused] = [log for log in logs if log["event"] == "live_mode_refused"]
    assert (refused["route"], refused["live"], refused["kept"]) == (
        "GET /api/only-legacy", "new", "legacy",
    )  # fmt: skip
    assert "no handler for GET" in refused["reason"]


async def test_the_front_logs_each_difference_from_the_file_at_start_up(
    make_front: Callable[..., Client], store: StateStore
) -> None:
    store.compare_and_set(ITEMS_KEY, 0, Desired("canary", 30), who="ana")

    with capture_logs() as logs:
        make_front(CONFIG, state=store)

    differences = [log for log in logs if log["event"] == "live_mode_differs_from_file"]
    assert [(d["route"], d["configured"], d["live"], d["weight"]) for d in differences] == [
        ("GET /api/items", "legacy", "canary", 30)
    ]


async def test_a_front_without_a_store_serves_the_files_modes(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(with_mode("new"))

    assert client.front.live.store is None  # type: ignore[attr-defined]
    assert await side(client) == "new"


async def test_a_route_retired_live_is_unreachable_by_any_spelling_at_once(
    make_front: Callable[..., Client], open_fresh_store: StoreFactory
) -> None:
    client = make_front(CONFIG, state=open_fresh_store())
    assert (await client.get("/API/items")).status_code == 404  # legacy's own 404, cached
    assert (await client.head(ITEMS)).status_code == 200  # legacy answers HEAD of a GET route

    open_fresh_store().compare_and_set(ITEMS_KEY, 0, Desired("retired"), who="ana")
    client.front.live.watcher.refresh()  # type: ignore[attr-defined]

    assert (await client.get("/API/items")).json()["error"] == "ambiguous_path"
    assert (await client.head(ITEMS)).status_code == 404


async def test_a_change_seen_live_is_logged_once_and_the_start_up_read_is_not(
    make_front: Callable[..., Client], open_fresh_store: StoreFactory
) -> None:
    open_fresh_store().compare_and_set(ITEMS_KEY, 0, Desired("shadow"), who="ana")
    with capture_logs() as logs:
        client = make_front(CONFIG, state=open_fresh_store())
        open_fresh_store().compare_and_set(ITEMS_KEY, 1, Desired("new"), who="ana")
        client.front.live.watcher.refresh()  # type: ignore[attr-defined]

    applied = [log for log in logs if log["event"] == "live_mode_applied"]
    assert [(log["was"], log["mode"], log["version"]) for log in applied] == [("shadow", "new", 2)]


async def test_a_store_down_at_start_up_leaves_the_files_modes_in_force(
    make_front: Callable[..., Client],
) -> None:
    from proxy.store import open_store
    from tests.unit.cli.conftest import unused_port

    down = open_store(f"redis://127.0.0.1:{unused_port()}/0")
    with capture_logs() as logs:
        client = make_front(with_mode("new"), state=down)

    assert await side(client) == "new"
    assert "store_unreachable_at_start" in [log["event"] for log in logs]
