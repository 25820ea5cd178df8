"""How much of a worker's time the shadow may take: a share of the time the worker has to spare.

Shadow mode is best effort, as Diffy and Scientist sample: a comparison missed costs nothing, a
client slowed down does. Each mirrored request costs the worker's event loop some CPU (the copy,
the frame to the new side's child, reading its result, the comparison's counts) and, on the
noise sample, a second legacy call. That work shares the worker's core with the clients, so it
is bounded by what the worker has to spare:

- `spare` is 1 minus the worker process's CPU use (all its threads, in cores) over the last
  quarter second (`WINDOW_SECONDS`), at least 0; and on Linux at most the idle time of the
  cores the worker may run on (`idle_cores`, from /proc/stat) over that window: on a machine
  shared with other jobs, a worker using little CPU may still find its core taken;
- a token bucket of CPU seconds refills at `share x spare` seconds per second, up to
  `share x BURST_SECONDS`;
- a request is mirrored only while the bucket holds more than what the mirrored requests
  still outstanding (queued or in progress) are expected to cost (`allows`): the average cost of
  a mirrored request so far, `estimate`, each; what the shadow's work takes is charged as it is
  spent (`charge`, `metered`), and may take the bucket below zero: the debt is paid by the next
  refills, and nothing is mirrored until then.

A refusal also tells when the bucket can hold enough again, at the soonest (the refill rate
and the debt, no later than the end of the current window, when `spare` is measured again):
until then `closed` is true (reset by a timer on the event loop), and the client's path sheds
on that flag alone, without reading a clock or doing the refill's arithmetic. When the
mirrored requests still outstanding finish meanwhile, the bucket might have allowed one a
little earlier: the budget errs on the side of the clients.

At 70 % busy and `share = 0.05`, the shadow takes at most 1.5 % of the worker's core; at 100 %
busy, nothing. A request not mirrored for the budget is counted (`dropped`, reason `budget`).

What a fully used budget costs the clients' tail: a worker's queueing delay grows as
rho / (1 - rho) with its load rho, and the shadow's spend `share x spare`, with `spare` measured
on the worker's CPU use that includes that spend, takes it to (rho + d) / (1 - rho - d) with
d = share (1 - rho) / (1 + share): the delays grow by a factor of about 1 + share / rho. At 70 %
load, `share = 0.1` gives 1.14 (what shadow_cost measured run after run), 0.05 gives 1.07, so
the default is 0.05: within the p99 target of 1.1 with room for what the budget does not see
(the loop's own iterations, the capture on the client's path).

The costs are measured where they are spent: each step of the shadow's coroutines on the
worker's event loop (`metered`), the building of the copy of the request and of legacy's answer
included (the queue's worker task builds it; the client's path only offers it), is charged the
wall time it held the loop (`time.perf_counter`, a vDSO read of well under a microsecond). The
thread's CPU clock (`time.thread_time`) is a system call, 2.5 to 7 us on a loaded machine, and a
mirrored request takes a dozen steps: metering it cost about as much as the work it metered. A
step's wall time is its CPU time unless the worker was preempted meanwhile, and then the budget
errs on the clients' side. A noise sample that the worker's legacy threads answer (the inline
new side; the shadow's child asks legacy itself) is out of the loop's sight: it is charged what
a request costs the worker on average (`request_cost`: the worker's CPU time over the last
window divided by the requests it started meanwhile, given by `requests`), not its wall time,
which on a busy machine is mostly waiting.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable, Generator
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
WINDOW_SECONDS = 0.25
BURST_SECONDS = 0.5
FIRST_ESTIMATE = 0.0002
"""Seconds a mirrored request is expected to cost before any was measured."""
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
FIRST_REQUEST_COST = 0.001
"""Seconds a request is expected to cost the worker before a window measured it."""


class ShadowBudget:
    def __init__(
        self,
        share: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        process_cpu: Callable[[], float] = time.process_time,
        requests: Callable[[], int] | None = None,
        idle: Callable[[], float] | None = None,
        step_clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`requests`: how many requests the worker has started so far (for `request_cost`);
        `idle`: seconds the cores the worker may run on have been idle so far (`idle_cores`);
        `step_clock`: what each step of metered work is charged, the difference of two reads."""
        self._step_clock = step_clock
        self.share = share
        self.capacity = share * BURST_SECONDS
        self.tokens = self.capacity
        self.spare = 1.0
        self.spent = 0.0
        """CPU seconds charged so far (what the shadow's work in this worker took)."""
        self.finished = 0
        """Mirrored requests whose work is over (`finish`)."""
        self.request_cost = FIRST_REQUEST_COST
        """CPU seconds a request costs the worker, on average over the last window."""
        self._clock = clock
        self._process_cpu = process_cpu
        self._requests = requests
        self._last = clock()
        self._window_started = self._last
        self._window_cpu = process_cpu()
        self._window_requests = requests() if requests is not None else 0
        self._idle = idle
        self._window_idle = idle() if idle is not None else 0.0
        self.closed = False
        """A refusal said no request can be mirrored before a time not reached yet (see
        `allows`); only set while an event loop runs, which reopens it."""

    @property
    def estimate(self) -> float:
        """What a mirrored request costs, on average so far."""
        return self.spent / self.finished if self.finished >= 10 else FIRST_ESTIMATE

    def allows(self, outstanding: int = 0) -> bool:
        """Whether a request may be mirrored now, with `outstanding` mirrored requests not
        finished yet (their work still to be charged)."""
        self._refill()
        needed = outstanding * self.estimate
        if self.tokens > needed:
            return True
        self._close_for(needed - self.tokens)
        return False

    def _close_for(self, missing: float) -> None:
        """Closed until `missing` seconds of tokens can have been refilled, or the window ends."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop to reopen it: each request asks `allows`
            return
        window_left = self._window_started + WINDOW_SECONDS - self._last
        rate = self.share * self.spare
        delay = min(missing / rate, window_left) if rate > 0 else window_left
        if delay <= 0:
            return
        self.closed = True
        loop.call_later(delay, self._reopen)

    def _reopen(self) -> None:
        self.closed = False

    def finish(self) -> None:
        """One mirrored request's work is over (its cost charged)."""
        self.finished += 1

    def charge(self, seconds: float) -> None:
        self.tokens -= seconds
        self.spent += seconds

    def metered(self, work: Awaitable[T]) -> Awaitable[T]:
        """`work`, with the time of each of its steps on this thread charged."""
        return _Metered(work, self.charge, self._step_clock)

    def _refill(self) -> None:
        now = self._clock()
        elapsed = now - self._last
        if elapsed <= 0:
            return
        self._last = now
        self.tokens = min(self.capacity, self.tokens + elapsed * self.share * self.spare)
        window = now - self._window_started
        if window >= WINDOW_SECONDS:
            cpu = self._process_cpu()
            self.spare = max(0.0, 1.0 - (cpu - self._window_cpu) / window)
            if self._idle is not None:
                idle = self._idle()
                self.spare = min(self.spare, max(0.0, idle - self._window_idle) / window)
                self._window_idle = idle
            if self._requests is not None:
                requests = self._requests()
                if requests > self._window_requests:
                    self.request_cost = (cpu - self._window_cpu) / (
                        requests - self._window_requests
                    )
                self._window_requests = requests
            self._window_started, self._window_cpu = now, cpu


