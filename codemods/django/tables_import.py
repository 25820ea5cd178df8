"""The import of the generated models module a converted view queries, as `tables`."""

from __future__ import annotations

from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from codemods.django.querysets import TABLES


def import_tables(
    context: CodemodContext,
    module_path: tuple[str, ...],
    package: str,
    owner: str,
    asname: str = TABLES,
) -> tuple[str, int]:
    """Import `owner` (a dotted module of `package`, the legacy models module whose generated
    twin is wanted) as `tables` (or `asname`), relatively from the module at `module_path` of
    the output; returns the import's (parent, level)."""
    target = owner.removeprefix(package + ".").split(".")
    here = list(module_path[:-1])
    common = 0
    while common < min(len(here), len(target) - 1) and here[common] == target[common]:
        common += 1
    level = len(here) - common + 1
    parent = ".".join(target[common:-1])
    AddImportsVisitor.add_needed_import(context, parent, target[-1], asname=asname, relative=level)
    return parent, level
