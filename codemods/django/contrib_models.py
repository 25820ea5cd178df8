"""A model of a django.contrib app (auth's `Group`, sites' `Site`) that SRC relates to: whether a
module imports it under its own name, and whether a relation's target is that model."""

from __future__ import annotations

import ast

import libcst as cst

from codemods.engine.nodes import dotted_name


def imports_model(tree: ast.Module, models: str, name: str) -> bool:
    """The module binds `name` to the one of `models` (`from MODELS import NAME`)."""
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == models
        and any(alias.name == name and alias.asname in (None, name) for alias in node.names)
        for node in tree.body
    )


def module_imports_model(module: cst.Module, models: str, name: str) -> bool:
    """`imports_model` of a module read with libcst (the models rule's)."""
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and dotted_name(small.module) == models
                and not isinstance(small.names, cst.ImportStar)
                and any(
                    dotted_name(alias.name) == name and alias.asname is None
                    for alias in small.names
                )
            ):
                return True
    return False


def is_model(
    target: str | None, label: str, name: str, imported: bool, own_classes: set[str]
) -> bool:
    """A relation's target written as the model `label` (`"auth.Group"`) or, where the module
    imports it and defines no `name` of its own, as `name`."""
    if target == label:
        return True
    return target == name and imported and name not in own_classes
