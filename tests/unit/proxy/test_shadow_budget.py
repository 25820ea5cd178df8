"""The shadow's budget (proxy/shadow_budget.py): a share of the worker's spare time, charged with
what the shadow's work takes; a request is mirrored only while the budget holds more than what
the mirrored requests still outstanding are expected to cost. The clock and the worker's CPU
time are given by the tests."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import generate_latest

from proxy.cutover_metrics import CutoverMetrics
from proxy.settings import parse_settings
from proxy.shadow import Shadow
from proxy.shadow_budget import (
    BURST_SECONDS,
    FIRST_ESTIMATE,
    FIRST_REQUEST_COST,
    TICKS_PER_SECOND,
    WINDOW_SECONDS,
    IdleCores,
    ShadowBudget,
    can_see_idle_cores,
    idle_cores,
    idle_seconds,
)
from proxy.shadow_settings import ShadowSettings
from tests.unit.proxy.test_shadow import LEGACY, ROUTE, json_app, serve


class Clocks:
    """The wall clock and the worker's CPU time, moved by the test."""

    def __init__(self) -> None:
        self.now = 100.0
        self.cpu = 10.0

    def wall(self) -> float:
        return self.now

    def process(self) -> float:
        return self.cpu

    def run(self, seconds: float, busy: float) -> None:
        """`seconds` pass, the worker `busy` (0-1) of them."""
        self.now += seconds
        self.cpu += seconds * busy


def budget(share: float = 0.1) -> tuple[ShadowBudget, Clocks]:
    clocks = Clocks()
    return ShadowBudget(share, clock=clocks.wall, process_cpu=clocks.process), clocks


def test_a_fresh_budget_allows_a_mirror() -> None:
    fresh, _ = budget()
    assert fresh.allows()


def test_the_bucket_holds_the_share_of_a_burst() -> None:
    fresh, _ = budget(0.1)
    assert fresh.capacity == pytest.approx(0.1 * BURST_SECONDS)


def test_spending_past_the_bucket_stops_mirroring() -> None:
    spent, _ = budget()
    spent.charge(spent.capacity + 0.001)
    assert not spent.allows()


def test_an_idle_worker_refills_at_the_share_of_its_time() -> None:
    spent, clocks = budget(0.1)
    spent.charge(spent.capacity + 0.010)  # 10 ms in debt
    clocks.run(0.09, busy=0.0)  # 9 ms of refill at 0.1 of an idle worker: still in debt
    assert not spent.allows()
    clocks.run(0.02, busy=0.0)
    assert spent.allows()


def test_the_refill_is_the_share_of_what_the_worker_has_to_spare() -> None:
    spent, clocks = budget(0.1)
    clocks.run(WINDOW_SECONDS, busy=0.7)  # measured: 30 % to spare
    spent.allows()
    assert spent.spare == pytest.approx(0.3)
    spent.charge(spent.tokens + 0.003)  # 3 ms in debt
    clocks.run(0.09, busy=0.7)  # 0.1 x 0.3 x 90 ms = 2.7 ms
    assert not spent.allows()
    clocks.run(0.02, busy=0.7)
    assert spent.allows()


def test_a_worker_whose_core_other_jobs_take_has_only_the_core_s_idle_time_to_spare() -> None:
    clocks = Clocks()
    idle = [0.0]
    shared = ShadowBudget(0.1, clock=clocks.wall, process_cpu=clocks.process, idle=lambda: idle[0])
    clocks.run(WINDOW_SECONDS, busy=0.2)  # the worker uses 20 % of its core ...
    idle[0] += 0.05 * WINDOW_SECONDS  # ... and other jobs all but 5 % of the rest
    shared.allows()
    assert shared.spare == pytest.approx(0.05)


def test_idle_cores_counts_the_idle_time_of_the_cores_this_process_may_run_on() -> None:
    if not can_see_idle_cores():
        pytest.skip("no /proc/stat here")
    first = idle_cores()
    assert 0 <= first <= idle_cores()


def test_the_kept_open_reader_of_idle_time_reads_what_a_fresh_read_does() -> None:
    if not can_see_idle_cores():
        pytest.skip("no /proc/stat here")
    kept = IdleCores()
    first = kept()
    fresh = idle_cores()
    assert 0 < first <= fresh <= kept()


