"""Querysets -> SQLAlchemy 2.0 `select()` on the generated models, for the function views whose
queries all convert (view_queries.py decides; querysets.py writes each one).

    def drafts(request: DjangoRequest):
        posts = Post.objects.filter(author=request.user, status=Post.Status.DRAFT)
->  def drafts(request: DjangoRequest, session: Session = Depends(get_session)):
        posts = session.scalars(ordered(select(tables.Post).where(
            tables.Post.author_id == pk_of(request.user), tables.Post.status == Post.Status.DRAFT
        ))).all()

The module's functions such a view calls that query (`post_summary(post)`) are translated too
and take the session as a keyword (`def post_summary(post, *, session: Session)`, called
`post_summary(post, session=session)`).

`tables` is the generated models module (the models rule's SQLAlchemy classes, on Django's
tables); the legacy names stay imported for what is not a query (`Post.Status`). The session
comes from the runtime's `get_session` on the database Django's settings name. A view with any
query outside the mapping is left as written, on Django's ORM (its route is `partial`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import libcst as cst

from codemods.django.analysis import DjangoAnalysis
from codemods.django.auth_group import GROUP_CLASS
from codemods.django.integrity_errors import ROW_ERROR, CatchRowErrors, django_error_names
from codemods.django.managers import read_managers
from codemods.django.model_methods import with_method_twins
from codemods.django.model_modules import (
    AUTH_USER,
    model_modules,
    relative_module,
    retarget,
    user_model_names,
)
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import model_names, orm_views
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import SESSION, TABLES, Translation
from codemods.django.tables_import import import_tables
from codemods.django.view_queries import (
    ViewQueries,
    module_view_queries,
    twin_name,
    used_modules,
)
from codemods.engine.context import add_import, remove_import
from codemods.engine.edit import kwarg, with_last_arg
from codemods.engine.nodes import dotted_name
from codemods.engine.parsed import parse_ast_shared
from codemods.engine.rule import Rule
from codemods.engine.state import ModuleState
from codemods.engine.traverse import visit

SESSION_PARAM = "session: Session = Depends(get_session)"
HELPER_SESSION_PARAM = "session: Session"


class _PassSession(cst.CSTTransformer):
    """Calls of the translated helpers get the caller's session:
    `f(x)` -> `f(x, session=session)`; a helper kept as written for other callers is called
    through its twin: `f_with_session(x, session=session)`."""

    def __init__(self, helpers: set[str], twins: set[str] | None = None) -> None:
        self.helpers = helpers
        self.twins = twins or set()

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        if not isinstance(func, cst.Name) or func.value not in self.helpers:
            return updated_node
        if func.value in self.twins:
            updated_node = updated_node.with_changes(func=cst.Name(twin_name(func.value)))
        argument = kwarg(SESSION, cst.Name(SESSION))
        return updated_node.with_changes(args=with_last_arg(updated_node.args, argument))


class _Replace(cst.CSTTransformer):
    def __init__(
        self,
        translations: dict[cst.CSTNode, Translation],
        skip_test: Callable[[cst.CSTNode], bool],
    ) -> None:
        self.translations = translations
        self.skip_test = skip_test  # the subtrees holding no node of the translations' types

    def on_leave(  # type: ignore[override]
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode:
        found = self.translations.get(original_node)
        if found is not None:
            return cst.parse_expression(found.code)
        return updated_node


def _imports(tree: cst.Module) -> dict[str, str]:
    """Local name -> dotted name of the module's `from X import Y` statements."""
    names: dict[str, str] = {}
    for statement in tree.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for node in statement.body:
            if not isinstance(node, cst.ImportFrom) or node.relative or node.module is None:
                continue
            if isinstance(node.names, cst.ImportStar):
                continue
            module = dotted_name(node.module) or ""
            for alias in node.names:
                imported = dotted_name(alias.name) or ""
                local = alias.asname.name if alias.asname else alias.name
                if isinstance(local, cst.Name):
                    names[local.value] = f"{module}.{imported}"
    return names


def _aliases(modules: list[str]) -> dict[str, str]:
    """Each models module's name in a module importing several: `topic.models` ->
    `topic_tables`, the whole path where two end alike (`comment_poll_tables`)."""
    short = {m: m.split(".")[:-1][-1:] for m in modules}
    names = {}
    for module in modules:
        parts = short[module]
        if sum(1 for other in short.values() if other == parts) > 1 or not parts:
            parts = module.split(".")[:-1] or [module]
        names[module] = f"{'_'.join(parts)}_{TABLES}"
    return names


def _retargeted(plan: ViewQueries, aliases: dict[str, str]) -> ViewQueries:
    translations = {
        node: Translation(retarget(t.code, aliases), t.imports)
        for node, t in plan.translations.items()
    }
    return replace(plan, translations=translations)


