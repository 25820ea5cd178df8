"""The bounded shadow queue: mirrored requests wait here for the queue's worker task, which hands
them to the new side, so the client that legacy answered never waits for the shadow.

`offer()` is synchronous and cannot block or raise: when the queue is full (or closed) the job
is dropped and counted. At most `concurrency` jobs are in flight at once. A job goes to the new
side one of two ways:

- handed on (`hand_on`, the shadow's child process): a frame written to the child's pipe, its
  answer read by a callback; no task, future or timer of its own. A mirrored request then costs
  the worker's loop one step to send it and one callback to take its answer, and each step of
  the worker serves every job ready then;
- sent (`send`, a coroutine: the inline new side, or when the worker asks legacy again itself):
  a task per job.

Each job has a timeout (one timer for all, at the oldest's deadline); a shadow that hangs,
fails or raises only counts as `timeout`/`failed`. A job still running at its timeout is counted
and left behind, as abandoned, until its answer comes or its new side fails it (a handler
running on a thread cannot be stopped, and waiting for it would stall the worker); while
`max_abandoned` of them are still running, new jobs are dropped (`stuck`) instead of piling more
work onto a new side that hangs.

Shadow work shares the worker's CPU with the clients, so it waits for the worker's quiet
moments: with a `BusyGauge`, the worker task takes jobs, and the answers are handed to the
comparison, only while at most `max_busy` client requests are in flight. Under load the queue
fills and sheds instead of slowing clients down.

What to do with the new side's answer (compare it with legacy's, keep the latest differences) is
the `on_answer` callback's job; its errors are logged, never raised. Use the queue from the
event loop that started it (the front's), as ASGI code runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, NamedTuple

import structlog

from proxy.cutover_metrics import CutoverMetrics
from proxy.diff import Response
from proxy.parity.cases import ParityRequest

Outcome = Literal["answered", "failed", "timeout"]
DEADLINE_SLACK = 0.001
"""A timer may run this much before its time (the loop's clock resolution)."""
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
Settle = Callable[[Any, BaseException | None], None]
"""How a handed-on job's answer comes back: `settle(answer, None)` or `settle(None, error)`."""
HandOn = Callable[[ShadowJob, Settle], bool]


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

    def quiet(self, busy: int) -> bool:
        """Whether `wait_at_most(busy)` would not wait."""
        return self.in_flight <= busy and not self._watch.locked()

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
        hand_on: HandOn | None = None,
        on_timeout: Callable[[ShadowJob], None] | None = None,
    ) -> None:
        """`meter` wraps the shadow's work on the event loop (the worker task, each send), to
        charge its time to the shadow's budget (proxy/shadow_budget.py); `on_done` is called
        once each queued job's handling is over. `hand_on(job, settle)`: hands a job on without
        a coroutine of its own (the shadow's child: a frame written to its pipe), True when it
        took it; it calls `settle(answer, error)` once, later or at once; else `send` sends it.
        `on_timeout(job)`: a job that got no answer within `timeout`."""
        self._on_done = on_done
        self._on_drop = on_drop
        self._meter: Callable[[Awaitable[Any]], Awaitable[Any]] = meter or _as_it_is
        self._send = send
        self._hand_on = hand_on
        self._on_timeout = on_timeout
        self._busy = busy
        self._max_busy = max_busy
        self._max_abandoned = max_abandoned if max_abandoned is not None else 4 * concurrency
        self._abandoned: set[_InFlight] = set()
        self._jobs: deque[ShadowJob | Deferred] = deque()
        self._max_pending = max_pending
        self._concurrency = concurrency
        self._in_flight = 0
        self._settled: list[tuple[_InFlight, Any, BaseException | None]] = []
        self._finished_inline = False
        """An answer was finished by its callback in this step of the loop (`_settle`)."""
        self._sending: set[_InFlight] = set()
        self._timeout = timeout
        self._deadlines: deque[_InFlight] = deque()
        """The jobs in flight (and some answered since), oldest first."""
        self._sweep: asyncio.TimerHandle | None = None
        self._on_answer = on_answer
        self._metrics = metrics
        self._drops = metrics.shadow_drops if metrics is not None else None
        self._enqueues = metrics.shadow_enqueues if metrics is not None else None
        self._sends = metrics.shadow_sends if metrics is not None else None
        self._depth_shown = -1
        self._outcomes: dict[tuple[str, str], Any] = {}
        self._worker: asyncio.Task[None] | None = None
        self._wake: asyncio.Future[None] | None = None
        self._unfinished = 0
        self._all_done: asyncio.Event | None = None
        self._open = False
        self.counts = ShadowCounts()

    @property
    def pending(self) -> int:
        return len(self._jobs)

    @property
    def outstanding(self) -> int:
        """Jobs queued or being handled."""
        return len(self._jobs) + self._in_flight

    def start(self) -> None:
        """Start the worker task on the running event loop."""
        self._open = True
        self._all_done = asyncio.Event()
        self._all_done.set()
        self._worker = asyncio.create_task(self._metered_work(), name="strangler-shadow")

    def offer(self, job: ShadowJob | Deferred) -> bool:
        """Queue `job` for sending; False (and counted) when it was dropped. Never blocks."""
        if not self._open:
            self._drop(job, "closed")
            return False
        if len(self._abandoned) >= self._max_abandoned:
            self._drop(job, "stuck")
            return False
        if len(self._jobs) >= self._max_pending:
            self._drop(job, "queue_full")
            return False
        self._jobs.append(job)
        self._unfinished += 1
        if self._unfinished == 1 and self._all_done is not None:
            self._all_done.clear()
        self.counts.enqueued += 1
        if self._enqueues is not None:  # the depth gauge is set when the worker takes it
            self._enqueues.add(job.route)
        if self._in_flight < self._concurrency:
            self._wake_worker()
        return True

    def full(self) -> bool:
        """Whether a job offered now would be dropped as `queue_full`: the caller can shed it
        (`shed`) before building it, and the client's request pays nothing for the shadow."""
        return (
            self._max_pending > 0
            and len(self._jobs) >= self._max_pending
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

    @property
    def abandoned(self) -> int:
        """Sends still running past their timeout."""
        return len(self._abandoned)

    # -- the worker task: one per queue, all its steps metered ---------------------------------

    def _wake_worker(self) -> None:
        wake = self._wake
        if wake is not None and not wake.done():
            wake.set_result(None)

    async def _metered_work(self) -> None:
        await self._meter(self._work())

    async def _work(self) -> None:
        """In the worker's quiet moments: hand the answers that came back on to the comparison,
        then take jobs while fewer than `concurrency` are in flight. One task for the queue and
        no task per job that can be handed on: a mirrored request costs the loop a step to send
        it and a step to take its answer, and each step serves every job ready then."""
        loop = asyncio.get_running_loop()
        while True:
            if not self._settled and (not self._jobs or self._in_flight >= self._concurrency):
                self._wake = loop.create_future()
                await self._wake
                self._wake = None
            busy = self._busy
            if busy is not None and not busy.quiet(self._max_busy):
                await busy.wait_at_most(self._max_busy)
            # One answer or one job per step, then the loop polls again: a client request that
            # arrived meanwhile waits for one unit of shadow work at most, and is seen (the
            # gauge) before the next. Several in one step held the loop for up to 2.5 ms.
            if self._settled:
                self._finish(*self._settled.pop(0))
            elif self._jobs and self._in_flight < self._concurrency:
                self._take(self._jobs.popleft(), loop)
            if self._metrics is not None and len(self._jobs) != self._depth_shown:
                self._depth_shown = len(self._jobs)
                self._metrics.shadow_queue_depth.set(self._depth_shown)
            if self._settled or (self._jobs and self._in_flight < self._concurrency):
                await asyncio.sleep(0)

    def _take(self, taken: ShadowJob | Deferred, loop: asyncio.AbstractEventLoop) -> None:
        self._in_flight += 1
        if isinstance(taken, Deferred):
            try:
                job = taken.build()
            except Exception as failure:
                self.counts.failed += 1
                log.error("shadow_build_failed", route=taken.route, error=repr(failure))
                self._job_over()
                return
        else:
            job = taken
        in_flight = _InFlight(job)
        if self._hand_on is not None:
            try:
                handed = self._hand_on(job, partial(self._settle, in_flight))
            except Exception as error:  # the hand-off's own failure: the job failed
                handed = True
                self._settle(in_flight, None, error)
            if handed:
                if not in_flight.settled:
                    self._watch_deadline(in_flight, loop)
                return
        sending = asyncio.ensure_future(self._meter(self._send(job)))
        in_flight.sending = sending
        self._sending.add(in_flight)
        sending.add_done_callback(partial(self._sent, in_flight))
        self._watch_deadline(in_flight, loop)

    def _watch_deadline(self, in_flight: _InFlight, loop: asyncio.AbstractEventLoop) -> None:
        """One timer for all the jobs in flight, at the oldest one's deadline (the timeout is the
        same for all, so they are in order), not one per job."""
        deadlines = self._deadlines
        while deadlines and deadlines[0].settled:  # answered in time: forgotten
            deadlines.popleft()
        if len(deadlines) > 4 * self._concurrency + 16:  # answered behind a slow one: let go
            self._deadlines = deadlines = deque(each for each in deadlines if not each.settled)
        in_flight.deadline = loop.time() + self._timeout
        deadlines.append(in_flight)
        if self._sweep is None:
            self._sweep = loop.call_at(in_flight.deadline, self._expire_overdue, loop)

    def _expire_overdue(self, loop: asyncio.AbstractEventLoop) -> None:
        self._sweep = None
        deadlines = self._deadlines
        now = loop.time() + DEADLINE_SLACK
        while deadlines and (deadlines[0].settled or deadlines[0].deadline <= now):
            in_flight = deadlines.popleft()
            if not in_flight.settled:
                self._expire(in_flight)
        if deadlines:
            self._sweep = loop.call_at(deadlines[0].deadline, self._expire_overdue, loop)

    def _sent(self, in_flight: _InFlight, sending: asyncio.Future[Any]) -> None:
        self._sending.discard(in_flight)
        if sending.cancelled():
            self._settle(in_flight, None, asyncio.CancelledError())
            return
        error = sending.exception()
        self._settle(in_flight, None if error is not None else sending.result(), error)

    def _settle(self, in_flight: _InFlight, answer: Any, error: BaseException | None) -> None:
        """A job's answer (or failure) came back. A job handed on is finished at once while
        the worker is quiet (its new side reads the answer by callback and charges that time),
        else, as a sent job's, in the worker's next quiet step. A job that timed out already
        was counted then; its late answer only ends its abandon."""
        if in_flight.settled:
            self._abandoned.discard(in_flight)
            return
        in_flight.settled = True
        busy = self._busy
        if (
            in_flight.sending is None
            and not self._settled
            and not self._finished_inline
            and (busy is None or busy.quiet(self._max_busy))
        ):
            # One at once per step of the loop: the others read in the same callback wait
            # for the worker task, one per step, so that a client arriving meanwhile is served.
            self._finished_inline = True
            asyncio.get_running_loop().call_soon(self._inline_over)
            self._finish(in_flight, answer, error)
            if self._jobs:
                self._wake_worker()
            return
        self._settled.append((in_flight, answer, error))
        self._wake_worker()

    def _inline_over(self) -> None:
        self._finished_inline = False

    def _expire(self, in_flight: _InFlight) -> None:
        """No answer within the timeout: counted now; a send still running is cancelled and, if
        it ignores that (a handler on a thread cannot be stopped), left behind as abandoned, as
        is a handed-on job until its answer comes or its new side fails it."""
        if in_flight.settled:
            return
        in_flight.settled = True
        self._abandoned.add(in_flight)
        if in_flight.sending is not None:
            in_flight.sending.cancel()
        self._outcome(in_flight.job, "timeout")
        if self._on_timeout is not None:
            self._on_timeout(in_flight.job)
        self._job_over()
        self._wake_worker()

    def _finish(self, in_flight: _InFlight, answer: Any, error: BaseException | None) -> None:
        job = in_flight.job
        if error is not None:  # the new side's failure is never the client's
            self._outcome(job, "failed")
            if not isinstance(error, asyncio.CancelledError):
                log.info("shadow_failed", route=job.route, error=f"{type(error).__name__}: {error}")
        else:
            self._outcome(job, "answered")
            if answer is not None and self._on_answer is not None:
                try:
                    handled = self._on_answer(job, answer)
                    if handled is not None:
                        asyncio.ensure_future(handled).add_done_callback(_log_compare_failure)
                except Exception as failure:
                    log.error("shadow_compare_failed", route=job.route, error=repr(failure))
        self._job_over()

    def _outcome(self, job: ShadowJob, outcome: Outcome) -> None:
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        if self._sends is not None:
            self._sends.add(job.route, outcome)

    def _job_over(self) -> None:
        self._in_flight -= 1
        if self._on_done is not None:
            self._on_done()
        self._unfinished -= 1
        if self._unfinished == 0 and self._all_done is not None:
            self._all_done.set()

    async def join(self) -> None:
        """Wait until every queued job was handled (tests, a graceful shutdown)."""
        if self._all_done is not None:
            await self._all_done.wait()

    async def close(self) -> None:
        """Stop the worker; jobs still waiting are dropped and counted (`closed`), sends in
        flight cancelled."""
        self._open = False
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        for in_flight in [*self._sending, *self._abandoned]:
            if in_flight.sending is not None:
                in_flight.sending.cancel()
        while self._jobs:
            self._drop(self._jobs.popleft(), "closed")
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep = None


class _InFlight:
    """A job taken by the worker, until its answer is handed on or it times out."""

    __slots__ = ("deadline", "job", "sending", "settled")

    def __init__(self, job: ShadowJob) -> None:
        self.job = job
        self.settled = False
        self.sending: asyncio.Future[Any] | None = None
        self.deadline = 0.0


def _log_compare_failure(handled: asyncio.Future[Any]) -> None:
    if not handled.cancelled() and handled.exception() is not None:
        log.error("shadow_compare_failed", error=repr(handled.exception()))


def _as_it_is(work: Awaitable[Any]) -> Awaitable[Any]:
    return work
