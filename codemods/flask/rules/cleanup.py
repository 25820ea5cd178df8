"""`from x import y` imports nothing uses any more (the code was converted or commented out)
are removed, at module level and at the top of a function body; functions left
without annotations get `Any` ones so the generated package type-checks (mypy strict defs)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.engine.context import add_import, remove_import
from codemods.engine.nodes import dotted_name, name_assignment, uses_name
from codemods.engine.package_imports import module_parts
from codemods.engine.rule import ModuleLevelRule
from codemods.flask.analysis import analysis_of


class CleanupRule(ModuleLevelRule):
    name = "cleanup"
    DESCRIPTION = "Drop unused legacy imports; annotate what has no annotations."
    triggers = ()

    # Pruning: only imports and function signatures are touched.
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        if self.re_exports(node):
            return False
        return not self._functions and not self._classes

    def re_exports(self, node: cst.SimpleStatementLine) -> bool:
        """Imports kept whole even when nothing here uses them: any import its author marked
        `# noqa` (a package's re-exports are kept name by name: `re_exported`)."""
        comment = node.trailing_whitespace.comment
        return comment is not None and "noqa" in comment.value

    def re_exported(self, node: cst.ImportFrom, name: str) -> bool:
        """Whether the import re-exports `name`: another module of the package imports it from
        this one (changedetection.io's forms.py imports `LLM_DEFAULT_THINKING_BUDGET` from
        llm/evaluator.py, which never uses it itself); or, a relative import of a package's
        `__init__.py` (`from .issuer import IssuerPlugin` in lemur's plugins), the legacy module
        names it in `__all__` or never uses it itself. A name its own code used (the shop's
        `from .extensions import db` for `db.init_app(app)` in create_app) was imported for that
        code, and goes with it."""
        if self._functions:
            return False
        if name in self.imported_from_here():
            return True
        if not node.relative or self.state.module_path[-1:] != ("__init__.py",):
            return False
        legacy = self.state.legacy
        if legacy is None:
            return True
        return name in _all_names(legacy) or not self.legacy_uses(name)

    def imported_from_here(self) -> set[str]:
        """The names the package's other modules import from this module."""
        if not self.state.module_path:
            return set()
        here = module_parts(Path(*self.state.module_path))
        return analysis_of(self.state).imported_from.get(here, set())

    def legacy_uses(self, name: str) -> bool:
        """Whether the legacy module's own code (not its imports) uses `name`."""
        legacy = self.state.legacy
        return legacy is not None and any(
            uses_name(statement, name) for statement in legacy.body if not _is_import(statement)
        )

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        """A name kept only for the package's other modules is re-exported explicitly (`X as
        X`): the formatter's pass (ruff's F401) keeps it then, as linters do."""
        if (
            self._functions
            or isinstance(updated_node.names, cst.ImportStar)
            or self.state.module_path[-1:] == ("__init__.py",)
            or self.state.legacy is None
        ):
            return updated_node
        exported = self.imported_from_here()
        if not exported:
            return updated_node
        names = []
        for alias in updated_node.names:
            name = dotted_name(alias.name)
            if alias.asname is None and name in exported and not self.legacy_uses(name):
                alias = alias.with_changes(
                    asname=cst.AsName(
                        name=cst.Name(name),
                        whitespace_before_as=cst.SimpleWhitespace(" "),
                        whitespace_after_as=cst.SimpleWhitespace(" "),
                    )
                )
            names.append(alias)
        return updated_node.with_changes(names=names)

    # Pruning: a function's own code (headers of if/for/with/try, decorators, parameters) holds
    # nothing this rule changes; nested `def`s directly in a function body are still visited.
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name and "." not in name and alias.asname is None:
                remove_import(self.context, name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or isinstance(node.names, cst.ImportStar):
            return  # `from . import views` may be imported for its side effects
        module = "." * len(node.relative) + (dotted_name(node.module) or "")
        if module == "__future__":
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name and alias.asname is None and not self.re_exported(node, name):
                remove_import(self.context, module, name)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        return self.annotated(self.without_unused_local_imports(updated_node))

    @staticmethod
    def without_unused_local_imports(function: cst.FunctionDef) -> cst.FunctionDef:
        if not isinstance(function.body, cst.IndentedBlock):
            return function
        statements = list(function.body.body)
        kept: list[cst.BaseStatement] = []
        changed = False
        for index, statement in enumerate(statements):
            imported = _local_import(statement)
            if imported is None:
                kept.append(statement)
                continue
            others = statements[:index] + statements[index + 1 :]
            names = [
                alias
                for alias in imported.names  # type: ignore[union-attr]
                if any(uses_name(other, _bound_name(alias)) for other in others)
            ]
            if len(names) == len(imported.names):  # type: ignore[arg-type]
                kept.append(statement)
                continue
            changed = True
            if names:
                names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                line = statement.with_changes(body=[imported.with_changes(names=names)])
                kept.append(line)
        if not changed:
            return function
        if not kept:
            kept = [cst.SimpleStatementLine([cst.Pass()])]
        return function.with_changes(body=function.body.with_changes(body=kept))

    def annotated(self, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        params = updated_node.params
        changed = False

        def typed(param: cst.Param, first: bool) -> cst.Param:
            nonlocal changed
            if param.annotation is not None or (first and self._classes):
                return param
            changed = True
            return param.with_changes(annotation=cst.Annotation(cst.Name("Any")))

        every = list(params.params)
        new_params = [typed(p, i == 0) for i, p in enumerate(every)]
        new_kwonly = [typed(p, False) for p in params.kwonly_params]
        star_arg = params.star_arg
        if isinstance(star_arg, cst.Param):
            star_arg = typed(star_arg, False)
        star_kwarg = params.star_kwarg
        if star_kwarg is not None:
            star_kwarg = typed(star_kwarg, False)
        returns = updated_node.returns
        if returns is None:
            changed = True
            # mypy insists on `-> None` for __init__; anything else may return a value.
            returns_none = updated_node.name.value == "__init__"
            returns = cst.Annotation(cst.Name("None" if returns_none else "Any"))
        if not changed:
            return updated_node
        add_import(self.context, "typing", "Any")
        return updated_node.with_changes(
            params=params.with_changes(
                params=new_params,
                kwonly_params=new_kwonly,
                star_arg=star_arg,
                star_kwarg=star_kwarg,
            ),
            returns=returns,
        )


def _local_import(statement: cst.BaseStatement) -> cst.ImportFrom | None:
    """The `from x import y` a statement line is, when it can be pruned name by name."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    node = statement.body[0]
    if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
        return None
    if node.module is not None and dotted_name(node.module) == "__future__":
        return None
    return node


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    return (dotted_name(alias.name) or "").split(".")[0]


def _is_import(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, cst.Import | cst.ImportFrom) for small in statement.body
    )


def _all_names(module: cst.Module) -> set[str]:
    """The strings of the module's `__all__ = [...]` (or tuple)."""
    names: set[str] = set()
    for statement in module.body:
        assigned = name_assignment(statement)
        if assigned is None or assigned[0] != "__all__":
            continue
        value = assigned[1]
        if isinstance(value, cst.List | cst.Tuple):
            for element in value.elements:
                if isinstance(element.value, cst.SimpleString):
                    text = element.value.evaluated_value
                    if isinstance(text, str):
                        names.add(text)
    return names
