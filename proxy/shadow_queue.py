"""The bounded shadow queue: mirrored requests wait here for a few worker tasks that send them
to the new side, so the client that legacy answered never waits for the shadow.

`offer()` is synchronous and cannot block or raise: when the queue is full (or closed) the job
is dropped and counted. Each send has a timeout; a shadow that hangs, fails or raises only
counts as `timeout`/`failed`. A send still running at its timeout is cancelled and left behind
(a handler running on a thread cannot be stopped, and waiting for it would stall the worker
task); while `max_abandoned` of them are still running, new jobs are dropped (`stuck`) instead
of piling more threads onto a new side that hangs.

Shadow work shares the worker's CPU with the clients, so it waits for the worker's quiet
moments: with a `BusyGauge`, a worker task starts a job only while at most `max_busy` client
requests are in flight. Under load the queue fills and sheds instead of slowing clients down.

What to do with the new side's answer (compare it with legacy's, keep the latest differences) is
the `on_answer` callback's job; its errors are logged, never raised. Use the queue from the
event loop that started it (the front's), as ASGI code runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import structlog

from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import Response
from proxy.parity.cases import ParityRequest

Outcome = Literal["answered", "failed", "timeout"]
log = structlog.get_logger("strangler.shadow")


@dataclass(frozen=True)
class ShadowJob:
    """One request to mirror: the route (its key, for metrics), the request as the client sent
    it, and legacy's answer to compare the new side's with."""

    route: str
    request: ParityRequest
    legacy: Response
    enqueued_at: float = field(default_factory=time.monotonic)
    notes: dict[str, Any] = field(default_factory=dict, compare=False)
    """What the sender learnt on the way (the new side's latency, legacy's second answer)."""


class Deferred(NamedTuple):
    """A job offered before it is built: a worker task builds it (`build`) when it takes it, in
    the worker's quiet moment (after the `BusyGauge` wait), not on the client's path."""

    route: str
    build: Callable[[], ShadowJob]


Sender = Callable[[ShadowJob], Awaitable[Any]]
AnswerHandler = Callable[[ShadowJob, Any], Awaitable[None] | None]


@dataclass
class ShadowCounts:
    enqueued: int = 0
    dropped: int = 0
    answered: int = 0
    failed: int = 0
    timeout: int = 0


class BusyGauge:
    """Client requests in flight in this worker (the front enters and leaves it around each
    request); shadow work waits until there are few enough.

    One waiting job watches the gauge and the others queue behind it (`_watch`), and a request
    that leaves wakes the watcher only when the worker becomes quiet enough: with several
    mirrored jobs waiting, each client request used to wake them all, and that cost every
    request of a busy shadow route a few task steps on the event loop, mirrored or not."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.entered = 0
        """Requests started so far."""
        self._changed = asyncio.Event()
        self._watch = asyncio.Lock()
        self._quiet_at = -1
        """What the watcher waits for: at most this many requests in flight (-1: no watcher)."""

    def enter(self) -> None:
        self.in_flight += 1
        self.entered += 1

    def leave(self) -> None:
        self.in_flight -= 1
        if self.in_flight <= self._quiet_at:
            self._changed.set()

    async def wait_at_most(self, busy: int) -> None:
        if self.in_flight <= busy and not self._watch.locked():
            return
        async with self._watch:
            try:
                while self.in_flight > busy:
                    self._quiet_at = busy
                    self._changed.clear()
                    await self._changed.wait()
            finally:
                self._quiet_at = -1


