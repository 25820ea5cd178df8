"""Served `TemplateView`s whose mixins look a row up -> a twin class on the session, for the
views session_twins.py finds convertible: after the class, `class <Name>OnSession(SessionView,
<Name>)` holding copies of the mixins' querying method (its queries on the session, its
`super()` the copied class's) and of the site helpers it calls (the current site read on the
session); the URLs rule serves the twin. The class and its mixins stay as written for the other
classes of SRC built on them.

    class ActionTemplateView(NewsletterMixin, ActionMixin, TemplateView):
        pass
->  (kept, then)
    class ActionTemplateViewOnSession(SessionView, ActionTemplateView):
        def get_site(self, request: HttpRequest = None):
            ...
            return current_site(self.session, request, tables.SitesSite)

        def process_url_data(self, request, *args, **kwargs):
            session = self.session
            ...
            super(NewsletterMixin, self).process_url_data(request, *args, **kwargs)
            newsletter_queryset = ordered(select(tables.Newsletter).where(...))
            ...
            self.newsletter = get_or_404(session, newsletter_queryset.where(...))
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.class_queries import MIXIN, RUNTIME
from codemods.django.class_rows import RUNTIME as ROWS_RUNTIME
from codemods.django.inherited_queryset import SITES_RUNTIME, site_on_session
from codemods.django.orm_use import model_names
from codemods.django.plans import classes_with_twins
from codemods.django.querysets import TABLES
from codemods.django.rules.class_queries import _with_session_line
from codemods.django.rules.queries import _imports, _Replace
from codemods.django.session_twins import (
    TWIN_SUFFIX,
    TwinPlan,
    defaults_taken,
    method_of,
    translated,
    twin_plan,
    values_taken,
)
from codemods.django.tables_import import defining_owner, import_tables
from codemods.engine.rule import Rule

NOT_PLACED = (
    "the generated models module of {owner} is not in the output package: {name} keeps Django's ORM"
)


class SessionTwinsRule(Rule):
    name = "session-twins"
    DESCRIPTION = "TemplateViews whose mixins look a row up -> a twin class on the session."
    requires = ("function-views",)
    triggers = ("TemplateView", "ListView", "ArchiveIndexView", "ArchiveView")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        served = {n: t for (owner, n), t in classes_with_twins(analysis).items() if owner == module}
        if not served:
            return tree
        body: list[cst.BaseStatement] = []
        for statement in tree.body:
            body.append(statement)
            if isinstance(statement, cst.ClassDef) and statement.name.value in served:
                twin = self._twin(tree, twin_plan(analysis, module, statement.name.value))
                if twin is not None:
                    body.append(twin)
        return tree.with_changes(body=body)

    def _twin(self, tree: cst.Module, plan: TwinPlan) -> cst.ClassDef | None:
        name = plan.twin.removesuffix(TWIN_SUFFIX)
        imports = _imports(tree)
        if not import_twin_tables(self, imports.get(plan.model or "", ""), plan.model, name):
            return None
        models = model_names(imports)
        methods: list[cst.FunctionDef] = []
        for owner, method in plan.copies:
            copy = method_of(tree, owner, method)
            if copy is None:
                self.findings.note(name, f"{owner}.{method}() is not found: the route diverged")
                return None
            if (owner, method) == plan.querying:
                copy = self._querying(copy, owner, models, plan)
                if copy is None:
                    self.findings.note(name, f"{owner}.{method}() diverged from its plan")
                    return None
            copy = site_on_session(copy, TABLES)
            methods.append(copy.with_changes(leading_lines=[cst.EmptyLine(indent=False)]))
        for owner, method in plan.verbatim:  # its `super()` the twin's: the rows mixin's
            copy = method_of(tree, owner, method)
            if copy is None:
                self.findings.note(name, f"{owner}.{method}() is not found: the route diverged")
                return None
            methods.append(copy.with_changes(leading_lines=[cst.EmptyLine(indent=False)]))
        body: list[cst.BaseStatement] = list(methods)
        if plan.queryset is not None:
            code, imports_needed = plan.queryset
            for module, imported in sorted(imports_needed):
                self.use(module, imported)
            body.insert(0, cst.parse_statement(f"queryset = {code}\n"))
        if plan.rows_generic is not None:
            self.use(ROWS_RUNTIME, plan.mixin)
        else:
            self.use(RUNTIME, MIXIN)
        if plan.site:
            self.use(*SITES_RUNTIME)
        first = body[0]
        if isinstance(first, cst.FunctionDef):
            body[0] = first.with_changes(leading_lines=[])
        header = cst.parse_statement(f"class {plan.twin}({plan.mixin}, {name}):\n    pass\n")
        assert isinstance(header, cst.ClassDef)
        twin = header.with_changes(
            body=header.body.with_changes(body=body),
            leading_lines=[cst.EmptyLine(indent=False), cst.EmptyLine(indent=False)],
        )
        return twin

    def _querying(
        self,
        function: cst.FunctionDef,
        owner: str,
        models: frozenset[str],
        plan: TwinPlan,
    ) -> cst.FunctionDef | None:
        """The querying method on the session (translated from this module's code, as the plan
        read from SRC found it translates)."""
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        function = values_taken(defaults_taken(function, plan.defaults), plan.given)
        queries = translated(analysis, function, models)
        if queries.reasons:
            return None
        for translation in queries.translations.values():
            for module, imported in sorted(translation.imports):
                self.use(module, imported)
        skip = self.lacking(type(node) for node in queries.translations)
        replaced = function.visit(_Replace(queries.translations, skip))
        assert isinstance(replaced, cst.FunctionDef)
        supered = replaced.visit(_SuperOf(owner))
        assert isinstance(supered, cst.FunctionDef)
        return _with_session_line(supered)


class _SuperOf(cst.CSTTransformer):
    """`super()` -> `super(Owner, self)`: the copy goes on along the method resolution order
    where the method it copies did."""

    def __init__(self, owner: str) -> None:
        self.owner = owner

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if isinstance(func, cst.Name) and func.value == "super" and not updated_node.args:
            return updated_node.with_changes(
                args=[cst.Arg(cst.Name(self.owner)), cst.Arg(cst.Name("self"))]
            )
        return updated_node


def import_twin_tables(rule: Rule, imported: str, model: str | None, name: str) -> bool:
    """Import the generated twin of the models module of a twin's queries (the module's import of
    its model is `imported`) as `tables` (relatively); False, with a finding, when the output
    package has none."""
    package, owner = rule.state.source_package, imported.rpartition(".")[0]
    if package is None or not owner.startswith(package + "."):
        rule.findings.note(name, NOT_PLACED.format(owner=owner, name=name))
        return False
    root = getattr(rule.state.analysis, "root", None)
    if root is not None and model is not None:
        owner = defining_owner(Path(root), package, owner, model)
    import_tables(rule.context, rule.state.module_path, package, owner)
    return True
