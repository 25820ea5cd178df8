"""The legacy threads: a fixed-size pool fed by one `queue.SimpleQueue`.

    pool = ThreadPool(threads=8, name="legacy")
    job = pool.submit(function, *args)          # runs on a pool thread, unless cancelled first
    job.cancel()                                # True when it had not started (it never will)
    result = await pool.run(function, *args)    # the result, handed straight to the event loop
    waiter, job = pool.start(function, *args)   # the same, and the job to cancel
    pool.write_off(job, bound)                  # replace the thread stuck in `job` (see there)
    pool.close()

`concurrent.futures.ThreadPoolExecutor` does more per job than the bridge needs (a Future with
its own lock and condition, a work item, an idle-thread semaphore): about twice the CPU per thread
hop. Threads start on demand, up to `threads`.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from enum import Enum
from typing import Any


class Job:
    """One call waiting for, or on, a pool thread. Whoever takes `_claim` first decides: the
    thread (the call runs) or `cancel()` (it never does)."""

    __slots__ = ("_claim", "args", "done", "function", "started", "worker", "written_off")

    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.function = function
        self.args = args
        self._claim = threading.Lock()
        self.started = False
        self.done = False
        self.written_off = False
        self.worker: threading.Thread | None = None

    def cancel(self) -> bool:
        return self._claim.acquire(blocking=False)

    def run(self) -> None:
        if self._claim.acquire(blocking=False):
            self.started = True
            self.function(*self.args)


class WriteOff(Enum):
    REPLACED = "replaced"  # a new thread took the stuck one's place
    BOUND_REACHED = "bound_reached"  # `bound` threads are stuck already: not replaced
    NOT_RUNNING = "not_running"  # the job had not started, or has just finished


_STOP = Job(lambda: None, ())


class ThreadPool:
    def __init__(self, threads: int, name: str) -> None:
        self.size = threads
        self.name = name
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()
        self._closed = False
        self._started = 0
        self.stuck = 0  # written-off threads still running their job

    def write_off(self, job: Job, bound: int) -> WriteOff:
        """Give up on the thread running `job` (stuck past a timeout): start another in its place,
        unless `bound` threads are written off already. The stuck thread ends once its job
        returns."""
        with self._start_lock:
            if not job.started or job.done or job.worker is None:
                return WriteOff.NOT_RUNNING
            if self.stuck >= bound:
                return WriteOff.BOUND_REACHED
            job.written_off = True
            self.stuck += 1
            if job.worker in self._threads:
                self._threads.remove(job.worker)
        self._start_thread()
        return WriteOff.REPLACED

    def submit(self, function: Callable[..., Any], *args: Any) -> Job:
        job = Job(function, args)
        if len(self._threads) < self.size:
            self._start_thread()
        self._jobs.put(job)
        return job

    def run(self, function: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        """`function(*args)` on a pool thread; its result or exception on an event-loop future."""
        return self.start(function, *args)[0]

    def start(self, function: Callable[..., Any], *args: Any) -> tuple[asyncio.Future[Any], Job]:
        """`run`, also returning the job (to cancel it while it waits for a thread). The thread
        hands the result straight to the event loop: one call_soon_threadsafe."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()

        def call() -> None:
            try:
                result = function(*args)
            except BaseException as error:
                loop.call_soon_threadsafe(settle, waiter, None, error)
            else:
                loop.call_soon_threadsafe(settle, waiter, result, None)

        return waiter, self.submit(call)

    def close(self) -> None:
        """Jobs not started yet never run; threads end once their current job returns."""
        self._closed = True
        while True:
            try:
                self._jobs.get_nowait().cancel()
            except queue.Empty:
                break
        for _ in self._threads:
            self._jobs.put(_STOP)

    def _start_thread(self) -> None:
        with self._start_lock:
            if len(self._threads) >= self.size or self._closed:
                return
            thread = threading.Thread(
                target=self._work, name=f"{self.name}_{self._started}", daemon=True
            )
            self._started += 1
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        jobs = self._jobs
        me = threading.current_thread()
        lock = self._start_lock
        while True:
            job = jobs.get()
            if job is _STOP:
                return
            job.worker = me
            with contextlib.suppress(BaseException):  # a failing job must not end its thread
                job.run()
            with lock:
                job.done = True
                if job.written_off:  # replaced while it ran: this thread is surplus now
                    self.stuck -= 1
                    return


def settle(waiter: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    """Complete `waiter` (on its event loop) unless it already is: timed out, or cancelled."""
    if waiter.done():
        return
    if error is None:
        waiter.set_result(result)
    else:
        waiter.set_exception(error)
