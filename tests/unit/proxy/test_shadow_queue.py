"""The bounded shadow queue: never blocks or fails the caller, sheds load when full, counts
what it drops, and survives a hanging or failing new side."""

from __future__ import annotations

import asyncio

from prometheus_client import generate_latest

from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import Response
from proxy.parity.cases import ParityRequest
from proxy.shadow_queue import ShadowJob, ShadowQueue

OK = Response(200, (("content-type", "application/json"),), b'{"id": 1}')


def job(n: int = 0) -> ShadowJob:
    return ShadowJob("GET /api/products", ParityRequest("GET", f"/api/products?n={n}"), OK)


async def hanging(job: ShadowJob) -> Response:
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


async def failing(job: ShadowJob) -> Response:
    raise ConnectionError("new side is down")


async def answering(job: ShadowJob) -> Response:
    return OK


def test_offering_to_a_hanging_shadow_returns_at_once_and_sheds_the_overflow() -> None:
    async def scenario() -> None:
        queue = ShadowQueue(hanging, max_pending=10, concurrency=2, timeout=60)
        queue.start()
        await asyncio.sleep(0)
        accepted = [queue.offer(job(n)) for n in range(1000)]
        await asyncio.sleep(0)  # the two workers take one job each
        accepted += [queue.offer(job(n)) for n in range(2)]
        assert accepted.count(True) == 12
        assert queue.counts.dropped == 990
        await queue.close()
        assert queue.counts.dropped == 1000  # the 10 still waiting are dropped at close

    asyncio.run(scenario())


def test_a_hanging_shadow_times_out_and_is_counted() -> None:
    async def scenario() -> None:
        queue = ShadowQueue(hanging, timeout=0.05)
        queue.start()
        queue.offer(job())
        await queue.join()
        assert (queue.counts.timeout, queue.counts.answered) == (1, 0)
        await queue.close()

    asyncio.run(scenario())


def test_a_failing_shadow_is_counted_and_the_queue_goes_on() -> None:
    async def scenario() -> None:
        queue = ShadowQueue(failing)
        queue.start()
        for n in range(5):
            assert queue.offer(job(n)) is True
        await queue.join()
        assert queue.counts.failed == 5
        await queue.close()

    asyncio.run(scenario())


def test_answers_are_handed_to_the_comparison_with_legacy_s_answer() -> None:
    async def scenario() -> None:
        seen: list[tuple[str, int, int]] = []

        def compare(shadowed: ShadowJob, answer: Response) -> None:
            seen.append((shadowed.request.target, shadowed.legacy.status, answer.status))

        queue = ShadowQueue(answering, on_answer=compare)
        queue.start()
        queue.offer(job(7))
        await queue.join()
        assert seen == [("/api/products?n=7", 200, 200)]
        await queue.close()

    asyncio.run(scenario())


def test_a_comparison_that_raises_does_not_stop_the_queue() -> None:
    async def scenario() -> None:
        def broken(shadowed: ShadowJob, answer: Response) -> None:
            raise ValueError("bug in the comparison")

        queue = ShadowQueue(answering, on_answer=broken)
        queue.start()
        queue.offer(job(1))
        queue.offer(job(2))
        await queue.join()
        assert queue.counts.answered == 2
        await queue.close()

    asyncio.run(scenario())


def test_a_closed_queue_drops_and_counts_what_it_is_offered() -> None:
    async def scenario() -> None:
        queue = ShadowQueue(answering)
        assert queue.offer(job()) is False
        assert queue.counts.dropped == 1

    asyncio.run(scenario())


def test_drops_and_outcomes_are_metrics() -> None:
    async def scenario() -> CutoverMetrics:
        metrics = CutoverMetrics()
        queue = ShadowQueue(failing, max_pending=1, concurrency=1, metrics=metrics)
        queue.start()
        queue.offer(job(1))
        queue.offer(job(2))  # the worker has not taken the first yet: full
        await queue.join()
        await queue.close()
        return metrics

    text = generate_latest(asyncio.run(scenario()).registry).decode()
    route = 'route="GET /api/products"'
    assert f'strangler_shadow_dropped_total{{reason="queue_full",{route}}} 1.0' in text
    assert f'strangler_shadow_sent_total{{outcome="failed",{route}}} 1.0' in text
    assert f"strangler_shadow_enqueued_total{{{route}}} 1.0" in text


def test_sends_that_ignore_their_timeout_are_abandoned_and_then_shed_as_stuck() -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def stubborn(job: ShadowJob) -> Response:  # like a handler blocked on a thread
            while not release.is_set():
                try:
                    await release.wait()
                except asyncio.CancelledError:
                    continue
            return OK

        queue = ShadowQueue(stubborn, timeout=0.01, concurrency=2, max_abandoned=2)
        queue.start()
        queue.offer(job(1))
        queue.offer(job(2))
        await queue.join()  # the workers gave up on both and went on
        assert (queue.counts.timeout, queue.abandoned) == (2, 2)
        assert queue.offer(job(3)) is False
        assert queue.counts.dropped == 1
        release.set()
        for _ in range(10):
            await asyncio.sleep(0)
        assert queue.abandoned == 0
        assert queue.offer(job(4)) is True
        await queue.close()

    asyncio.run(scenario())


def test_a_deferred_job_that_cannot_be_built_counts_as_failed_and_the_queue_goes_on() -> None:
    from proxy.shadow_queue import Deferred

    def broken() -> ShadowJob:
        raise ValueError("a header that does not decode")

    async def scenario() -> None:
        queue = ShadowQueue(answering, concurrency=1)
        queue.start()
        queue.offer(Deferred("GET /api/products", broken))
        queue.offer(Deferred("GET /api/products", job))
        await queue.join()
        assert (queue.counts.failed, queue.counts.answered) == (1, 1)
        await queue.close()

    asyncio.run(scenario())
