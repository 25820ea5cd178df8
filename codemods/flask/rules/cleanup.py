"""`from x import y` imports nothing uses any more (the code was converted or commented out)
are removed; functions left
without annotations get `Any` ones so the generated package type-checks (mypy strict defs)."""

from __future__ import annotations

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from codemods.engine.rule import ModuleLevelRule, dotted_name


class CleanupRule(ModuleLevelRule):
    name = "cleanup"
    DESCRIPTION = "Drop unused legacy imports; annotate what has no annotations."
    triggers = ()

    # Pruning: only imports and function signatures are touched.
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return not self._functions and not self._classes

    # Pruning: a function's own code (headers of if/for/with/try, decorators, parameters) holds
    # nothing this rule changes; nested `def`s directly in a function body are still visited.
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name and "." not in name and alias.asname is None:
                RemoveImportsVisitor.remove_unused_import(self.context, name)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or isinstance(node.names, cst.ImportStar):
            return  # `from . import views` may be imported for its side effects
        module = "." * len(node.relative) + (dotted_name(node.module) or "")
        if module == "__future__":
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name and alias.asname is None:
                RemoveImportsVisitor.remove_unused_import(self.context, module, name)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
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
        AddImportsVisitor.add_needed_import(self.context, "typing", "Any")
        return updated_node.with_changes(
            params=params.with_changes(
                params=new_params,
                kwonly_params=new_kwonly,
                star_arg=star_arg,
                star_kwarg=star_kwarg,
            ),
            returns=returns,
        )
