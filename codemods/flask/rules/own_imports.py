"""Imports of the legacy package by its own absolute name -> relative imports, so the generated
package uses its own modules, not the legacy ones: in `flask_shop/wsgi.py`,
`from flask_shop import create_app` -> `from . import create_app`,
`from flask_shop.models import User` -> `from .models import User`,
`import flask_shop.blueprint.ui as ui` -> `from .blueprint import ui` (changedetection.io's
factory imports its blueprints so, in its body)."""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule


class OwnImportsRule(Rule):
    name = "own-imports"
    DESCRIPTION = "Absolute imports of the legacy package itself -> relative imports."
    triggers = ("import",)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        package = self.state.source_package
        if not isinstance(package, str) or updated_node.relative or updated_node.module is None:
            return updated_node
        module = dotted_name(updated_node.module) or ""
        if module != package and not module.startswith(f"{package}."):
            return updated_node
        dots = [cst.Dot() for _ in self.state.to_root]
        rest = module[len(package) + 1 :]
        return updated_node.with_changes(
            relative=dots, module=cst.parse_expression(rest) if rest else None
        )

    def leave_Import(
        self, original_node: cst.Import, updated_node: cst.Import
    ) -> cst.Import | cst.ImportFrom:
        """`import package.sub.module as name` (one module, aliased): its binding is the
        module, which `from <package>.sub import module as name` binds too."""
        package = self.state.source_package
        if not isinstance(package, str) or len(updated_node.names) != 1:
            return updated_node
        alias = updated_node.names[0]
        module = dotted_name(alias.name) or ""
        if alias.asname is None or not module.startswith(f"{package}."):
            return updated_node
        parent, _, name = module[len(package) + 1 :].rpartition(".")
        asname = dotted_name(alias.asname.name)
        dots = [cst.Dot() for _ in self.state.to_root]
        module_node = cst.parse_expression(parent) if parent else None
        assert module_node is None or isinstance(module_node, cst.Attribute | cst.Name)
        return cst.ImportFrom(
            module=module_node,
            names=[
                cst.ImportAlias(
                    cst.Name(name),
                    asname=None if asname == name else alias.asname,
                )
            ],
            relative=dots,
        )
