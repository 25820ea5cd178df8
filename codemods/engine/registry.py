"""A registry of rules for one source framework, in the order they run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from codemods.engine.rule import Rule


class UnknownRule(ValueError):
    pass


class MisorderedRules(ValueError):
    """A rule's requirement (or a rule it uses) is missing or comes after it."""


def with_requirements(rules: Sequence[type[Rule]]) -> list[type[Rule]]:
    """The rules with what they require (transitively), each requirement just before the first
    rule needing it unless it is there already; the order of `rules` is kept."""
    result: list[type[Rule]] = []

    def add(rule: type[Rule]) -> None:
        if rule in result:
            return
        for required in rule.requires:
            add(required)
        result.append(rule)

    for rule in rules:
        add(rule)
    return result


def check_order(rules: Sequence[type[Rule]]) -> None:
    """Every rule's requirements are in `rules` and run before it, as do the rules it uses
    when they are there too."""
    position = {rule: index for index, rule in enumerate(rules)}
    for index, rule in enumerate(rules):
        for required in rule.requires:
            if position.get(required, len(rules)) >= index:
                raise MisorderedRules(
                    f"rule {rule.name} requires {required.name}, which must run before it"
                )
        for used in rule.uses:
            if position.get(used, -1) >= index:
                raise MisorderedRules(
                    f"rule {rule.name} reads what {used.name} writes: {used.name} must run first"
                )


class Registry:
    def __init__(self, framework: str, rules: Sequence[type[Rule]]) -> None:
        self.framework = framework
        self.rules = list(rules)
        names = [r.name for r in self.rules]
        if len(set(names)) != len(names) or not all(names):
            raise ValueError(f"rule names must be unique and non-empty: {names}")
        check_order(self.rules)

    def resolve(self, rules: Sequence[type[Rule]]) -> list[type[Rule]]:
        """The rules with what they require, in registry order (rules the registry does not
        hold keep their place after the requirements added for them)."""
        chosen = with_requirements(rules)
        position = {rule: index for index, rule in enumerate(self.rules)}
        known = iter(sorted((r for r in chosen if r in position), key=position.__getitem__))
        return [next(known) if r in position else r for r in chosen]

    @property
    def names(self) -> list[str]:
        return [r.name for r in self.rules]

    def select(self, only: Iterable[str] | None) -> list[type[Rule]]:
        """The rules to run, in registry order; `only` names a subset (with the rules it
        requires)."""
        if only is None:
            return list(self.rules)
        wanted = {name.strip() for name in only if name.strip()}
        unknown = sorted(wanted - set(self.names))
        if unknown:
            raise UnknownRule(
                f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(self.names)}"
            )
        return self.resolve([r for r in self.rules if r.name in wanted])
