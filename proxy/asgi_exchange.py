"""One request to an ASGI app in-process, with its whole body buffered, and the app's answer
collected: how parity calls an app without a server, and how the shadow calls the new side. The
app gets the body, then `http.disconnect` once its answer is complete (or it has returned)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message


@dataclass
class Answer:
    """What the app sent: `status` 0 when it never started an answer; `error` what it raised."""

    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)
    complete: bool = False  # the last body message was sent
    error: Exception | None = None

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)


async def exchange(
    app: ASGIApp, scope: dict[str, Any], body: bytes, *, keep_body: bool = True
) -> Answer:
    """Send `body` to `app` under `scope` and collect its answer (without the body's bytes when
    `keep_body` is false, as for HEAD). An exception the app raises is kept in `error`."""
    answer = Answer()
    finished = asyncio.Event()
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers.extend(
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in message.get("headers", ())
            )
        elif message["type"] == "http.response.body":
            if keep_body:
                answer.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                answer.complete = True
                finished.set()

    try:
        await app(scope, receive, send)
    except Exception as error:
        answer.error = error
    finally:
        finished.set()
    return answer