class ShadowQueue:
    def __init__(
        self,
        send: Sender,
        *,
        max_pending: int = 1000,
        concurrency: int = 4,
        timeout: float = 5.0,
        on_answer: AnswerHandler | None = None,
        metrics: CutoverMetrics | None = None,
        busy: BusyGauge | None = None,
        max_busy: int = 0,
        max_abandoned: int | None = None,
        on_drop: Callable[[str, str], None] | None = None,
        meter: Callable[[Awaitable[Any]], Awaitable[Any]] | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        """`meter` wraps the shadow's work on the event loop (each job's handling and send), to
        charge its CPU time to the shadow's budget (proxy/shadow_budget.py); `on_done` is called
        once each queued job's handling is over."""
        self._on_done = on_done
        self._in_progress = 0
        self._on_drop = on_drop
        self._meter: Callable[[Awaitable[Any]], Awaitable[Any]] = meter or _as_it_is
        self._send = send
        self._busy = busy
        self._max_busy = max_busy
        self._max_abandoned = max_abandoned if max_abandoned is not None else 4 * concurrency
        self._abandoned: set[asyncio.Future[Any]] = set()
        self._queue: asyncio.Queue[ShadowJob | Deferred] = asyncio.Queue(maxsize=max_pending)
        self._max_pending = max_pending
        self._concurrency = concurrency
        self._timeout = timeout
        self._on_answer = on_answer
        self._metrics = metrics
        self._drops = metrics.shadow_drops if metrics is not None else None
        self._enqueues = metrics.shadow_enqueues if metrics is not None else None
        self._workers: list[asyncio.Task[None]] = []
        self._open = False
        self.counts = ShadowCounts()

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    @property
    def outstanding(self) -> int:
        """Jobs queued or being handled."""
        return self._queue.qsize() + self._in_progress

    def start(self) -> None:
        """Start the worker tasks on the running event loop."""
        self._open = True
        self._workers = [
            asyncio.create_task(self._work(), name=f"strangler-shadow-{n}")
            for n in range(self._concurrency)
        ]

    def offer(self, job: ShadowJob | Deferred) -> bool:
        """Queue `job` for sending; False (and counted) when it was dropped. Never blocks."""
        if not self._open:
            self._drop(job, "closed")
            return False
        if len(self._abandoned) >= self._max_abandoned:
            self._drop(job, "stuck")
            return False
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            self._drop(job, "queue_full")
            return False
        self.counts.enqueued += 1
        if self._enqueues is not None:  # the depth gauge is set when a worker task takes it
            self._enqueues.add(job.route)
        return True

    def full(self) -> bool:
        """Whether a job offered now would be dropped as `queue_full`: the caller can shed it
        (`shed`) before building it, and the client's request pays nothing for the shadow."""
        return (
            self._max_pending > 0
            and self._queue.qsize() >= self._max_pending
            and self._open
            and len(self._abandoned) < self._max_abandoned
        )

    def shed(self, route: str, reason: str = "queue_full") -> None:
        """Count a request of `route` not mirrored: the queue is full (see `full`), or `reason`
        (`budget`: the worker has no time to spare for it)."""
        self._dropped(route, reason)

    def _drop(self, job: ShadowJob | Deferred, reason: str) -> None:
        self._dropped(job.route, reason)

    def _dropped(self, route: str, reason: str) -> None:
        self.counts.dropped += 1
        if self._drops is not None:
            self._drops.add(route, reason)
        if self._on_drop is not None:
            self._on_drop(route, reason)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            self._in_progress += 1
            if self._metrics is not None:
                self._metrics.shadow_queue_depth.set(self._queue.qsize())
            try:
                await self._meter(self._handle(job))
            finally:
                self._in_progress -= 1
                if self._on_done is not None:
                    self._on_done()
                self._queue.task_done()
                if self._metrics is not None:
                    self._metrics.shadow_queue_depth.set(self._queue.qsize())

    @property
    def abandoned(self) -> int:
        """Sends still running past their timeout."""
        return len(self._abandoned)

    async def _handle(self, taken: ShadowJob | Deferred) -> None:
        if self._busy is not None:
            await self._busy.wait_at_most(self._max_busy)
        if isinstance(taken, Deferred):
            try:
                job = taken.build()
            except Exception as failure:
                self.counts.failed += 1
                log.error("shadow_build_failed", route=taken.route, error=repr(failure))
                return
        else:
            job = taken
        outcome: Outcome
        answer: Any = None
        sending = asyncio.ensure_future(self._meter(self._send(job)))
        done, _ = await asyncio.wait({sending}, timeout=self._timeout)
        if not done:
            outcome = "timeout"
            sending.cancel()
            self._abandoned.add(sending)
            sending.add_done_callback(self._forget)
        elif sending.exception() is not None:  # the new side's failure is never the client's
            outcome = "failed"
            error = sending.exception()
            log.info("shadow_failed", route=job.route, error=f"{type(error).__name__}: {error}")
        else:
            outcome, answer = "answered", sending.result()
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        if self._metrics is not None:
            self._metrics.child(self._metrics.shadow_sent, job.route, outcome).inc()
        if answer is not None and self._on_answer is not None:
            try:
                handled = self._on_answer(job, answer)
                if handled is not None:
                    await handled
            except Exception as error:
                log.error("shadow_compare_failed", route=job.route, error=repr(error))

    def _forget(self, sending: asyncio.Future[Any]) -> None:
        self._abandoned.discard(sending)
        if not sending.cancelled():
            sending.exception()  # retrieved: no "exception was never retrieved" at exit

    async def join(self) -> None:
        """Wait until every queued job was handled (tests, a graceful shutdown)."""
        await self._queue.join()

    async def close(self) -> None:
        """Stop the workers; jobs still waiting are dropped and counted (`closed`)."""
        self._open = False
        for worker in self._workers:
            worker.cancel()
        for sending in list(self._abandoned):
            sending.cancel()
        for worker in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers = []
        while not self._queue.empty():
            self._drop(self._queue.get_nowait(), "closed")


def _as_it_is(work: Awaitable[Any]) -> Awaitable[Any]:
    return work
