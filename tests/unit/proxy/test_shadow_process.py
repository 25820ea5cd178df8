"""The shadow's child process: it answers and compares as the inline new side does, at idle
priority; when it dies its pending requests fail (counted by the shadow) and it is started again."""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import subprocess
import sys
from typing import Any

import pytest

from proxy import shadow_process
from proxy.diff import Response
from proxy.parity.cases import ParityRequest
from proxy.shadow_call import Connection
from proxy.shadow_process import NewSideFailed, ProcessNewSide, ShadowProcessError
from proxy.shadow_side import InlineNewSide, Mirrored, ShadowResult
from tests.unit.proxy.apps import migrated_app

APP = "tests.unit.proxy.apps:migrated_app"
LEGACY_APP = "tests.unit.proxy.apps:flask_app"
LEGACY = Response(
    200, (("content-type", "application/json"),), b'{"side": "legacy", "items": [1, 2]}'
)


def mirrored(path: str = "/api/items", legacy: Response = LEGACY, **more: Any) -> Mirrored:
    request = ParityRequest("GET", path, (("host", "shop.example"),))
    return Mirrored("GET /api/items", ((), ()), request, Connection(), legacy, **more)


def test_the_child_answers_as_the_inline_side_does() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(APP)
        await side.start()
        try:
            in_child = await side.answer(mirrored())
        finally:
            await side.close()
        inline = await InlineNewSide(migrated_app).answer(mirrored())
        assert (in_child.status, in_child.differed, in_child.differences) == (
            inline.status, inline.differed, inline.differences,
        )  # fmt: skip
        assert in_child.differences == ('$.side: "legacy" != "new"',)

    asyncio.run(scenario())


# Legacy's first answer says "old" where its second (the legacy app's own) says "legacy": the
# field is noise, and the new side's "new" there is not counted as a difference.
LEGACY_FIRST = Response(
    200, (("content-type", "application/json"),), b'{"side": "old", "items": [1, 2]}'
)


def test_the_child_asks_legacy_again_itself_on_the_noise_sample() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(APP, legacy_reference=LEGACY_APP)
        assert side.asks_legacy
        try:
            result = await side.answer(mirrored(legacy=LEGACY_FIRST, ask_legacy_again=True))
        finally:
            await side.close()
        assert (result.noise_learnt, result.differed, result.noise) == (True, False, True)

    asyncio.run(scenario())


def test_without_the_noise_sample_the_child_does_not_ask_legacy() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(APP, legacy_reference=LEGACY_APP)
        try:
            result = await side.answer(mirrored(legacy=LEGACY_FIRST))
        finally:
            await side.close()
        assert (result.noise_learnt, result.differed) == (False, True)

    asyncio.run(scenario())


def test_a_child_that_cannot_load_legacy_says_so_and_still_compares() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(APP, legacy_reference="no_such_module:app")
        try:
            result = await side.answer(mirrored(ask_legacy_again=True))
        finally:
            await side.close()
        assert (result.no_legacy, result.noise_learnt, result.status) == (True, False, 200)
        assert result.differences == ('$.side: "legacy" != "new"',)

    asyncio.run(scenario())


def test_the_child_runs_at_idle_priority() -> None:
    async def scenario() -> int:
        side = ProcessNewSide(APP)
        await side.start()
        try:
            await side.answer(mirrored())  # loaded and running
            assert side.pid is not None
            return os.sched_getscheduler(side.pid)
        finally:
            await side.close()

    assert asyncio.run(scenario()) == os.SCHED_IDLE


def test_a_dead_child_fails_its_requests_and_is_started_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shadow_process, "RESTART_SECONDS", 0.0)

    async def scenario() -> None:
        side = ProcessNewSide(APP)
        await side.start()
        try:
            await side.answer(mirrored())
            first = side.pid
            assert first is not None
            os.kill(first, signal.SIGKILL)
            for _ in range(200):  # the end of its pipe is noticed
                if side.pid is None:
                    break
                await asyncio.sleep(0.05)
            again = await side.answer(mirrored())  # a new child
            assert again.status == 200
            assert side.pid is not None and side.pid != first
        finally:
            await side.close()

    asyncio.run(scenario())


def test_an_app_that_cannot_be_loaded_fails_each_request_without_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario() -> None:
        side = ProcessNewSide("no_such_module:app")
        await side.start()
        try:
            with pytest.raises(ShadowProcessError):
                await side.answer(mirrored())
            with pytest.raises(ShadowProcessError, match="down"):
                await side.answer(mirrored())  # not restarted at once
        finally:
            await side.close()

    asyncio.run(scenario())


