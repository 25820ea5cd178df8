"""`retired`: the front answers 404, and no spelling of the path reaches the legacy handler."""

from __future__ import annotations

from proxy.modes.base import Call, Mode, Side, Sides


class Retired(Mode):
    name = "retired"
    needs_handler = False
    hides_legacy = True

    async def answer(self, call: Call, sides: Sides) -> Side:
        call.answering("front")
        await sides.answer_not_found(call, "this route has been retired")
        return "front"

    def answered_by(self) -> str:
        return "front (404, retired)"
