"""The generated models modules a class-queries view's translations name, and the name each is
imported as in the view's module: `tables` when the module's converted code uses one models
module, else `<app>_tables` for each (as the queries rule names a function view's), so views on
different models modules convert side by side instead of keeping Django's ORM.

A models module outside SRC (`allauth.account.models`) has no generated twin in the output: the
class keeps Django's ORM, decided when the route is planned (`unplaced_modules`), so the route's
status says what its handler runs on.
"""

from __future__ import annotations

from pathlib import Path

from codemods.django.querysets import TABLES

Target = tuple[str, str, int]  # (parent, name, level): `from <"." * level><parent> import <name>`


def unplaced_modules(root: Path, package: str | None, modules: set[str]) -> list[str]:
    """The dotted models modules (SRC-relative, or absolute as imported) that are not modules
    of SRC (the folder `root`, importable as `package`)."""
    return sorted(m for m in modules if not _in_src(root, package, m))


def _in_src(root: Path, package: str | None, module: str) -> bool:
    if package is not None and module.startswith(package + "."):
        module = module.removeprefix(package + ".")
    parts = module.split(".")
    return root.joinpath(*parts[:-1], parts[-1] + ".py").is_file() or (
        root.joinpath(*parts, "__init__.py").is_file()
    )


def short_alias(owner: str) -> str:
    """`spirit.topic.models` -> `topic_tables`."""
    parts = owner.split(".")[:-1][-1:] or [owner]
    return f"{parts[0]}_{TABLES}"


def full_alias(owner: str) -> str:
    """`spirit.topic.models` -> `spirit_topic_tables` (unique per module)."""
    parts = owner.split(".")[:-1] or [owner]
    return f"{'_'.join(parts)}_{TABLES}"


def table_names(targets: dict[str, Target], taken: dict[str, Target]) -> dict[str, str] | None:
    """Each models module's (`targets`: owner -> its import's target) import name, given the
    names the module's other rules import already (`taken`: name -> target): `tables` for a
    single module when that name is free or its own; else short aliases, or whole-path ones
    where two modules or another import share one. None: no free name (the class keeps the
    ORM)."""
    if len(targets) == 1:
        ((owner, target),) = targets.items()
        if taken.get(TABLES, target) == target:
            return {owner: TABLES}
    shorts = [short_alias(o) for o in targets]
    names: dict[str, str] = {}
    for owner, target in sorted(targets.items()):
        name = short_alias(owner)
        if shorts.count(name) > 1 or taken.get(name, target) != target:
            name = full_alias(owner)
        if taken.get(name, target) != target or name in names.values():
            return None
        names[owner] = name
    return names
