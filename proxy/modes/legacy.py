"""`legacy`: the legacy app answers, as before the front."""

from __future__ import annotations

from proxy.modes.base import Call, Mode, Side, Sides


class Legacy(Mode):
    name = "legacy"
    needs_handler = False

    async def answer(self, call: Call, sides: Sides) -> Side:
        call.answering("legacy")
        await sides.answer_legacy(call)
        return "legacy"

    def answered_by(self) -> str:
        return "legacy"
