"""What the state store holds: each route's live mode, weight and plan, with a version number,
and the audit log of every change.

A route is keyed by its `path` as written in strangler.toml plus the methods of its `[[routes]]`
entry (a path can have several entries, e.g. `GET` in one and `POST, PUT` in another).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

Mode = Literal["legacy", "shadow", "canary", "new", "retired"]
MODES: tuple[Mode, ...] = get_args(Mode)
PlanStatus = Literal["running", "paused", "done", "aborted"]


class StoreError(Exception):
    """Base of the state store's own errors."""


class StoreUnreachable(StoreError):
    """The store cannot be read or written (file, permissions, server down): CLI exit 3."""


class VersionConflict(StoreError):
    """A compare-and-set lost: the route changed since the caller read it (CLI exit 1)."""

    def __init__(self, key: RouteKey, expected: int, current: RouteState | None) -> None:
        found = current.version if current is not None else 0
        super().__init__(
            f"{key}: changed meanwhile (expected version {expected}, found {found}); "
            "read it again and retry"
        )
        self.key = key
        self.expected = expected
        self.current = current


class InvalidState(StoreError, ValueError):
    """A change the store refuses before writing anything (an unknown mode, a weight > 100)."""


@dataclass(frozen=True, order=True)
class RouteKey:
    """A route of strangler.toml: its path as written and its entry's methods."""

    path: str
    methods: tuple[str, ...]

    @classmethod
    def of(cls, path: str, methods: tuple[str, ...] | list[str]) -> RouteKey:
        return cls(path, tuple(sorted({m.upper() for m in methods})))

    @classmethod
    def parse(cls, text: str) -> RouteKey:
        """The inverse of `str()`: `GET,POST /api/products`."""
        methods, _, path = text.partition(" ")
        if not path.startswith("/") or not methods:
            raise InvalidState(f"not a route key: {text!r} (expected 'GET,POST /path')")
        return cls.of(path, methods.split(","))

    def __str__(self) -> str:
        return f"{','.join(self.methods)} {self.path}"


@dataclass(frozen=True)
class PlanStep:
    """One step of a plan: a mode (and weight for canary) held for `seconds` (None: the last)."""

    mode: Mode
    weight: int = 0
    seconds: float | None = None


@dataclass(frozen=True)
class Plan:
    """A step plan, advanced by the front while the analysis stays healthy."""

    steps: tuple[PlanStep, ...]
    current: int = 0
    status: PlanStatus = "running"
    step_started_at: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["steps"] = list(data["steps"])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        return cls(
            steps=tuple(PlanStep(**step) for step in data["steps"]),
            current=int(data.get("current", 0)),
            status=data.get("status", "running"),
            step_started_at=float(data.get("step_started_at", 0.0)),
        )


@dataclass(frozen=True)
class Desired:
    """What a change sets: the new mode, canary weight and plan of a route."""

    mode: Mode
    weight: int = 0
    plan: Plan | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise InvalidState(f"unknown mode {self.mode!r} (modes: {', '.join(MODES)})")
        if not 0 <= self.weight <= 100:
            raise InvalidState(f"weight {self.weight} is not between 0 and 100")


@dataclass(frozen=True)
class RouteState:
    """A route's live state as the store holds it. `version` counts its changes (1 = first)."""

    mode: Mode
    weight: int
    plan: Plan | None
    version: int
    updated_at: float
    updated_by: str

    def to_text(self) -> str:
        data = asdict(self)
        data["plan"] = self.plan.to_json() if self.plan is not None else None
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str | bytes) -> RouteState:
        data = json.loads(text)
        plan = data.get("plan")
        return cls(
            mode=data["mode"],
            weight=int(data["weight"]),
            plan=Plan.from_json(plan) if plan else None,
            version=int(data["version"]),
            updated_at=float(data["updated_at"]),
            updated_by=str(data["updated_by"]),
        )


@dataclass(frozen=True)
class AuditEntry:
    """One change: who, when, from, to, why."""

    route: str
    who: str
    at: float
    from_mode: Mode | None
    from_weight: int | None
    to_mode: Mode
    to_weight: int
    version: int
    why: str = ""
    plan: dict[str, Any] | None = field(default=None, compare=False)

    def to_text(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str | bytes) -> AuditEntry:
        return cls(**json.loads(text))
