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
from typing import IO

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
    started = last = loop.time()
    parts: list[bytes] = []
    size = 0
    spool: IO[bytes] | None = None
    idle_first = True
    try:
        async with asyncio.timeout(None) as deadline:
            while True:
                idle_at = last + limits.timeout
                if limits.min_rate:
                    rate_at = started + limits.timeout + size / limits.min_rate
                    idle_first = idle_at <= rate_at
                    deadline.reschedule(min(idle_at, rate_at))
                else:
                    deadline.reschedule(idle_at)
                message: Message = await receive()
                if message["type"] == "http.disconnect":
                    raise ClientDisconnected()
                chunk = message.get("body", b"")
                if chunk:
                    last = loop.time()
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
    except TimeoutError:
        if spool is not None:
            spool.close()
        if idle_first:
            raise BodyTimeout(limits.timeout) from None
        raise BodyTooSlow(limits.min_rate) from None
    except BaseException:
        if spool is not None:
            spool.close()
        raise
    if spool is not None:
        spool.seek(0)
        return spool, size
    return io.BytesIO(parts[0] if len(parts) == 1 else b"".join(parts)), size


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
