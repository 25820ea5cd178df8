"""Code kept on Django's ORM imports the legacy models Django registered, not their generated
SQLAlchemy twins.

A module no rule turned into SQLAlchemy code (a form of a third-party base, a template tag, a
helper) keeps calls such as `Category.objects.visible()`; its relative import
`from ..category.models import Category` would now reach the generated SQLAlchemy `Category`,
whose copy of the Django manager belongs to no model, and such a call at import time stops the
module from importing. Each import from a models module of SRC whose names the module uses as
Django models (`Name.objects`, `Name._default_manager`, `Name.DoesNotExist`, ...) becomes the
absolute import of the legacy module, as the function views' modules have (function_views.py).
Models modules are left alone: theirs are the generated models.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.rule import Rule
from codemods.engine.walk import in_order

DJANGO_MODEL_ATTRIBUTES = frozenset(
    {"objects", "_default_manager", "_base_manager", "_meta", "DoesNotExist",
     "MultipleObjectsReturned"}
)  # fmt: skip
NOT_IMPORTABLE = (
    "SRC is not a package importable from the current directory: the relative imports of the "
    "models this module queries through Django's ORM are kept, and reach the generated models"
)
ModulePath = tuple[str, ...]


class LegacyModelImportsRule(Rule):
    name = "django-legacy-model-imports"
    DESCRIPTION = "Code kept on Django's ORM imports the legacy models, not the generated ones."
    triggers = tuple(sorted(DJANGO_MODEL_ATTRIBUTES))

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        module = self.state.module_path
        if _is_models_module(module):
            return tree
        used = _django_model_names(tree)
        if not used:
            return tree
        body = []
        for statement in tree.body:
            if isinstance(statement, cst.SimpleStatementLine):
                statement = self._legacy(statement, module, used)
            body.append(statement)
        return tree.with_changes(body=body)

    def _legacy(
        self, statement: cst.SimpleStatementLine, module: ModulePath, used: frozenset[str]
    ) -> cst.SimpleStatementLine:
        node = statement.body[0] if len(statement.body) == 1 else None
        if not isinstance(node, cst.ImportFrom) or not node.relative:
            return statement
        if isinstance(node.names, cst.ImportStar):
            return statement
        if not any(_local_name(alias) in used for alias in node.names):
            return statement
        package = self.state.source_package
        absolute = _absolute(package or "", module, node)
        if not _is_models_module(tuple(absolute.split("."))):
            return statement
        if package is None:
            self.findings.note(None, NOT_IMPORTABLE)
            return statement
        return statement.with_changes(
            body=[node.with_changes(relative=[], module=cst.parse_expression(absolute))]
        )


def _is_models_module(parts: ModulePath) -> bool:
    names = [part.removesuffix(".py") for part in parts]
    return "models" in names


def _local_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return cst.Module(body=[]).code_for_node(alias.name)


def _absolute(package: str, module: ModulePath, node: cst.ImportFrom) -> str:
    """The dotted module a relative `from ... import` of `module` (in `package`) names."""
    parts = [*filter(None, package.split(".")), *module[:-1]]
    level = len(node.relative)
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    if node.module is not None:
        parts.append(cst.Module(body=[]).code_for_node(node.module))
    return ".".join(parts)


def _django_model_names(tree: cst.Module) -> frozenset[str]:
    """The names the module uses as Django models: `Name.objects`, `Name.DoesNotExist`, ..."""
    found: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name) and node.attr.value in DJANGO_MODEL_ATTRIBUTES:
                found.add(node.value.value)

    in_order(tree, Collect())
    return frozenset(found)
