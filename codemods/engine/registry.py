"""A registry of rules for one source framework, in the order they run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from codemods.engine.rule import Rule


class UnknownRule(ValueError):
    pass


class Registry:
    def __init__(self, framework: str, rules: Sequence[type[Rule]]) -> None:
        self.framework = framework
        self.rules = list(rules)
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names) or not all(names):
            raise ValueError(f"rule names must be unique and non-empty: {names}")

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]

    def select(self, only: Iterable[str] | None) -> list[type[Rule]]:
        """The rules to run, in registry order; `only` names a subset."""
        if only is None:
            return list(self.rules)
        wanted = {name.strip() for name in only if name.strip()}
        unknown = sorted(wanted - set(self.names))
        if unknown:
            raise UnknownRule(
                f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(self.names)}"
            )
        return [r for r in self.rules if r.name in wanted]
