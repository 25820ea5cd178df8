"""What the rules converting one module share: the context's scratch entries (the module's state,
its findings, node-type masks) and the imports they ask for.

The runner applies the import requests once per module (imports.py). Scratch keys and entries
are those of libcst's `CodemodContext` and `AddImportsVisitor`/`RemoveImportsVisitor`, without
importing `libcst.codemod`, which brings in `libcst.matchers`: the largest import of a fresh
process's start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_ADDED = "AddImportsVisitor"  # libcst's CONTEXT_KEY values
_REMOVED = "RemoveImportsVisitor"


@dataclass(frozen=True)
class ModuleContext:
    """One module's conversion context (the fields of libcst's `CodemodContext` the rules use)."""

    scratch: dict[str, Any] = field(default_factory=dict)
    filename: str | None = None


@dataclass(frozen=True)
class ImportRequest:
    """`from module_name import obj_name as alias` (with `relative` leading dots) to be added."""

    module_name: str
    obj_name: str | None = None
    alias: str | None = None
    relative: int = 0

    def __post_init__(self) -> None:
        if self.module_name.startswith("."):  # leading dots count as `relative`
            name = self.module_name.lstrip(".")
            object.__setattr__(self, "relative", self.relative + len(self.module_name) - len(name))
            object.__setattr__(self, "module_name", name)


# (module, name, asname) of an import to remove when nothing uses it any more.
Removal = tuple[str, str | None, str | None]


def add_import(
    context: ModuleContext,
    module: str,
    name: str | None = None,
    asname: str | None = None,
    relative: int = 0,
) -> None:
    """Have `from module import name as asname` added to the module (unless present)."""
    requested_imports(context).append(ImportRequest(module, name, asname, relative))


def remove_import(
    context: ModuleContext, module: str, name: str | None = None, asname: str | None = None
) -> None:
    """Have `from module import name` (`import module` without a name) removed when unused."""
    context.scratch.setdefault(_REMOVED, []).append((module, name, asname))


def requested_imports(context: ModuleContext) -> list[ImportRequest]:
    """The imports asked for so far, in order (a rule may edit the list)."""
    requests: list[ImportRequest] = context.scratch.setdefault(_ADDED, [])
    return requests


def take_import_requests(context: ModuleContext) -> tuple[list[ImportRequest], list[Removal]]:
    """The imports asked for and those asked to be removed, cleared from the context."""
    return context.scratch.pop(_ADDED, []), context.scratch.pop(_REMOVED, [])
