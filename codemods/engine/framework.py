"""A source framework the codemods convert from: its rules, its analysis, its output's imports.

The runner first hands the whole source tree to the framework's `analyse` (one pass, before any
module is transformed, as bump-pydantic gathers class information before its transformers run),
then gives what it found to every module's rules as `ModuleState.analysis`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codemods.engine.registry import Registry

if TYPE_CHECKING:
    from codemods.engine.runner import Target


def no_analysis(target: Target) -> None:
    return None


@dataclass(frozen=True)
class Framework:
    name: str
    registry: Registry
    # Reads the source tree before the rules run; its result is `ModuleState.analysis`.
    analyse: Callable[[Target], object] = no_analysis
    # Top-level packages the generated code imports, sorted by isort as first-party (beside the
    # output's own package).
    first_party: tuple[str, ...] = ()
    # The module the verification's child imports to build and call the legacy app
    # (`codemods.engine.verify`); None: the output is not verified.
    verifier: str | None = None
    # Environment variables the verification's child gets (Django: the settings module).
    verifier_env: tuple[tuple[str, str], ...] = ()