def test_idle_time_is_summed_over_the_allowed_cores_only() -> None:
    stat = (b"cpu  10 0 10 900 100 0 0 0 0 0\ncpu0 5 0 5 400 50 0 0 0 0 0\n"
            b"cpu1 5 0 5 500 50 0 0 0 0 0\nintr 1 2 3\ncpu9 0 0 0 7 7\n")  # fmt: skip
    assert idle_seconds(stat, {1}) == pytest.approx(550 / TICKS_PER_SECOND)
    assert idle_seconds(stat, {0, 1}) == pytest.approx(1000 / TICKS_PER_SECOND)


def test_a_worker_with_nothing_to_spare_mirrors_nothing_more() -> None:
    spent, clocks = budget(0.1)
    clocks.run(WINDOW_SECONDS, busy=1.0)
    spent.allows()
    spent.charge(spent.tokens + 1e-6)
    clocks.run(10.0, busy=1.0)
    assert not spent.allows()
    assert spent.spare == 0.0


def test_outstanding_mirrors_count_at_their_expected_cost() -> None:
    fresh, _ = budget(0.1)  # 50 ms in the bucket, 0.2 ms expected per mirrored request
    room = int(fresh.capacity / FIRST_ESTIMATE)
    assert fresh.allows(outstanding=room - 1)
    assert not fresh.allows(outstanding=room)


def test_a_request_costs_the_worker_s_cpu_time_over_the_requests_it_started() -> None:
    started = [0]
    clocks = Clocks()
    measured = ShadowBudget(
        0.1, clock=clocks.wall, process_cpu=clocks.process, requests=lambda: started[0]
    )
    started[0] = 100
    clocks.run(WINDOW_SECONDS, busy=0.4)  # 100 ms of CPU for 100 requests
    measured.allows()
    assert measured.request_cost == pytest.approx(0.001)


def test_the_expected_cost_is_the_average_charged_per_finished_mirror() -> None:
    measured, _ = budget()
    for _ in range(10):
        measured.charge(0.0005)
        measured.finish()
    assert measured.estimate == pytest.approx(0.0005)


def test_metered_work_returns_its_value_and_is_charged_the_time_of_its_steps() -> None:
    async def work() -> int:
        total = 0
        for _ in range(3):
            total += sum(range(20_000))
            await asyncio.sleep(0)
        return total

    async def scenario() -> None:
        measured, _ = budget()
        started = time.perf_counter()
        value = await measured.metered(work())
        assert value == 3 * sum(range(20_000))
        assert 0 < measured.spent <= time.perf_counter() - started

    asyncio.run(scenario())


def test_metered_work_is_not_charged_the_time_it_waits_between_steps() -> None:
    reads = iter([0.0, 0.001, 5.0, 5.002])  # two steps of 1 and 2 ms, five seconds apart

    async def work() -> None:
        await asyncio.sleep(0)

    async def scenario() -> None:
        measured = ShadowBudget(0.1, step_clock=lambda: next(reads))
        await measured.metered(work())
        assert measured.spent == pytest.approx(0.003)

    asyncio.run(scenario())


def test_metered_work_raises_its_errors() -> None:
    async def failing() -> None:
        await asyncio.sleep(0)
        raise ValueError("the new side failed")

    async def scenario() -> None:
        measured, _ = budget()
        with pytest.raises(ValueError, match="new side failed"):
            await measured.metered(failing())

    asyncio.run(scenario())


def test_a_metered_task_is_cancelled_like_its_work() -> None:
    async def scenario() -> None:
        seen: list[str] = []

        async def hanging() -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise

        measured, _ = budget()
        task = asyncio.ensure_future(measured.metered(hanging()))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert seen == ["cancelled"]

    asyncio.run(scenario())


def budgeted_shadow(share: ShadowBudget, noise_warmup: int = 0) -> Shadow:
    settings = ShadowSettings(noise_warmup=noise_warmup, noise_sample=0.0)
    new_app: Any = json_app(lambda scope: {"id": 1, "name": "pen"})
    legacy: Any = LEGACY
    return Shadow(settings, new_app=new_app, legacy_app=legacy, metrics=CutoverMetrics(),
                  budget=share)  # fmt: skip


