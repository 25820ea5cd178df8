"""The bounded shadow queue: never blocks or fails the caller, sheds load when full, counts
what it drops, and survives a hanging or failing new side."""

from __future__ import annotations

import asyncio
import itertools

from prometheus_client import generate_latest

from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import Response
from proxy.parity.cases import ParityRequest
from proxy.shadow_queue import Settle, ShadowJob, ShadowQueue

OK = Response(200, (("content-type", "application/json"),), b'{"id": 1}')


def job(n: int = 0) -> ShadowJob:
    return ShadowJob("GET /api/products", ParityRequest("GET", f"/api/products?n={n}"), OK)


async def steps(count: int = 8) -> None:
    """Let the event loop run `count` steps (the worker takes one job or answer per step)."""
    for _ in range(count):
        await asyncio.sleep(0)


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
        await steps()  # the worker takes two jobs, one per step
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


def test_an_answer_is_handed_to_the_comparison_in_the_worker_s_quiet_moment() -> None:
    from proxy.shadow_queue import BusyGauge

    async def scenario() -> None:
        busy = BusyGauge()
        answer_now = asyncio.Event()
        seen: list[Response] = []

        async def answering_when_told(job: ShadowJob) -> Response:
            await answer_now.wait()
            return OK

        queue = ShadowQueue(
            answering_when_told, busy=busy, on_answer=lambda job, answer: seen.append(answer)
        )
        queue.start()
        queue.offer(job())
        for _ in range(5):  # taken and sent while the worker is quiet
            await asyncio.sleep(0)
        busy.enter()  # a client's request in flight when the answer comes
        answer_now.set()
        for _ in range(20):
            await asyncio.sleep(0)
        assert seen == []
        busy.leave()
        await queue.join()
        assert seen == [OK]
        await queue.close()

    asyncio.run(scenario())


class ByHand:
    """A new side that takes jobs by hand (`hand_on`) and answers when told (`answer`)."""

    def __init__(self) -> None:
        self.settles: list[Settle] = []

    def hand_on(self, job: ShadowJob, settle: Settle) -> bool:
        self.settles.append(settle)
        return True

    def answer(
        self, index: int, answer: Response | None = OK, error: Exception | None = None
    ) -> None:
        self.settles[index](answer, error)


async def never_sent(job: ShadowJob) -> Response:
    raise AssertionError("a job taken by hand is not sent")


def test_jobs_taken_by_hand_are_answered_compared_and_failed_without_a_send() -> None:
    async def scenario() -> None:
        side, seen = ByHand(), list[str]()
        queue = ShadowQueue(
            never_sent,
            hand_on=side.hand_on,
            on_answer=lambda job, _: seen.append(job.request.target),
        )
        queue.start()
        queue.offer(job(1))
        queue.offer(job(2))
        await steps()
        assert len(side.settles) == 2
        side.answer(0)
        side.answer(1, None, ConnectionError("the child is gone"))
        await queue.join()
        assert seen == ["/api/products?n=1"]
        assert (queue.counts.answered, queue.counts.failed) == (1, 1)
        await queue.close()

    asyncio.run(scenario())


def test_a_job_taken_by_hand_times_out_and_stays_abandoned_until_its_late_answer() -> None:
    async def scenario() -> None:
        side, timed_out = ByHand(), list[ShadowJob]()
        queue = ShadowQueue(never_sent, hand_on=side.hand_on, timeout=0.01, concurrency=1,
                            max_abandoned=1, on_timeout=timed_out.append)  # fmt: skip
        queue.start()
        queue.offer(job(1))
        await queue.join()
        assert (queue.counts.timeout, queue.abandoned, len(timed_out)) == (1, 1, 1)
        assert queue.offer(job(2)) is False  # stuck
        side.answer(0)  # the late answer: not compared, no longer abandoned
        assert (queue.abandoned, queue.counts.answered) == (0, 0)
        assert queue.offer(job(3)) is True
        await queue.close()

    asyncio.run(scenario())


def test_no_more_jobs_than_the_concurrency_are_in_flight_at_once() -> None:
    async def scenario() -> None:
        side = ByHand()
        queue = ShadowQueue(never_sent, hand_on=side.hand_on, concurrency=2)
        queue.start()
        for n in range(5):
            queue.offer(job(n))
        await steps()
        assert (len(side.settles), queue.pending) == (2, 3)
        side.answer(0)
        await steps()
        assert (len(side.settles), queue.pending) == (3, 2)
        await queue.close()

    asyncio.run(scenario())


def test_the_worker_hands_on_one_job_per_step_of_the_event_loop() -> None:
    """A client request arriving while jobs wait is served after one job's work, not all."""

    async def scenario() -> None:
        side = ByHand()
        queue = ShadowQueue(never_sent, hand_on=side.hand_on, concurrency=4)
        queue.start()
        for n in range(3):
            queue.offer(job(n))
        taken = [0]
        for _ in range(8):
            await asyncio.sleep(0)
            taken.append(len(side.settles))
        assert taken[-1] == 3
        assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(taken))
        await queue.close()

    asyncio.run(scenario())


def test_answers_read_together_are_finished_one_per_step_of_the_event_loop() -> None:
    async def scenario() -> None:
        side, seen = ByHand(), list[str]()
        queue = ShadowQueue(never_sent, hand_on=side.hand_on, concurrency=4,
                            on_answer=lambda job, _: seen.append(job.request.target))  # fmt: skip
        queue.start()
        for n in range(3):
            queue.offer(job(n))
        await steps()
        for index in range(3):  # as one read of the child's pipe hands them on
            side.answer(index)
        assert len(seen) == 1  # the first at once, the others by the worker
        finished = [1]
        for _ in range(8):
            await asyncio.sleep(0)
            finished.append(len(seen))
        assert finished[-1] == 3
        assert all(later - earlier <= 1 for earlier, later in itertools.pairwise(finished))
        await queue.close()

    asyncio.run(scenario())