class DjangoQueriesRule(Rule):
    name = "django-queries"
    DESCRIPTION = "Querysets -> SQLAlchemy 2.0 select() on the generated models."
    requires = ("function-views",)
    triggers = ("objects", "get_object_or_404")

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        """Also a module none of whose queries starts at a manager (`request.user.groups`, a
        row's `save()`, a form twin's `save(commit=False)`) when the analysis converts a view
        of it."""
        if super().triggered(source, state):
            return True
        analysis = state.analysis
        return isinstance(analysis, DjangoAnalysis) and any(
            owner == state.module_path and info.queries_converted
            for (owner, _), info in analysis.views.items()
        )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        module = self.state.module_path
        if not isinstance(analysis, DjangoAnalysis):
            return tree
        views = {
            name
            for (owner, name), info in analysis.views.items()
            if owner == module and info.queries_converted
        }
        if not views:
            return tree
        imports = _imports(tree)
        models = model_names(imports)
        # Which functions reach the ORM, and `User = get_user_model()`, read from the legacy
        # module (the run's shared `ast` tree): the rules before this one change decorators,
        # annotations, imports and the dotted names of view modules, never which of the
        # module's functions or models a body calls.
        source = parse_ast_shared(self.state.legacy_code(tree))
        querying = orm_views(source, imports)
        relations = read_relations(analysis.models_sources)
        managers = read_managers(analysis.models_sources)
        methods = read_queryset_methods([*analysis.models_sources, *analysis.managers_sources])
        methods = with_method_twins(methods, analysis.models_sources)
        self.defined = model_modules(analysis.root, analysis.label_models)
        known = set(self.defined.values())
        self.owners = {
            local: relative_module(imports[local].rpartition(".")[0], known) for local in models
        }
        models |= user_model_names(source)  # `User = get_user_model()`: the generated User
        plans = module_view_queries(
            tree, views, models, querying, relations, self.owners, managers, methods,
            classes=self.defined, seekers=analysis.seekers.get(module),
        )  # fmt: skip
        converted = {
            name: plan
            for name, plan in plans.items()
            if plan.converted and (plan.translations or plan.helpers)
        }
        self.helpers = {name for name, plan in converted.items() if plan.helper}
        self.twins = {name for name, plan in converted.items() if plan.twin}
        if not converted:
            return tree
        aliases = self._tables_import(converted)
        if aliases is None:
            return tree
        body: list[cst.BaseStatement] = []
        for statement in tree.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in converted:
                plan_name = statement.name.value
                plan = converted[plan_name]
                if aliases:
                    plan = _retargeted(plan, aliases)
                if plan.twin:  # kept as written for its other callers, its twin beside it
                    body.append(statement)
                statement = self._converted(statement, plan)
                if plan.twin:
                    statement = statement.with_changes(name=cst.Name(twin_name(plan_name)))
            body.append(statement)
        # the legacy names the queries no longer use (each removed only when unused)
        remove_import(self.context, "django.shortcuts", "get_object_or_404")
        for local in sorted(models & set(imports)):
            owner, _, name = imports[local].rpartition(".")
            remove_import(self.context, owner, name, asname=None)
        return tree.with_changes(body=body)

    def _tables_import(self, converted: dict[str, ViewQueries]) -> dict[str, str] | None:
        """Import the generated twin of each models module the converted views use (the legacy
        module's twin in the output, relatively): as `tables` when there is one, else each as
        `<app>_tables`; the aliases of the models (empty: all are `tables.<Model>`). The auth
        User comes from the shared base's module (`models_base`) when the models modules share
        one (model_modules.py)."""
        package = self.state.source_package
        used = {
            m for plan in converted.values() for m in used_modules(plan, self.owners, self.defined)
        }
        if not used or package is None:
            return None
        known = set(self.defined.values())
        absolute = {m: f"{package}.{m}" if m in known else m for m in used}
        if any(not owner.startswith(package + ".") for owner in absolute.values()):
            return None
        names = _aliases(sorted(used)) if len(used) > 1 else {m: TABLES for m in used}
        for module, owner in sorted(absolute.items()):
            import_tables(self.context, self.state.module_path, package, owner, names[module])
        placed = {**self.defined, **self.owners}
        aliases = {model: names[module] for model, module in placed.items() if module in names}
        for auth_class in (AUTH_USER, GROUP_CLASS):  # no shared base: the models module's own
            if auth_class not in aliases:
                aliases[auth_class] = names[min(used)]
        return {model: alias for model, alias in aliases.items() if alias != TABLES}

    def _converted(self, function: cst.FunctionDef, plan: ViewQueries) -> cst.FunctionDef:
        translations = plan.translations
        for translation in translations.values():
            for module, name in sorted(translation.imports):
                self.use(module, name)
        self.use("fastapi", "Depends")
        self.use("sqlalchemy.orm", "Session")
        self.use("codemods.runtime.django.database", "get_session")
        in_translations = self.lacking(type(node) for node in translations)
        replaced = visit(function, _Replace(translations, in_translations))  # rebuilding less
        assert isinstance(replaced, cst.FunctionDef)
        replaced = visit(replaced, _PassSession(self.helpers, self.twins))
        assert isinstance(replaced, cst.FunctionDef)
        legacy = self.state.legacy  # the module as written: its import of IntegrityError
        errors = django_error_names(_imports(legacy)) if legacy is not None else frozenset()
        catch = CatchRowErrors(errors)
        replaced = replaced.visit(catch) if errors else replaced
        assert isinstance(replaced, cst.FunctionDef)
        if catch.changed:
            module, name, asname = ROW_ERROR
            add_import(self.context, module, name, asname)
        declared = HELPER_SESSION_PARAM if plan.helper else SESSION_PARAM
        session = cst.parse_module(f"def f(*, {declared}): ...\n").body[0]
        assert isinstance(session, cst.FunctionDef)
        param = session.params.kwonly_params[0]
        params = replaced.params
        if plan.helper:
            star = params.star_arg
            if star is cst.MaybeSentinel.DEFAULT:
                star = cst.ParamStar()
            params = params.with_changes(
                star_arg=star, kwonly_params=[*params.kwonly_params, param]
            )
        elif params.star_arg is not cst.MaybeSentinel.DEFAULT or params.kwonly_params:
            params = params.with_changes(kwonly_params=[*params.kwonly_params, param])
        else:
            params = params.with_changes(params=[*params.params, param])
        return replaced.with_changes(params=params)