def spent_shadow() -> Shadow:
    spent, _ = budget()
    spent.charge(1.0)  # deep in debt: no time to spare
    return budgeted_shadow(spent)


def test_over_budget_the_client_gets_legacy_s_answer_and_nothing_is_mirrored() -> None:
    async def scenario() -> None:
        shadow = spent_shadow()
        await shadow.start()
        client = await serve(shadow)
        await shadow.queue.join()
        assert (client.status, json.loads(client.answer)) == (200, {"id": 1, "name": "pen"})
        counts = shadow.counts[ROUTE.key]
        assert (counts.mirrored, counts.compared) == (0, 0)
        await shadow.close()

    asyncio.run(scenario())


def test_over_budget_requests_are_counted_as_dropped_for_the_budget() -> None:
    async def scenario() -> None:
        shadow = spent_shadow()
        await shadow.start()
        for _ in range(3):
            await serve(shadow)
        counts = shadow.counts[ROUTE.key]
        assert (counts.dropped, counts.over_budget) == (3, 3)
        assert shadow.report()[ROUTE.key]["over_budget"] == 3
        assert shadow.metrics is not None
        metrics = generate_latest(shadow.metrics.registry).decode()
        assert 'strangler_shadow_dropped_total{reason="budget",route="GET /api/items"} 3.0' in (
            metrics
        )
        await shadow.close()

    asyncio.run(scenario())


def test_within_budget_requests_are_mirrored_compared_and_charged() -> None:
    async def scenario() -> None:
        share, _ = budget()
        shadow = budgeted_shadow(share)
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        counts = shadow.counts[ROUTE.key]
        assert (counts.compared, counts.differed, counts.over_budget) == (1, 0, 0)
        assert share.spent > 0 and share.finished == 1
        await shadow.close()

    asyncio.run(scenario())


def test_a_noise_sample_is_charged_what_a_request_costs_the_worker() -> None:
    async def scenario() -> None:
        share, _ = budget()
        shadow = budgeted_shadow(share, noise_warmup=1)  # legacy asked twice
        await shadow.start()
        await serve(shadow)
        await shadow.queue.join()
        assert shadow.counts[ROUTE.key].noise_samples == 1
        assert share.spent >= FIRST_REQUEST_COST
        await shadow.close()

    asyncio.run(scenario())


def test_the_documented_shadow_table_sets_the_budget() -> None:
    page = (Path(__file__).resolve().parents[3] / "docs" / "ops.md").read_text()
    blocks = re.findall(r"```toml\n(.*?)```", page, re.DOTALL)
    shadow_table = next(block for block in blocks if block.startswith("[shadow]"))

    settings = parse_settings('[legacy]\napp = "a:b"\n' + shadow_table)

    assert settings.shadow.budget == 0.05 == ShadowSettings().budget  # the default, as shown


def test_a_refusal_on_the_event_loop_closes_the_budget_until_a_timer_reopens_it() -> None:
    async def scenario() -> tuple[bool, bool]:
        spent, _ = budget(0.1)
        spent.charge(spent.capacity + 0.001)  # 1 ms in debt: 10 ms of refill at 0.1
        spent.allows()
        closed_at_once = spent.closed
        for _ in range(200):  # a generous deadline, not a timed assertion
            if not spent.closed:
                break
            await asyncio.sleep(0.01)
        return closed_at_once, spent.closed

    assert asyncio.run(scenario()) == (True, False)


def test_without_an_event_loop_a_refusal_leaves_each_request_to_ask() -> None:
    spent, _ = budget()
    spent.charge(spent.capacity + 0.001)
    assert not spent.allows()
    assert not spent.closed


def test_a_closed_budget_sheds_without_asking_for_the_refill() -> None:
    async def scenario() -> None:
        shadow = spent_shadow()
        assert shadow.budget is not None
        shadow.budget.tokens = shadow.budget.capacity  # room, but closed by an earlier refusal
        shadow.budget.closed = True
        assert not shadow.takes(ROUTE, "GET")
        counts = shadow.counts[ROUTE.key]
        assert (counts.dropped, counts.over_budget) == (1, 1)

    asyncio.run(scenario())
