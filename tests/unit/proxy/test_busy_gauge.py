"""The busy gauge: shadow work waits for the worker's quiet moments, and the client requests
that come and go meanwhile do not wake every waiting job."""

from __future__ import annotations

import asyncio

from proxy.shadow_queue import BusyGauge


def test_a_quiet_worker_lets_shadow_work_go_at_once() -> None:
    async def scenario() -> None:
        gauge = BusyGauge()
        await asyncio.wait_for(gauge.wait_at_most(0), timeout=1)

    asyncio.run(scenario())


def test_waiting_jobs_go_once_the_worker_is_quiet() -> None:
    async def scenario() -> None:
        gauge = BusyGauge()
        gauge.enter()
        waiting = [asyncio.create_task(gauge.wait_at_most(0)) for _ in range(3)]
        await asyncio.sleep(0.01)
        assert not any(task.done() for task in waiting)
        gauge.leave()
        await asyncio.wait_for(asyncio.gather(*waiting), timeout=1)

    asyncio.run(scenario())


def test_a_request_that_leaves_a_busy_worker_wakes_no_waiting_job() -> None:
    async def scenario() -> None:
        gauge = BusyGauge()
        gauge.enter()
        waiting = [asyncio.create_task(gauge.wait_at_most(0)) for _ in range(4)]
        await asyncio.sleep(0.01)
        woken = 0
        original = gauge._changed.set

        def counted() -> None:
            nonlocal woken
            woken += 1
            original()

        gauge._changed.set = counted  # type: ignore[method-assign]
        for _ in range(100):  # other clients come and go; one request stays in flight
            gauge.enter()
            gauge.leave()
            await asyncio.sleep(0)
        assert woken == 0
        assert not any(task.done() for task in waiting)
        gauge.leave()
        await asyncio.wait_for(asyncio.gather(*waiting), timeout=1)

    asyncio.run(scenario())
