"""`canary`: a share of clients (the weight, 0-100) meets the new side, the others legacy.

The side is chosen per client by `proxy.canary_assignment`: sticky in both directions (a signed
client cookie, or the user id the legacy session names), raising the weight only moves clients
from legacy to new, and the force header and cookie (`always`/`never`) come first.
"""

from __future__ import annotations

from dataclasses import replace

from starlette.types import Message, Send

from proxy.canary_assignment import ClientHints
from proxy.modes.base import Call, Mode, Side, Sides


class Canary(Mode):
    name = "canary"
    needs_handler = True

    async def answer(self, call: Call, sides: Sides) -> Side:
        hints = ClientHints.from_headers(call.scope["headers"])
        if sides.session_user is not None and hints.cookies:
            hints = replace(hints, user_id=await sides.session_user(hints.cookies))
        assignment = sides.canary.assign(str(call.route.key), self.weight, hints)
        if assignment.set_cookie is not None:
            call.send = with_cookie(call.send, assignment.set_cookie.encode("latin-1"))
        side: Side = assignment.side
        call.answering(side)
        if side == "new":
            await sides.answer_new(call)
        else:
            await sides.answer_legacy(call)
        return side

    def answered_by(self) -> str:
        return f"new for {self.weight}% of clients, legacy for the others"


def with_cookie(send: Send, set_cookie: bytes) -> Send:
    """`send` adding one Set-Cookie header to the response."""

    async def send_with_cookie(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message["headers"], (b"set-cookie", set_cookie)]}
        await send(message)

    return send_with_cookie
