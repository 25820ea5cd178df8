"""Reading a legacy request's body before it takes a thread: memory, spooling, time limits."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest

from proxy.edge import BodyTooLarge
from proxy.request_body import (
    BodyLimits,
    BodyTimeout,
    BodyTooSlow,
    ClientDisconnected,
    LimitedReceive,
    read_body,
)

pytestmark = pytest.mark.anyio


def paced(*chunks: bytes, every: float = 0.0, then_wait: bool = True) -> Any:
    """A receive giving `chunks` one per `every` seconds; after them, silence (or the end)."""
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        if pending:
            await asyncio.sleep(every)
            chunk = pending.pop(0)
            more = bool(pending) or then_wait
            return {"type": "http.request", "body": chunk, "more_body": more}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    return receive


async def test_a_small_body_stays_in_memory() -> None:
    body, size = await read_body(paced(b"ab", b"cd", then_wait=False), BodyLimits(memory=10))

    assert size == 4 and body.read() == b"abcd"
    assert isinstance(body, io.BytesIO)


async def test_a_body_above_the_memory_limit_is_spooled_to_a_file() -> None:
    body, size = await read_body(paced(b"a" * 6, b"b" * 6, then_wait=False), BodyLimits(memory=10))

    assert size == 12
    assert body.fileno() >= 0
    assert body.read() == b"a" * 6 + b"b" * 6


async def test_a_body_that_stops_sending_times_out() -> None:
    with pytest.raises(BodyTimeout):
        await read_body(paced(b"a"), BodyLimits(timeout=0.2))


async def test_a_body_slower_than_the_minimum_rate_is_refused() -> None:
    trickle = paced(*([b"x"] * 50), every=0.05)  # 20 bytes/s, never idle for 0.2 s

    with pytest.raises(BodyTooSlow):
        await read_body(trickle, BodyLimits(timeout=0.2, min_rate=1000))


async def test_a_client_leaving_mid_body_is_a_disconnect() -> None:
    messages = [
        {"type": "http.request", "body": b"a", "more_body": True},
        {"type": "http.disconnect"},
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    with pytest.raises(ClientDisconnected):
        await read_body(receive, BodyLimits())


async def test_an_outside_cancellation_is_not_mistaken_for_a_timeout() -> None:
    task = asyncio.ensure_future(read_body(paced(b"a"), BodyLimits(timeout=5)))
    await asyncio.sleep(0.05)
    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_limited_receive_remembers_it_refused_a_body() -> None:
    limited = LimitedReceive(paced(b"a" * 8, b"b" * 8), limit=10)

    await limited()
    with pytest.raises(BodyTooLarge):
        await limited()
    assert limited.exceeded


class ArrivedCycle:
    """A server request cycle (as uvicorn's) whose whole body has arrived: `more_body` False."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.more_body = False
        self.disconnected = False

    async def receive(self) -> dict[str, Any]:
        return {"type": "http.request", "body": self.body, "more_body": False}


async def test_a_body_the_server_already_holds_whole_is_taken_without_a_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def timed(*_: Any) -> Any:
        raise AssertionError("a deadline was set for a body already in")

    monkeypatch.setattr("proxy.request_body._read_timed", timed)

    small, small_size = await read_body(ArrivedCycle(b"abcd").receive, BodyLimits(memory=10))
    large, large_size = await read_body(ArrivedCycle(b"a" * 12).receive, BodyLimits(memory=10))

    assert (small_size, small.read()) == (4, b"abcd") and isinstance(small, io.BytesIO)
    assert (large_size, large.read()) == (12, b"a" * 12) and large.fileno() >= 0
    large.close()


async def test_a_body_still_arriving_at_the_server_is_timed() -> None:
    cycle = ArrivedCycle(b"a")
    cycle.more_body = True

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    receive.__self__ = cycle  # type: ignore[attr-defined]  (read as a bound method's owner)
    with pytest.raises(BodyTimeout):
        await read_body(receive, BodyLimits(timeout=0.2))
