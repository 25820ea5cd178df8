"""What verification found: failures located by generated module, handler and method."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Failure:
    """One failed check. `handler` (and `method`) name the route it concerns; without a handler
    it concerns the module (`module`: the generated file, relative to DEST); without a module,
    the whole app."""

    check: str  # names | imports | start-up | answers
    message: str  # the exact error
    module: str | None = None
    handler: str | None = None
    method: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Uncalled:
    """A route the answers check could not call (its route stays `unverified`)."""

    module: str
    handler: str
    method: str
    reason: str


@dataclass
class Verification:
    failures: list[Failure] = field(default_factory=list)
    uncalled: list[Uncalled] = field(default_factory=list)
    passed_calls: set[tuple[str, str, str]] = field(default_factory=set)  # module, handler, method
    checked_modules: set[str] = field(default_factory=set)
    # generated modules that do not import while their legacy twin does not either (an optional
    # package missing): why, by module; their entries stay unverified rather than failed
    unimportable: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # after the conversion: what verifying added to the run
    child_seconds: float = 0.0  # the child process, from its start with the conversion
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step after the conversion
    # CPU seconds of a child forked by the warm server (warm.py), as it reported them (a cold
    # child is counted with this process's children); None: a cold child.
    child_cpu: float | None = None
    # The legacy app's own routes ({"rules": [...]} or {"error": ...}); None: not read.
    url_map: dict[str, Any] | None = None
