"""What the engine compares (responses, row changes) and what it answers (differences)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from proxy.diff.paths import Path
from proxy.diff.rows import RowChanges

Where = Literal["status", "header", "body", "rows"]


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


MISSING: Any = _Missing()
"""Stands for a value present on one side only."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    def header_values(self, name: str) -> list[str]:
        lowered = name.lower()
        return [value for key, value in self.headers if key.lower() == lowered]

    @property
    def media_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()


@dataclass(frozen=True, slots=True)
class Exchange:
    """One side's answer to one request: the response and, when measured, the rows it changed."""

    response: Response
    rows: RowChanges | None = None


def show(value: Any) -> str:
    if value is MISSING:
        return "<missing>"
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


@dataclass(frozen=True, slots=True)
class Difference:
    where: Where
    path: Path
    legacy: Any
    new: Any
    noise: bool = False
    ignored: bool = False
    note: str = ""

    def __str__(self) -> str:
        text = f"{self.path}: {show(self.legacy)} != {show(self.new)}"
        return f"{text} ({self.note})" if self.note else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "path": str(self.path),
            "legacy": None if self.legacy is MISSING else self.legacy,
            "new": None if self.new is MISSING else self.new,
            "legacy_missing": self.legacy is MISSING,
            "new_missing": self.new is MISSING,
            "noise": self.noise,
            "ignored": self.ignored,
            "note": self.note,
            "text": str(self),
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    differences: tuple[Difference, ...] = field(default_factory=tuple)

    @property
    def real(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if not d.noise and not d.ignored)

    @property
    def noise(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.noise and not d.ignored)

    @property
    def ignored(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.ignored)

    @property
    def equal(self) -> bool:
        return not self.real
