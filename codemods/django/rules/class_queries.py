"""The queries of a plain class-based view's methods -> SQLAlchemy 2.0 `select()` on the
generated models, as a function view's (the queries rule), for the served views that
class_queries.py finds convertible: `SessionView` first in their bases gives `self.session`,
the route's session, and each querying method starts with `session = self.session` (a querying
static method takes `session: Session` as a keyword, which its callers in the class pass).

    class AssistantHistoryApiView(PermissionRequiredMixin, View):
        def post(self, request, *args, **kwargs):
            logs = PromptLog.objects.filter(run_by_user=request.user).order_by("-run_at")[:5]
->  class AssistantHistoryApiView(SessionView, PermissionRequiredMixin, View):
        def post(self, request, *args, **kwargs):
            session = self.session
            logs = session.scalars(ordered(select(tables.PromptLog).where(
                tables.PromptLog.run_by_user_id == pk_of(request.user)
            ).order_by(tables.PromptLog.run_at.desc()).limit(5))).all()
"""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.class_queries import (
    MIXIN,
    RUNTIME,
    HandlerQueries,
    handler_queries,
    static_call,
)
from codemods.django.drf_session import drf_twins
from codemods.django.model_modules import retarget
from codemods.django.orm_use import model_names
from codemods.django.plans import classes_on_session
from codemods.django.querysets import SESSION, TABLES, Translation
from codemods.django.rules.helper_twins import CallTwins, import_twins
from codemods.django.rules.queries import HELPER_SESSION_PARAM, _imports, _Replace
from codemods.django.session_tables import Target, table_names
from codemods.django.tables_import import defining_owner, import_tables, import_target
from codemods.django.view_queries import ViewQueries
from codemods.engine.context import remove_import, requested_imports
from codemods.engine.edit import kwarg, with_last_arg
from codemods.engine.rule import Rule
from codemods.engine.traverse import visit

NOT_PLACED = (
    "the generated models module of {owner} is not in the output package: {name} keeps Django's ORM"
)
MIXED = (
    "the queries of {names} use models modules whose import names the module's other converted "
    "views take already: they keep Django's ORM"
)
DIVERGED = "its route was planned on the session, but the class keeps Django's ORM"
SESSION_LINE = f"{SESSION} = self.session\n"


