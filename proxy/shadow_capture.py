"""Keeping a copy of what passes between a client and legacy, for the shadow to mirror.

`Capture` wraps the request's `receive` and the response's `send`: each message goes on to
legacy or to the client first, unchanged, and is copied after. Nothing is read ahead and nothing
waits: the client's answer leaves exactly as it would without the shadow. Bodies larger than
`limit` stop being copied (the request is then not mirrored, and that is counted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.types import Message, Receive, Send

from proxy.diff import Response


@dataclass
class Capture:
    receive_from: Receive
    send_to: Send
    limit: int
    request_chunks: list[bytes] = field(default_factory=list)
    request_bytes: int = 0
    request_complete: bool = False
    status: int = 0
    response_headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    response_chunks: list[bytes] = field(default_factory=list)
    response_bytes: int = 0
    response_complete: bool = False
    too_large: bool = False

    async def receive(self) -> Message:
        message = await self.receive_from()
        if message["type"] == "http.request" and not self.too_large:
            body = message.get("body", b"")
            if body:
                self.request_bytes += len(body)
                if self.request_bytes > self.limit:
                    self._give_up()
                else:
                    self.request_chunks.append(body)
            if not message.get("more_body", False):
                self.request_complete = True
        return message

    async def send(self, message: Message) -> None:
        await self.send_to(message)
        kind = message["type"]
        if kind == "http.response.start":
            self.status = message["status"]
            self.response_headers = list(message.get("headers", ()))
        elif kind == "http.response.body" and not self.too_large:
            body = message.get("body", b"")
            if body:
                self.response_bytes += len(body)
                if self.response_bytes > self.limit:
                    self._give_up()
                    return
                self.response_chunks.append(body)
            if not message.get("more_body", False):
                self.response_complete = True

    def _give_up(self) -> None:
        self.too_large = True
        self.request_chunks.clear()
        self.response_chunks.clear()

    @property
    def request_body(self) -> bytes:
        return b"".join(self.request_chunks)

    def response(self) -> Response:
        return Response(
            self.status,
            tuple(
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in self.response_headers
            ),
            b"".join(self.response_chunks),
        )
