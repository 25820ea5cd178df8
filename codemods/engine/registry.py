"""A registry of rules for one source framework, in the order they run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from codemods.engine.rule import Rule


class UnknownRule(ValueError):
    pass


class MisorderedRules(ValueError):
    """A rule's requirement (or a rule it uses) is not registered or does not come before it."""


class Registry:
    def __init__(self, framework: str, rules: Sequence[type[Rule]]) -> None:
        self.framework = framework
        self.rules = list(rules)
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names) or not all(names):
            raise ValueError(f"rule names must be unique and non-empty: {names}")
        self._check_order()

    def _check_order(self) -> None:
        """Every rule's requirements, and the rules it uses, are registered and run before it."""
        position = {rule.name: index for index, rule in enumerate(self.rules)}
        for index, rule in enumerate(self.rules):
            for kind, names in (("requires", rule.requires), ("uses", rule.uses)):
                for name in names:
                    if name not in position:
                        raise MisorderedRules(f"rule {rule.name} {kind} {name}: no such rule")
                    if position[name] >= index:
                        raise MisorderedRules(
                            f"rule {rule.name} {kind} {name}, which must run before it"
                        )

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]

    def resolve(self, rules: Iterable[type[Rule]]) -> list[type[Rule]]:
        """The rules with the registered rules they require (transitively), in registry order;
        rules the registry does not hold come last, in the order given."""
        by_name = {rule.name: rule for rule in self.rules}
        chosen: list[type[Rule]] = []

        def add(rule: type[Rule]) -> None:
            if rule in chosen:
                return
            for name in rule.requires:
                if name not in by_name:
                    raise UnknownRule(f"rule {rule.name} requires {name}: no such rule")
                add(by_name[name])
            chosen.append(rule)

        for rule in rules:
            add(rule)
        return [r for r in self.rules if r in chosen] + [r for r in chosen if r not in self.rules]

    def select(self, only: Iterable[str] | None) -> list[type[Rule]]:
        """The rules to run, in registry order; `only` names a subset (with what it requires)."""
        if only is None:
            return list(self.rules)
        wanted = {name.strip() for name in only if name.strip()}
        unknown = sorted(wanted - set(self.names))
        if unknown:
            raise UnknownRule(
                f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(self.names)}"
            )
        return self.resolve(r for r in self.rules if r.name in wanted)
