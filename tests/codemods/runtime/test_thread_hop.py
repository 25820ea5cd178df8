"""The migrated routes' own thread hop: sync work on a worker thread, in the caller's context."""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time

import pytest

from codemods.runtime.common.thread_hop import ThreadHop, run_in_thread, run_on_loop

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="none")


def test_the_call_runs_on_a_worker_thread_and_returns_its_result() -> None:
    async def main() -> tuple[str, int]:
        return await run_in_thread(lambda a, b: (threading.current_thread().name, a + b), 2, b=3)

    name, total = asyncio.run(main())
    assert (name, total) == ("strangler-view", 5)


def test_the_worker_sees_the_callers_context() -> None:
    async def main() -> str:
        request_id.set("r1")
        return await run_in_thread(request_id.get)

    assert asyncio.run(main()) == "r1"


def test_the_calls_exception_reaches_the_caller() -> None:
    def fails() -> None:
        raise LookupError("no row")

    async def main() -> None:
        await run_in_thread(fails)

    with pytest.raises(LookupError, match="no row"):
        asyncio.run(main())


def test_blocking_calls_run_side_by_side_up_to_the_pools_size() -> None:
    hop = ThreadHop(max_threads=3)
    barrier = threading.Barrier(3, timeout=30)

    async def main() -> list[int]:
        return await asyncio.gather(*(hop.run(barrier.wait) for _ in range(3)))

    assert sorted(asyncio.run(main())) == [0, 1, 2]  # all three waited at once: no deadlock


def test_calls_beyond_the_pools_size_wait_for_a_free_worker() -> None:
    hop = ThreadHop(max_threads=2)
    running, most = 0, 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.01)
        with lock:
            running -= 1

    async def main() -> None:
        await asyncio.gather(*(hop.run(work) for _ in range(10)))

    asyncio.run(main())
    assert most == 2


def test_a_worker_awaits_on_the_callers_event_loop() -> None:
    async def on_loop() -> int:
        await asyncio.sleep(0)
        return id(asyncio.get_running_loop())

    async def main() -> tuple[int, int]:
        loop_id = id(asyncio.get_running_loop())
        return loop_id, await run_in_thread(run_on_loop, on_loop)

    loop_id, seen = asyncio.run(main())
    assert seen == loop_id
