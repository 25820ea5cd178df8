"""`new`: the migrated handler answers every client."""

from __future__ import annotations

from proxy.modes.base import Call, Mode, Side, Sides


class New(Mode):
    name = "new"
    needs_handler = True

    async def answer(self, call: Call, sides: Sides) -> Side:
        call.answering("new")
        await sides.answer_new(call)
        return "new"

    def answered_by(self) -> str:
        return "new"
