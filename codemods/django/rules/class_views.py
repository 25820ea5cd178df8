"""`ListView`/`DetailView`/`DeleteView` objects -> SQLAlchemy rows: the served class-based
views that class_rows.py finds convertible get `SelectedObjects` (`SelectedDeletion` for a
`DeleteView`) first in their bases, their `model` and
querysets become the generated models and `select()` statements, and the legacy model's import
goes when nothing else uses it. Django's generic code keeps running (pagination, lookups, 404s,
context and template names) on the rows (codemods/runtime/django/generic.py).

    class DetailView(generic.DetailView):
        model = Question
        def get_queryset(self):
            return Question.objects.filter(pub_date__lte=timezone.now())
->  class DetailView(SelectedObjects, generic.DetailView):
        model = tables.Question
        def get_queryset(self):
            return self.rows(ordered(select(tables.Question).where(
                tables.Question.pub_date <= timezone.now())))
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, dotted
from codemods.django.class_rows import RowsPlan, rows_plan
from codemods.django.plans import classes_on_rows
from codemods.django.tables_import import defining_owner, import_tables
from codemods.engine.context import add_import, remove_import
from codemods.engine.rule import Rule

NOT_PLACED = (
    "the generated models module of {model} is not in the output package: the class keeps "
    "Django's ORM"
)


class _Rewrite(cst.CSTTransformer):
    def __init__(
        self,
        replacements: dict[cst.CSTNode, str],
        classes: dict[str, str],
        additions: dict[str, list[cst.FunctionDef]],
    ) -> None:
        self.replacements = replacements
        self.classes = classes
        self.additions = additions

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        found = self.replacements.get(original_node)
        if found is not None:
            return cst.parse_expression(found)
        if isinstance(updated_node, cst.ClassDef) and updated_node.name.value in self.classes:
            name = updated_node.name.value
            mixin = self.classes[name]
            base = cst.Arg(
                value=cst.Name(mixin),
                comma=cst.Comma(cst.SimpleWhitespace(""), cst.SimpleWhitespace(" ")),
            )
            updated_node = _with_methods(updated_node, self.additions.get(name, []))
            return updated_node.with_changes(bases=[base, *updated_node.bases])
        return updated_node


def _with_methods(node: cst.ClassDef, methods: list[cst.FunctionDef]) -> cst.ClassDef:
    """The class with `methods` (its mixins', copied: inherited_queryset.py) at the end of its
    body, a lone `pass` gone."""
    if not methods or not isinstance(node.body, cst.IndentedBlock):
        return node
    kept = [
        s
        for s in node.body.body
        if not (
            isinstance(s, cst.SimpleStatementLine)
            and len(s.body) == 1
            and isinstance(s.body[0], cst.Pass)
        )
    ]
    spaced = [
        m.with_changes(leading_lines=[cst.EmptyLine(indent=False)] if kept or i else [])
        for i, m in enumerate(methods)
    ]
    return node.with_changes(body=node.body.with_changes(body=[*kept, *spaced]))


class ClassViewsRule(Rule):
    name = "class-views"
    DESCRIPTION = "ListView/DetailView/DeleteView querysets -> SQLAlchemy rows (SelectedObjects)."
    requires = ("function-views",)
    triggers = ("ListView", "DetailView", "DeleteView", "CreateView", "UpdateView")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        names = {name for owner, name in classes_on_rows(analysis) if owner == module}
        if not names:
            return tree
        replacements: dict[cst.CSTNode, str] = {}
        converted: dict[str, str] = {}
        additions: dict[str, list[cst.FunctionDef]] = {}
        for name in sorted(names):
            plan = rows_plan(analysis, module, name, tree)
            if plan.reasons or not self._tables_import(plan):
                continue
            converted[name] = plan.mixin
            additions[name] = plan.additions
            replacements.update(plan.replacements)
            for owner, imported in sorted(plan.imports):
                self.use(owner, imported)
            for target, imported, level in sorted(plan.relative_imports):
                add_import(self.context, target, imported, relative=level)
            if plan.form_twin is not None:  # the legacy form, imported absolutely or not
                legacy = dotted(plan.form_twin.module)
                package = self.state.source_package
                for owner in {legacy, f"{package}.{legacy}" if package else legacy}:
                    remove_import(self.context, owner, plan.form_twin.local)
            assert plan.owner is not None and plan.model is not None
            remove_import(self.context, plan.owner, plan.model)
        if not converted:
            return tree
        rewritten = tree.visit(_Rewrite(replacements, converted, additions))
        assert isinstance(rewritten, cst.Module)
        return rewritten

    def _tables_import(self, plan: RowsPlan) -> bool:
        """Import the generated twin of the plan's models module as `tables` (relatively)."""
        package, owner = self.state.source_package, plan.owner or ""
        if (
            plan.form_twin is not None
            and not plan.additions
            and not any("tables." in code for code in plan.replacements.values())
        ):
            return True  # a form view naming no model: its twin knows its table
        if package is None or not owner.startswith(package + "."):
            self.findings.note(None, NOT_PLACED.format(model=plan.model))
            return False
        root = getattr(self.state.analysis, "root", None)
        if root is not None and plan.model is not None:  # where the class is, not a re-export
            owner = defining_owner(Path(root), package, owner, plan.model)
        import_tables(self.context, self.state.module_path, package, owner)
        return True
