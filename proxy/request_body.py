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
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    started = last = loop.time()
    parts: list[bytes] = []
    size = 0
    spool: IO[bytes] | None = None
    # One timer handle, moved as the body arrives (asyncio.timeout costs ten times more, and
    # most bodies come in one message).
    expiry = _Expiry(task)
    handle = loop.call_at(started + limits.timeout, expiry.fire, False)
    try:
        while True:
            message: Message = await receive()
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
                last = loop.time()
                handle.cancel()
                idle_at = last + limits.timeout
                rate_at = (
                    started + limits.timeout + size / limits.min_rate
                    if limits.min_rate
                    else idle_at
                )
                if idle_at <= rate_at:
                    handle = loop.call_at(idle_at, expiry.fire, False)
                else:
                    handle = loop.call_at(rate_at, expiry.fire, True)
    except asyncio.CancelledError:
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
        handle.cancel()
    if spool is not None:
        spool.seek(0)
        return spool, size
    return io.BytesIO(parts[0] if len(parts) == 1 else b"".join(parts)), size


class _Expiry:
    """Cancels the reading task when the body is late; `fired` says why (True: too slow)."""

    __slots__ = ("fired", "task")

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task
        self.fired: bool | None = None

    def fire(self, too_slow: bool) -> None:
        self.fired = too_slow
        self.task.cancel()


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
