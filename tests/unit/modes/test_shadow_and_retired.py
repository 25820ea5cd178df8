"""`shadow`: legacy answers the client, through the front's mirror; `retired`: the front answers
404 and no spelling of the path reaches the legacy handler."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from proxy.modes import Call
from proxy.modes.base import SideCall
from proxy.store import StateStore
from tests.unit.modes.conftest import CONFIG, ITEMS, Client, with_mode

pytestmark = pytest.mark.anyio


class RecordingMirror:
    def __init__(self) -> None:
        self.mirrored: list[str] = []

    async def answer_and_mirror(self, call: Call, legacy: SideCall) -> None:
        await legacy(call)
        self.mirrored.append(call.route.path)


async def test_shadow_is_answered_by_legacy(make_front: Callable[..., Client]) -> None:
    client = make_front(with_mode("shadow"))

    response = await client.get(ITEMS)

    assert response.json()["side"] == "legacy"


async def test_shadow_goes_through_the_fronts_mirror(make_front: Callable[..., Client]) -> None:
    client = make_front(with_mode("shadow"))
    mirror = client.front.mirror = RecordingMirror()  # type: ignore[attr-defined]

    await client.get(ITEMS)
    await client.get("/api/items/3")  # a legacy route: not mirrored

    assert mirror.mirrored == [ITEMS]


async def test_retired_is_404_from_the_front_by_any_spelling(
    make_front: Callable[..., Client],
) -> None:
    client = make_front(CONFIG)

    for path in ("/api/old", "/API/old", "/api/old/"):
        response = await client.get(path)
        assert response.status_code in (400, 404), path
        assert response.json()["error"] in ("not_found", "ambiguous_path")
    assert (await client.head("/api/old")).status_code == 404


async def test_the_front_starts_its_cutover_loop_and_shadow_in_the_lifespan(
    make_front: Callable[..., Client], store: StateStore
) -> None:
    client = make_front(with_mode("shadow"), state=store)
    runtime = client.front.cutover  # type: ignore[attr-defined]
    await runtime.start(store)
    try:
        assert runtime.loop is not None and runtime.loop._task is not None
        assert runtime.shadow is not None and runtime.shadow.queue._open
    finally:
        await runtime.stop()
