"""`shadow`: legacy answers the client; the request is mirrored to the new side in the
background (the front's `mirror`, `proxy.shadow`), and the client never waits for it."""

from __future__ import annotations

from proxy.modes.base import Call, Mode, Side, SideCall, Sides


class Shadow(Mode):
    name = "shadow"
    needs_handler = True  # the mirror calls the migrated handler

    async def answer(self, call: Call, sides: Sides) -> Side:
        call.answering("legacy")
        await sides.mirror.answer_and_mirror(call, sides.answer_legacy)
        return "legacy"

    def answered_by(self) -> str:
        return "legacy (mirrored to new)"


class LegacyOnly:
    """The mirror of a front without one: legacy answers, nothing is mirrored."""

    async def answer_and_mirror(self, call: Call, legacy: SideCall) -> None:
        await legacy(call)
