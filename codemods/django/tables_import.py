"""The import of the generated models module a converted view queries, as `tables`."""

from __future__ import annotations

import ast
from pathlib import Path

from codemods.django.querysets import TABLES
from codemods.engine.context import ModuleContext, add_import


def import_tables(
    context: ModuleContext,
    module_path: tuple[str, ...],
    package: str,
    owner: str,
    asname: str = TABLES,
) -> tuple[str, int]:
    """Import `owner` (a dotted module of `package`, the legacy models module whose generated
    twin is wanted) as `tables` (or `asname`), relatively from the module at `module_path` of
    the output; returns the import's (parent, level)."""
    parent, name, level = import_target(module_path, package, owner)
    add_import(context, parent, name, asname=asname, relative=level)
    return parent, level


def import_target(module_path: tuple[str, ...], package: str, owner: str) -> tuple[str, str, int]:
    """(parent, name, level) of the relative import of `owner` from the module at
    `module_path`: `from <"." * level><parent> import <name>`."""
    target = owner.removeprefix(package + ".").split(".")
    here = list(module_path[:-1])
    common = 0
    while common < min(len(here), len(target) - 1) and here[common] == target[common]:
        common += 1
    return ".".join(target[common:-1]), target[-1], len(here) - common + 1


REEXPORT_HOPS = 4  # how many models modules re-importing a model are followed


def defining_owner(root: Path, package: str, owner: str, model: str) -> str:
    """The dotted models module of `package` (the folder `root`) defining class `model`, which
    a view imported from `owner`: `owner` itself, or the module it imports `model` from when it
    only re-exports it (`explorer.models` importing `DatabaseConnection` from
    `explorer.ee.db_connections.models`), whose generated twin has the SQLAlchemy class."""
    for _ in range(REEXPORT_HOPS):
        parts = owner.removeprefix(package + ".").split(".") if owner != package else []
        tree = _parsed(root.joinpath(*parts[:-1], parts[-1] + ".py") if parts else None)
        if tree is None:
            tree = _parsed(root.joinpath(*parts, "__init__.py"))
            parts.append("__init__")
        if tree is None or any(isinstance(n, ast.ClassDef) and n.name == model for n in tree.body):
            return owner
        source = next(
            (
                n
                for n in tree.body
                if isinstance(n, ast.ImportFrom)
                and any(a.name == model and a.asname in (None, model) for a in n.names)
            ),
            None,
        )
        if source is None:
            return owner
        if source.level:
            base = [package, *parts[:-1]]
            base = base[: len(base) - (source.level - 1)]
            found = ".".join([*base, *([source.module] if source.module else [])])
        else:
            found = source.module or ""
        if not (found == package or found.startswith(package + ".")):
            return owner
        owner = found
    return owner


def _parsed(path: Path | None) -> ast.Module | None:
    if path is None:
        return None
    try:
        return ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None
