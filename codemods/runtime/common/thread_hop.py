"""Sync views on worker threads, at the cost of a queue put and a future: the migrated routes'
own thread hop. Permanent: FastAPI runs sync views on threads too, this is a cheaper road there.

FastAPI hands a sync view to `anyio.to_thread.run_sync` (through Starlette's `run_in_threadpool`):
a capacity limiter, a cancel scope and a worker's queue per call, measured at 30 to 90 us of CPU
per request, as much as a small view's own work. Here a call is one `SimpleQueue.put` from the
event loop and one `call_soon_threadsafe` back, with the caller's context copied in as anyio
does (the request, `g` and the bound session are ContextVars).

At most `MAX_THREADS` views run at once (anyio's default limit, which the database pools were
sized against); further calls wait in the queue. Workers start on demand and stay for the
process's life; a forked child starts with none.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import threading
from collections.abc import Awaitable, Callable
from queue import SimpleQueue
from typing import Any, TypeVar

T = TypeVar("T")
MAX_THREADS = 40

_Job = tuple[
    asyncio.AbstractEventLoop,
    "asyncio.Future[Any]",
    contextvars.Context,
    Callable[..., Any],
    tuple[Any, ...],
    dict[str, Any],
]


class ThreadHop:
    """A pool of worker threads fed from event loops."""

    def __init__(self, max_threads: int = MAX_THREADS) -> None:
        self.max_threads = max_threads
        self._jobs: SimpleQueue[_Job] = SimpleQueue()
        self._lock = threading.Lock()
        self._threads = 0
        self._idle = 0  # workers waiting for a job, or starting
        self._queued = 0  # jobs put, not yet taken

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """`function(*args, **kwargs)` on a worker thread, in a copy of the caller's context.
        When the caller is cancelled the call still runs to its end; its result is dropped."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        with self._lock:
            self._queued += 1
            start = self._queued > self._idle and self._threads < self.max_threads
            if start:
                self._threads += 1
                self._idle += 1
        if start:  # every queued job has a waiting worker, unless the pool is full
            threading.Thread(target=self._work, name="strangler-view", daemon=True).start()
        self._jobs.put((loop, future, contextvars.copy_context(), function, args, kwargs))
        return await future

    def _work(self) -> None:
        jobs, lock = self._jobs, self._lock
        while True:
            job = jobs.get()
            with lock:
                self._idle -= 1
                self._queued -= 1
            _run_job(*job)
            del job  # nothing of a finished request stays alive while the worker waits
            with lock:
                self._idle += 1

    def _forget_threads(self) -> None:
        """In a forked child: the parent's workers do not exist there."""
        self._jobs = SimpleQueue()
        self._lock = threading.Lock()
        self._threads = self._idle = self._queued = 0


def _run_job(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    context: contextvars.Context,
    function: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    _worker.loop = loop
    try:
        result = context.run(function, *args, **kwargs)
    except BaseException as error:
        _settle(loop, future, _set_exception, error)
    else:
        _settle(loop, future, _set_result, result)
    finally:
        _worker.loop = None


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    setter: Callable[[asyncio.Future[Any], Any], None],
    value: Any,
) -> None:
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits for the answer
        loop.call_soon_threadsafe(setter, future, value)


def _set_result(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


def _set_exception(future: asyncio.Future[Any], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)


_worker = threading.local()  # `loop`: the event loop whose job this worker runs
views = ThreadHop()
os.register_at_fork(after_in_child=views._forget_threads)


async def run_in_thread(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)` on one of the views' worker threads."""
    return await views.run(function, *args, **kwargs)


def run_on_loop(function: Callable[[], Awaitable[T]]) -> T:
    """From a sync view's thread, `await function()` on the event loop that handed it the view,
    and its result (`anyio.from_thread.run`, which serves the threads anyio started)."""

    async def call() -> T:
        return await function()

    loop: asyncio.AbstractEventLoop | None = getattr(_worker, "loop", None)
    if loop is None:
        import anyio.from_thread

        return anyio.from_thread.run(call)

    return asyncio.run_coroutine_threadsafe(call(), loop).result()
