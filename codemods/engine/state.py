"""What the rules converting one module share: typed fields, each written by one party.

The runner writes what it knows of the module (`module_path`, `source_package`, `only_view`, the
`legacy` tree) and the framework's analysis of the whole source tree (`analysis`). Rules add route
handlers, extra files and the legacy origins of what they generate. Anything else one rule hands to
later ones is a `Facts` record: a dataclass (in the framework's `facts.py`) naming the rule that
writes it as its `owner`; that rule writes it with `Rule.own(Record)` (refused for any other rule),
later rules read it with `Rule.read(Record)` and name the owner in their `requires` (cannot do
without it) or `uses` (read it when it ran). A record its owner did not write reads as its
defaults. Rules so share data without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import libcst as cst

from codemods.engine.context import ModuleContext

F = TypeVar("F", bound="Facts")
T = TypeVar("T")


class Facts:
    """Base of a record of facts that one rule (`owner`, a rule name) writes for later rules.
    Subclasses are dataclasses whose fields all have defaults."""

    owner: ClassVar[str] = ""


@dataclass
class ModuleState:
    """One module's conversion state, kept in its codemod context (`state_of`)."""

    # Written by the runner.
    module_path: tuple[str, ...] = ()  # the module's path under SRC, as parts
    source_package: str | None = None  # SRC's dotted package, when importable from the cwd
    only_view: str | None = None  # `SRC/module.py::view` converts that view only
    analysis: object = None  # what the framework's analysis found in the whole of SRC
    legacy: cst.Module | None = None  # the legacy module as parsed, before any rule ran
    legacy_source: str | None = None  # its text (`legacy.code`, without rendering it)
    # Written by the rules.
    handlers: dict[str, str] = field(default_factory=dict)  # route handler -> its router
    origins: dict[str, str] = field(default_factory=dict)  # generated function -> legacy symbol
    manual: dict[str, str] = field(default_factory=dict)  # legacy view -> why it is manual
    partial: dict[str, str] = field(default_factory=dict)  # legacy view -> what differs
    extra_files: dict[str, str] = field(default_factory=dict)  # path under DEST -> code
    facts: dict[type[Facts], Facts] = field(default_factory=dict)
    # What `once` computed for this module (several rules reading the same legacy facts).
    computed: dict[Hashable, Any] = field(default_factory=dict)

    @property
    def to_root(self) -> str:
        """The leading dots of a relative import from this module of SRC's top package."""
        return "." * max(len(self.module_path), 1)

    def legacy_code(self, fallback: cst.Module) -> str:
        """The legacy module's text (`fallback.code` when the runner did not give it)."""
        if self.legacy_source is not None:
            return self.legacy_source
        return (self.legacy or fallback).code

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, computed once per module for `key` (what several rules derive from the
        legacy module alike)."""
        if key not in self.computed:
            self.computed[key] = compute()
        return self.computed[key]

    def record(self, kind: type[F]) -> F:
        """The module's `kind` record, with its defaults when nothing wrote it yet."""
        found = self.facts.get(kind)
        if found is None:
            found = self.facts[kind] = kind()
        assert isinstance(found, kind)
        return found


STATE_KEY = "strangler.state"


def state_of(context: ModuleContext) -> ModuleState:
    """The module's state, created empty on first use."""
    state = context.scratch.get(STATE_KEY)
    if not isinstance(state, ModuleState):
        state = context.scratch[STATE_KEY] = ModuleState()
    return state