def idle_cores() -> float:
    """Seconds the cores this process may run on have been idle (idle and iowait), from
    /proc/stat; 0 where there is none (then the budget does not look at it: see `budget_for`)."""
    try:
        stat = Path("/proc/stat").read_bytes()
        allowed = os.sched_getaffinity(0)
    except (OSError, AttributeError):
        return 0.0
    return idle_seconds(stat, allowed)


class IdleCores:
    """`idle_cores`, with /proc/stat kept open and read again from its start (`os.pread`): the
    budget reads it at the end of each window, on a client's request. Opening, reading and
    decoding it whole took 140 to 220 us on a loaded machine; this takes about 30 (what the
    kernel needs to write it)."""

    def __init__(self) -> None:
        self._fd: int | None = None

    def __call__(self) -> float:
        try:
            if self._fd is None:
                self._fd = os.open("/proc/stat", os.O_RDONLY | os.O_CLOEXEC)
            stat = os.pread(self._fd, STAT_BYTES, 0)
            allowed = os.sched_getaffinity(0)
        except (OSError, AttributeError):
            return 0.0
        return idle_seconds(stat, allowed)


STAT_BYTES = 1 << 16
"""Enough of /proc/stat for its `cpuN` lines, which come first."""


def idle_seconds(stat: bytes, allowed: set[int]) -> float:
    """The idle and iowait seconds of the `allowed` cores, from /proc/stat's text."""
    ticks = 0
    for line in stat.split(b"\n"):
        if not line.startswith(b"cpu"):
            break  # the cpu lines come first
        if line.startswith(b"cpu "):
            continue
        name, *fields = line.split()
        if int(name[3:]) in allowed:
            ticks += int(fields[3]) + int(fields[4])
    return ticks / TICKS_PER_SECOND


def can_see_idle_cores() -> bool:
    return Path("/proc/stat").exists() and hasattr(os, "sched_getaffinity")


class _Metered:
    """An awaitable that runs `work` step by step (each time the event loop resumes it) and
    charges the time of each step, by `clock`."""

    def __init__(
        self, work: Awaitable[Any], charge: Callable[[float], None], clock: Callable[[], float]
    ) -> None:
        self._work = work
        self._charge = charge
        self._clock = clock

    def __await__(self) -> Generator[Any, Any, Any]:
        steps = self._work.__await__()
        clock, charge = self._clock, self._charge
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            started = clock()
            try:
                yielded = steps.throw(thrown) if thrown is not None else steps.send(sent)
            except StopIteration as done:
                return done.value
            finally:
                charge(clock() - started)
            try:
                sent, thrown = (yield yielded), None
            except GeneratorExit:
                steps.close()
                raise
            except BaseException as error:  # passed into the work (a task's cancellation)
                sent, thrown = None, error
