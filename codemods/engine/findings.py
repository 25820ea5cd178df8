"""What a run found: one entry per route, form, model or schema, with its conversion status."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from codemods.engine.context import ModuleContext

TODO_PREFIX = "TODO(strangler):"


class Status(StrEnum):
    converted = "converted"
    unverified = "unverified"  # converted, but its verification could not call it
    partial = "partial"
    manual = "manual"


_RANK = {Status.converted: 0, Status.unverified: 1, Status.partial: 2, Status.manual: 3}


@dataclass
class Finding:
    """One construct of the legacy code and what became of it.

    `symbol` names the construct in its source module (a function or class name); the runner turns
    it into `file:line` positions in the source and in the generated module.
    """

    kind: str
    symbol: str
    status: Status = Status.converted
    reasons: list[str] = field(default_factory=list)
    target_symbol: str | None = None
    source: str = ""
    target: str = ""
    verified: bool | None = None  # None: not checked (see codemods/engine/verify)
    error: str | None = None  # the exact error of the first check it failed
    # The 1-based source line, when the construct is not a `def`/`class` (a URL pattern); its
    # target is then the generated module.
    line: int | None = None
    details: dict[str, Any] = field(default_factory=dict)  # added to the JSON entry as is

    def note(self, reason: str, status: Status = Status.partial) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
        if _RANK[status] > _RANK[self.status]:
            self.status = status

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "status": str(self.status),
            "target": self.target,
            "reasons": list(self.reasons),
            "verified": self.verified,
            "error": self.error,
            **self.details,
        }


class FindingLog:
    """The findings of one module, kept in the codemod context so every rule can add to them."""

    SCRATCH_KEY = "strangler.findings"

    def __init__(self) -> None:
        self.entries: list[Finding] = []
        self.module_notes: list[str] = []

    @classmethod
    def of(cls, context: ModuleContext) -> FindingLog:
        log = context.scratch.get(cls.SCRATCH_KEY)
        if log is None:
            log = cls()
            context.scratch[cls.SCRATCH_KEY] = log
        assert isinstance(log, FindingLog)
        return log

    def add(self, kind: str, symbol: str, target_symbol: str | None = None) -> Finding:
        entry = Finding(kind=kind, symbol=symbol, target_symbol=target_symbol or symbol)
        self.entries.append(entry)
        return entry

    def find(self, symbol: str) -> list[Finding]:
        return [e for e in self.entries if e.symbol == symbol or e.target_symbol == symbol]

    def note(self, symbol: str | None, reason: str, status: Status = Status.partial) -> None:
        """Attach a reason to every finding of `symbol` (the module itself when there is none)."""
        matches = self.find(symbol) if symbol else []
        if not matches:
            if reason not in self.module_notes:
                self.module_notes.append(reason)
            return
        for entry in matches:
            entry.note(reason, status)


def definition_line(source: str, symbol: str, after_line: int = 0) -> int | None:
    """The 1-based line where `def symbol` or `class symbol` starts, or None."""
    if "." in symbol:
        owner, _, member = symbol.rpartition(".")
        owner_line = definition_line(source, owner)
        return definition_line(source, member, owner_line or 0) or owner_line
    if symbol not in source:
        return None
    pattern = re.compile(rf"^\s*(?:async\s+def|def|class)\s+{re.escape(symbol)}\b")
    for number, line in enumerate(source.splitlines(), start=1):
        if number > after_line and symbol in line and pattern.match(line):
            return number
    return None
