"""The legacy threads' pool: results and errors reach the event loop, a job cancelled before a
thread takes it never runs, and closing drops what has not started."""

from __future__ import annotations

import asyncio
import threading

import pytest

from proxy.thread_pool import ThreadPool


def test_a_result_comes_back_to_the_event_loop_from_a_pool_thread() -> None:
    pool = ThreadPool(2, name="test")

    async def ask() -> tuple[int, str]:
        return await pool.run(lambda a, b: (a + b, threading.current_thread().name), 1, 2)

    total, thread = asyncio.run(ask())
    pool.close()

    assert total == 3
    assert thread.startswith("test_")


def test_an_error_raised_on_a_pool_thread_is_raised_to_the_awaiting_coroutine() -> None:
    pool = ThreadPool(1, name="test")

    def fail() -> None:
        raise ValueError("from the thread")

    async def ask() -> None:
        await pool.run(fail)

    with pytest.raises(ValueError, match="from the thread"):
        asyncio.run(ask())
    pool.close()


def test_a_job_cancelled_while_waiting_for_a_thread_never_runs() -> None:
    pool = ThreadPool(1, name="test")
    busy, release = threading.Event(), threading.Event()
    ran: list[str] = []
    pool.submit(lambda: (busy.set(), release.wait()))
    busy.wait()

    waiting = pool.submit(ran.append, "waiting")
    cancelled = waiting.cancel()
    release.set()
    finished = threading.Event()
    pool.submit(finished.set)
    finished.wait()

    assert cancelled
    assert ran == []
    pool.close()


def test_a_job_that_already_ran_cannot_be_cancelled() -> None:
    pool = ThreadPool(1, name="test")
    done = threading.Event()
    job = pool.submit(done.set)
    done.wait()

    assert not job.cancel()
    pool.close()


def test_no_more_threads_start_than_the_pool_size() -> None:
    pool = ThreadPool(2, name="test")
    release = threading.Event()
    for _ in range(5):
        pool.submit(release.wait)

    names = {thread.name for thread in threading.enumerate() if thread.name.startswith("test_")}
    release.set()
    pool.close()

    assert names == {"test_0", "test_1"}


def test_closing_drops_the_jobs_that_have_not_started() -> None:
    pool = ThreadPool(1, name="test")
    busy, release = threading.Event(), threading.Event()
    ran: list[str] = []
    pool.submit(lambda: (busy.set(), release.wait()))
    busy.wait()
    pool.submit(ran.append, "queued")

    pool.close()
    release.set()

    for thread in [t for t in threading.enumerate() if t.name.startswith("test_")]:
        thread.join()
    assert ran == []