def test_the_child_is_started_by_the_first_request_when_not_before() -> None:
    async def scenario() -> None:
        side = ProcessNewSide(APP)
        assert side.pid is None
        try:
            assert (await side.answer(mirrored())).status == 200
        finally:
            await side.close()

    asyncio.run(scenario())


def child_cores(pinned: set[int]) -> list[int]:
    """The cores `any_core` leaves a child whose worker is pinned to `pinned`."""
    script = (
        f"import os; os.sched_setaffinity(0, {pinned!r}); "
        "from proxy.shadow_process import any_core; any_core(); "
        "print(sorted(os.sched_getaffinity(0)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return [int(core) for core in result.stdout.strip()[1:-1].split(",")]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two cores")
def test_the_idle_child_of_a_pinned_worker_runs_on_the_other_cores() -> None:
    allowed = os.sched_getaffinity(0)
    pinned = {min(allowed)}
    assert child_cores(pinned) == sorted(allowed - pinned)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")
def test_the_idle_child_of_a_worker_on_every_core_runs_on_every_core() -> None:
    everywhere = set(range(os.cpu_count() or 1))
    if os.sched_getaffinity(0) != everywhere:
        pytest.skip("this test process is not allowed every core")
    assert child_cores(everywhere) == sorted(everywhere)


def test_a_request_in_progress_when_the_child_dies_fails_with_the_shadow_s_own_error() -> None:
    async def scenario() -> None:
        # The child asks legacy's /hang first (the noise sample), so it is still answering.
        side = ProcessNewSide(APP, legacy_reference=LEGACY_APP, legacy_timeout=600)
        await side.start()
        try:
            await side.answer(mirrored())  # loaded and running
            outcomes: list[tuple[Any, Exception | None]] = []
            hanging = mirrored("/hang", ask_legacy_again=True)
            assert side.submit(hanging, lambda result, error: outcomes.append((result, error)))
            assert side.pid is not None
            os.kill(side.pid, signal.SIGKILL)
            for _ in range(200):
                if outcomes:
                    break
                await asyncio.sleep(0.05)
            ((result, error),) = outcomes
            assert result is None and isinstance(error, ShadowProcessError)
        finally:
            await side.close()

    asyncio.run(scenario())


def test_a_child_that_is_not_running_takes_no_request_by_hand() -> None:
    side = ProcessNewSide(APP)
    assert not side.ready
    assert side.submit(mirrored(), lambda result, error: None) is False


def side_for(legacy: str = "", shadow: str = "") -> Any:
    from proxy.cutover_runtime import new_side_for
    from proxy.settings import parse_settings

    settings = parse_settings(
        f'[legacy]\napp = "shop:legacy"\n{legacy}[migrated]\napp = "shop:new"\n[shadow]\n{shadow}'
    )
    return new_side_for(settings, migrated_app)


def test_the_front_s_child_gets_the_legacy_app_to_ask_again() -> None:
    side = side_for(shadow="timeout = 2.0\n")
    assert (side.legacy_reference, side.legacy_timeout, side.asks_legacy) == (
        "shop:legacy", 0.5, True,
    )  # fmt: skip


def test_with_the_a2wsgi_bridge_or_inline_the_worker_asks_legacy_again() -> None:
    assert not side_for(legacy='bridge = "a2wsgi"\n').asks_legacy
    assert not side_for(shadow='isolation = "inline"\n').asks_legacy


def frame(value: Any) -> bytes:
    data = pickle.dumps(value)
    return shadow_process.HEADER.pack(len(data)) + data


def test_answers_read_together_each_reach_their_request_a_garbled_one_as_an_error() -> None:
    async def scenario() -> list[tuple[Any, ...]]:
        side = ProcessNewSide(APP)
        pipes = shadow_process._ChildPipes(side, asyncio.get_running_loop())
        outcomes: list[tuple[Any, ...]] = []
        for number in (1, 2, 3):
            pipes.pending[number] = lambda result, error, n=number: outcomes.append(
                (n, result, error)
            )
        good = ShadowResult(200, 0.01, False, False).to_wire()
        data = frame((1, "result", ("not", "a result"))) + frame((2, "result", good))
        pipes.pipe_data_received(1, data[:7])  # frames arrive in pieces
        pipes.pipe_data_received(1, data[7:] + frame((3, "failed", "RuntimeError: boom")))
        return outcomes

    (first, second, third) = asyncio.run(scenario())
    assert first[0] == 1 and isinstance(first[2], ShadowProcessError)
    assert second[0] == 2 and second[1].status == 200 and second[2] is None
    assert third[0] == 3 and isinstance(third[2], NewSideFailed)
