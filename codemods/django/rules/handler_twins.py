"""Served views whose mixins' handlers query through helpers built on the view's class
attributes -> a twin class on the session, for the views handler_twins.py finds convertible:
after the class, `class <Name>OnSession(SessionView, <Name>)` holding each querying handler
specialized to the view (its helpers inlined, its attributes' decisions folded) with its
queries on the session; the URLs rule serves the twin. The class and its mixins stay as written.

    class ArchiveView(UpdateDualMixin, View):
        field_bit = 'archived'
        ...
->  (kept, then)
    class ArchiveViewOnSession(SessionView, ArchiveView):
        def post(self, request, *args, **kwargs):
            session = self.session
            ...
            recipient_rows = update_rows(session, select(tables.Message).where(...), ...)
"""

from __future__ import annotations

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.class_queries import MIXIN, RUNTIME
from codemods.django.handler_twins import HandlerTwinPlan, handler_twin_plan
from codemods.django.orm_use import model_names
from codemods.django.plans import classes_with_handler_twins
from codemods.django.rules.class_queries import _with_session_line
from codemods.django.rules.queries import _imports, _Replace
from codemods.django.rules.session_twins import import_twin_tables
from codemods.django.session_twins import translated
from codemods.engine.rule import Rule


class HandlerTwinsRule(Rule):
    name = "handler-twins"
    DESCRIPTION = (
        "Views whose mixins' handlers query -> a twin with them specialized, on the session."
    )
    requires = ("function-views",)
    triggers = ("View",)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        served = {n for owner, n in classes_with_handler_twins(analysis) if owner == module}
        if not served:
            return tree
        body: list[cst.BaseStatement] = []
        for statement in tree.body:
            body.append(statement)
            if isinstance(statement, cst.ClassDef) and statement.name.value in served:
                name = statement.name.value
                twin = self._twin(tree, name, handler_twin_plan(analysis, module, name))
                if twin is not None:
                    body.append(twin)
        return tree.with_changes(body=body)

    def _twin(self, tree: cst.Module, name: str, plan: HandlerTwinPlan) -> cst.ClassDef | None:
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        imports = _imports(tree)
        if not import_twin_tables(self, imports.get(plan.model or "", ""), plan.model, name):
            return None
        models = model_names(imports)
        methods: list[cst.FunctionDef] = []
        for handler, code in plan.handlers.items():
            function = cst.parse_statement(code)
            assert isinstance(function, cst.FunctionDef)
            queries = translated(analysis, function, models)
            if queries.reasons:
                self.findings.note(name, f"{name}.{handler}() diverged from its plan")
                return None
            for translation in queries.translations.values():
                for imported_from, imported in sorted(translation.imports):
                    self.use(imported_from, imported)
            replaced = function.visit(_Replace(queries.translations, lambda node: False))
            assert isinstance(replaced, cst.FunctionDef)
            methods.append(
                _with_session_line(replaced).with_changes(
                    leading_lines=[cst.EmptyLine(indent=False)] if methods else []
                )
            )
        self.use(RUNTIME, MIXIN)
        header = cst.parse_statement(f"class {plan.twin}({MIXIN}, {name}):\n    pass\n")
        assert isinstance(header, cst.ClassDef)
        return header.with_changes(
            body=header.body.with_changes(body=methods),
            leading_lines=[cst.EmptyLine(indent=False), cst.EmptyLine(indent=False)],
        )
