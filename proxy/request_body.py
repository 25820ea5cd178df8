"""Read a whole request body on the event loop before the legacy app is called, as nginx does.

    limits = BodyLimits(timeout=60, min_rate=500, memory=65536)
    body, size = await read_body(receive, limits)   # a file positioned at 0, and its length

Small bodies stay in memory; above `memory` bytes the body is spooled to a temporary file. A
body that sends nothing for `timeout` seconds raises BodyTimeout; once `timeout` seconds have
passed, one arriving slower than `min_rate` bytes/s on average raises BodyTooSlow (Apache's
mod_reqtimeout `MinRate`). A client that leaves raises ClientDisconnected.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from starlette.types import Message, Receive

from proxy.deadlines import TIMER_SLACK, LineCache
from proxy.edge import BodyTooLarge


class ClientDisconnected(Exception):
    """The client went away before its response was complete (logged as 499)."""


class BodyTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the request body sent nothing for {seconds:g}s")


class BodyTooSlow(Exception):
    def __init__(self, rate: int) -> None:
        super().__init__(f"the request body arrived slower than {rate} bytes/s")


@dataclass(frozen=True, slots=True)
class BodyLimits:
    timeout: float = 60.0
    min_rate: int = 0
    memory: int = 65536


async def read_body(receive: Receive, limits: BodyLimits) -> tuple[IO[bytes], int]:
    if getattr(getattr(receive, "__self__", None), "more_body", None) is False:
        # uvicorn's request cycle has the whole body already (a small request comes in one read):
        # receive() returns it at once, so there is nothing to time
        message: Message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnected()
        if not message.get("more_body", False):
            return _whole(message.get("body", b""), limits)
        return await _read_timed(receive, limits, message)
    return await _read_timed(receive, limits, None)


def _whole(body: bytes, limits: BodyLimits) -> tuple[IO[bytes], int]:
    if len(body) <= limits.memory:
        return io.BytesIO(body), len(body)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the caller)
    spool.write(body)
    spool.seek(0)
    return spool, len(body)


async def _read_timed(
    receive: Receive, limits: BodyLimits, first: Message | None
) -> tuple[IO[bytes], int]:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    # The first deadline waits in a line shared by every body read of this loop (most bodies come
    # in one message, long before it); one moved on by the chunks of a long body gets a timer of
    # its own when that first deadline comes.
    expiry = _Expiry(task)
    line = _lines.get(limits.timeout)
    if line is None:
        line = _lines[limits.timeout] = LineCache(limits.timeout, _settled, _first_deadline)
    expiry.deadline = line.get(loop).add(expiry, None)
    started = expiry.deadline - limits.timeout
    parts: list[bytes] = []
    size = 0
    spool: IO[bytes] | None = None
    try:
        while True:
            if first is None:
                message = await receive()
            else:
                message, first = first, None
            if message["type"] == "http.disconnect":
                raise ClientDisconnected()
            chunk = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if spool is not None:
                    spool.write(chunk)
                elif size > limits.memory:
                    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the caller)
                    spool.writelines(parts)
                    spool.write(chunk)
                    parts = []
                else:
                    parts.append(chunk)
            if not message.get("more_body", False):
                break
            if chunk:
                idle_at = loop.time() + limits.timeout
                rate_at = (
                    started + limits.timeout + size / limits.min_rate
                    if limits.min_rate
                    else idle_at
                )
                expiry.too_slow = rate_at < idle_at
                expiry.deadline = min(idle_at, rate_at)
    except asyncio.CancelledError:
        expiry.done = True
        if spool is not None:
            spool.close()
        if expiry.fired is None:
            raise
        task.uncancel()
        if expiry.fired:
            raise BodyTooSlow(limits.min_rate) from None
        raise BodyTimeout(limits.timeout) from None
    except BaseException:
        if spool is not None:
            spool.close()
        raise
    finally:
        expiry.done = True
        if expiry.handle is not None:
            expiry.handle.cancel()
    if spool is not None:
        spool.seek(0)
        return spool, size
    return io.BytesIO(parts[0] if len(parts) == 1 else b"".join(parts)), size


class _Expiry:
    """Cancels the reading task when the body is late; `fired` says why (True: too slow)."""

    __slots__ = ("deadline", "done", "fired", "handle", "task", "too_slow")

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task
        self.fired: bool | None = None
        self.done = False  # the read has ended
        self.deadline = 0.0
        self.too_slow = False  # what passing `deadline` would mean
        self.handle: asyncio.TimerHandle | None = None

    def check(self) -> None:
        self.handle = None
        if self.done:
            return
        loop = self.task.get_loop()
        if self.deadline <= loop.time() + TIMER_SLACK:
            self.fired = self.too_slow
            self.task.cancel()
        else:  # moved on by the chunks that arrived meanwhile
            self.handle = loop.call_at(self.deadline, self.check)


def _settled(expiry: _Expiry, _: None) -> bool:
    return expiry.done


def _first_deadline(expiry: _Expiry, _: None, due: float) -> None:
    expiry.check()


_lines: dict[float, LineCache] = {}  # by timeout


class LimitedReceive:
    """A receive that raises BodyTooLarge once more than `limit` body bytes have arrived, and
    remembers that it did (an app may turn the error into its own response)."""

    __slots__ = ("exceeded", "limit", "receive", "seen")

    def __init__(self, receive: Receive, limit: int) -> None:
        self.receive = receive
        self.limit = limit
        self.seen = 0
        self.exceeded = False

    async def __call__(self) -> Message:
        message = await self.receive()
        self.seen += len(message.get("body", b""))
        if self.seen > self.limit:
            self.exceeded = True
            raise BodyTooLarge(self.limit)
        return message


__all__ = [
    "BodyLimits",
    "BodyTimeout",
    "BodyTooLarge",
    "BodyTooSlow",
    "ClientDisconnected",
    "LimitedReceive",
    "read_body",
]