class ClassQueriesRule(Rule):
    name = "class-queries"
    DESCRIPTION = "Queries of plain class-based views' methods -> select() (SessionView)."
    requires = ("function-views",)
    triggers = ("View",)
    aliases: dict[str, str]  # model -> its models module's import name, where not `tables`

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        module = self.state.module_path
        names = {name for owner, name in classes_on_session(analysis) if owner == module}
        if not names:
            return tree
        plans = {name: handler_queries(analysis, module, name, tree) for name in sorted(names)}
        for name, plan in plans.items():  # planned from SRC, unreadable in this module's code
            for reason in plan.reasons:
                self.findings.note(name, f"{DIVERGED}: {reason}")
        plans = {name: plan for name, plan in plans.items() if not plan.reasons}
        if not plans:
            return tree
        imports = _imports(tree)
        owners: dict[str, str] = {}  # model -> the legacy models module defining it
        for plan in plans.values():
            owners.update(self._owners(analysis, imports, plan))
        package = self.state.source_package
        for owner in sorted(set(owners.values())):
            if package is None or not owner.startswith(package + "."):
                reason = NOT_PLACED.format(owner=owner, name=", ".join(plans))
                return self._kept(tree, reason, plans)
        assert package is not None or not owners
        targets = {o: import_target(module, package or "", o) for o in set(owners.values())}
        imported = table_names(targets, self._taken())
        if imported is None:
            return self._kept(tree, MIXED.format(names=", ".join(plans)), plans)
        for owner, asname in sorted(imported.items()):
            import_tables(self.context, module, package or "", owner, asname)
        self.aliases = {m: imported[o] for m, o in owners.items() if imported[o] != TABLES}
        body = []
        for statement in tree.body:
            if isinstance(statement, cst.ClassDef) and statement.name.value in plans:
                statement = self._converted(statement, plans[statement.name.value])
            body.append(statement)
        for local in sorted(model_names(imports)):
            owner, _, name = imports[local].rpartition(".")
            remove_import(self.context, owner, name, asname=None)
        remove_import(self.context, "django.shortcuts", "get_object_or_404")
        return tree.with_changes(body=body)

    def _kept(self, tree: cst.Module, reason: str, plans: dict[str, HandlerQueries]) -> cst.Module:
        """The module unchanged: each class keeps Django's ORM, and its routes say why."""
        for name in plans:
            self.findings.note(name, reason)
        return tree

    def _taken(self) -> dict[str, Target]:
        """The import names other rules of this module gave models modules already."""
        return {
            item.alias: (item.module_name, item.obj_name or "", item.relative)
            for item in requested_imports(self.context)
            if item.alias and item.obj_name
        }

    def _owners(
        self, analysis: DjangoAnalysis, imports: dict[str, str], plan: HandlerQueries
    ) -> dict[str, str]:
        """The legacy models module defining each model the plan's translations name."""
        package, root = self.state.source_package, analysis.root
        found: dict[str, str] = {}
        for queries in plan.methods.values():
            for translation in queries.translations.values():
                for local in re.findall(rf"\b{TABLES}\.(\w+)", translation.code):
                    if local not in imports:
                        continue
                    owner = imports[local].rpartition(".")[0]
                    if package is not None and root is not None:
                        owner = defining_owner(Path(root), package, owner, local)
                    found[local] = owner
        return found

    def _converted(self, node: cst.ClassDef, plan: HandlerQueries) -> cst.ClassDef:
        self.use(RUNTIME, MIXIN)
        assert isinstance(node.body, cst.IndentedBlock)
        body = []
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in plan.methods:
                method = self._method(statement, plan.methods[statement.name.value])
                passed = visit(method, _PassSession(node.name.value, plan.statics))
                assert isinstance(passed, cst.FunctionDef)
                if passed.name.value in plan.statics:
                    statement = self._taking_session(passed)
                else:
                    statement = _with_session_line(passed)
            body.append(statement)
        body = self._calling_twins(node.name.value, body)
        base = cst.Arg(
            value=cst.Name(MIXIN),
            comma=cst.Comma(cst.SimpleWhitespace(""), cst.SimpleWhitespace(" ")),
        )
        return node.with_changes(bases=[base, *node.bases], body=node.body.with_changes(body=body))

    def _calling_twins(self, name: str, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """Its methods on `self` call the translated twins of the other modules' helpers they
        call (drf_session.drf_twins), given `self.session`."""
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        calls = drf_twins(analysis, self.state.module_path, name)
        if not calls:
            return body
        import_twins(self.context, self.state.module_path, self.state.source_package, calls)
        twins = CallTwins({call.local: call for call in calls}, set(), f"self.{SESSION}")
        changed: list[cst.BaseStatement] = []
        for statement in body:
            if isinstance(statement, cst.FunctionDef) and _on_self(statement):
                calling = visit(statement, twins)
                assert isinstance(calling, cst.FunctionDef)
                statement = calling
            changed.append(statement)
        return changed

    def _method(self, function: cst.FunctionDef, queries: ViewQueries) -> cst.FunctionDef:
        translations = {
            node: Translation(retarget(t.code, self.aliases), t.imports)
            for node, t in queries.translations.items()
        }
        for translation in translations.values():
            for module, name in sorted(translation.imports):
                self.use(module, name)
        in_translations = self.lacking(type(node) for node in translations)
        replaced = visit(function, _Replace(translations, in_translations))
        assert isinstance(replaced, cst.FunctionDef)
        return replaced

    def _taking_session(self, function: cst.FunctionDef) -> cst.FunctionDef:
        """`def found(query_id)` -> `def found(query_id, *, session: Session)`."""
        self.use("sqlalchemy.orm", "Session")
        declared = cst.parse_module(f"def f(*, {HELPER_SESSION_PARAM}): ...\n").body[0]
        assert isinstance(declared, cst.FunctionDef)
        param = declared.params.kwonly_params[0]
        params = function.params
        star = params.star_arg
        if star is cst.MaybeSentinel.DEFAULT:
            star = cst.ParamStar()
        params = params.with_changes(star_arg=star, kwonly_params=[*params.kwonly_params, param])
        return function.with_changes(params=params)


class _PassSession(cst.CSTTransformer):
    """Calls of the class's querying static methods get the caller's session."""

    def __init__(self, owner: str, statics: set[str]) -> None:
        self.owner = owner
        self.statics = statics

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if not static_call(original_node, self.owner, self.statics):
            return updated_node
        argument = kwarg(SESSION, cst.Name(SESSION))
        return updated_node.with_changes(args=with_last_arg(updated_node.args, argument))


def _on_self(function: cst.FunctionDef) -> bool:
    """A method on `self`, as analysis._class_twins reads it (no decorator)."""
    params = function.params.params
    return not function.decorators and bool(params) and params[0].name.value == "self"


def _with_session_line(function: cst.FunctionDef) -> cst.FunctionDef:
    """`session = self.session` first in the method's body (after its docstring)."""
    assert isinstance(function.body, cst.IndentedBlock)
    statements = list(function.body.body)
    at = 1 if statements and _docstring(statements[0]) else 0
    statements.insert(at, cst.parse_statement(SESSION_LINE))
    return function.with_changes(body=function.body.with_changes(body=statements))


def _docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
