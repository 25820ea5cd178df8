"""Translated twins of other modules' helpers, and the converted views' calls of them
(helper_twins.py decides which).

In the helper's module, beside the legacy function (kept for every other caller):

    def toggle_task_completed_with_session(task_id: int, *, session: Session) -> bool:
        try:
            task = get_one(session, select(tables.Task).where(tables.Task.id == task_id), Task)

In the view's module:

    from todo.utils import toggle_task_completed
    ...
        toggle_task_completed(task.id)
->
    from ..utils import toggle_task_completed_with_session
    ...
        toggle_task_completed_with_session(task.id, session=session)

with the view given the request's session (`session: Session = Depends(get_session)`) when the
queries rule did not already give it one.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, _imports, dotted
from codemods.django.form_init_choices import as_statement, init_choice_plan, method_name
from codemods.django.form_methods import PK_OF, method_plans, model_fields, tables_names_of
from codemods.django.helper_twins import (
    KEY_FIELDS,
    HelperCall,
    flattened,
    form_choices,
    form_meta,
    helper_plan,
    local_imports,
    model_class,
    model_owners,
    relative_import,
    twin_name,
)
from codemods.django.model_modules import model_modules, relative_module, retarget, tables_names
from codemods.django.plain_forms import NO_MODEL, is_plain_form, with_mixins
from codemods.django.plans import class_helper_twins, form_view_twins
from codemods.django.rules.queries import DjangoQueriesRule
from codemods.django.session_tables import full_alias, short_alias
from codemods.django.tables_import import import_tables
from codemods.django.view_queries import ViewQueries, used_modules
from codemods.engine.context import ModuleContext, add_import, remove_import
from codemods.engine.edit import kwarg, with_last_arg
from codemods.engine.nodes import dotted_name
from codemods.engine.state import ModuleState


class CallTwins(cst.CSTTransformer):
    """`helper(x)` -> `helper_with_session(x, session=session)` for the view's twinned helpers
    and forms; a twinned form's `save(session, form)` (the queries rule took it for a model
    instance's `form.save()`) is the form's own `form.save()` again."""

    def __init__(
        self, calls: dict[str, HelperCall], forms: set[str], session: str = "session"
    ) -> None:
        self.calls = calls
        self.forms = forms  # the variables holding a twinned form
        self.session = cst.parse_expression(session)  # `session`, or a class's `self.session`

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        args = updated_node.args
        if (
            isinstance(func, cst.Name)
            and func.value == "save"
            and len(args) in (2, 3)
            and isinstance(args[1].value, cst.Name)
            and args[1].value.value in self.forms
        ):  # `save(session, form[, commit=...])`: the form's own `form.save([commit=...])`
            method = cst.Attribute(value=args[1].value, attr=cst.Name("save"))
            return cst.Call(
                func=method,
                args=[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args[2:]],
            )
        written = dotted_name(func)  # `helper`, or a static method's `Class.method`
        if written is None or written not in self.calls:
            return updated_node
        args = with_last_arg(updated_node.args, kwarg("session", self.session))
        twin = cst.Name(self.calls[written].twin)
        return updated_node.with_changes(func=twin, args=args)


def import_twins(
    context: ModuleContext,
    module_path: tuple[str, ...],
    package: str | None,
    calls: tuple[HelperCall, ...],
) -> None:
    """The calling module imports the twins relatively, and no longer the legacy helpers it
    stops naming."""
    for call in calls:
        target, level = relative_import(module_path, call.module)
        add_import(context, target, call.twin, relative=level)
        legacy = dotted(call.module)
        for owner in {legacy, f"{package}.{legacy}" if package else legacy}:
            local = call.local.partition(".")[0]  # a static method's class
            remove_import(context, owner, local)


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(Names())
    return found


def _nodes(node: cst.CSTNode, kind: type[cst.CSTNode]) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class Nodes(cst.CSTVisitor):
        def on_visit(self, inner: cst.CSTNode) -> bool:
            if isinstance(inner, kind):
                found.append(inner)
            return True

    node.visit(Nodes())
    return found


def _names_session(function: cst.FunctionDef) -> bool:
    return any(name.value == "session" for name in _names(function.body))


def _form_variables(function: cst.FunctionDef, forms: set[str]) -> set[str]:
    """The names `function` assigns a call of one of `forms` to (`form = NoteForm(...)`)."""
    found: set[str] = set()

    class Assigned(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            value = node.value
            func = value.func if isinstance(value, cst.Call) else None
            if isinstance(func, cst.Name) and func.value in forms:
                found.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))

    function.visit(Assigned())
    return found


def _without_unused_imports(function: cst.FunctionDef) -> cst.FunctionDef:
    """`function` without the import statements of its body whose names it no longer uses (a
    model imported inside a helper, which its twin reads as `tables.X`)."""
    assert isinstance(function.body, cst.IndentedBlock)
    imported: list[cst.BaseStatement] = []
    for statement in function.body.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            imported.append(statement)
    if not imported:
        return function
    kept = [s for s in function.body.body if s not in imported]
    attributes = {
        id(node.attr)
        for s in kept
        for node in _nodes(s, cst.Attribute)
        if isinstance(node, cst.Attribute)
    }
    used = {name.value for s in kept for name in _names(s) if id(name) not in attributes}
    body = []
    for statement in function.body.body:
        if statement in imported:
            assert isinstance(statement, cst.SimpleStatementLine)
            small = statement.body[0]
            assert isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar)
            bound = {
                (a.asname.name.value if a.asname and isinstance(a.asname.name, cst.Name) else None)
                or (dotted_name(a.name) or "")
                for a in small.names
            }
            if not bound & used:
                continue
        body.append(statement)
    return function.with_changes(body=function.body.with_changes(body=body))


def _user_module(analysis: DjangoAnalysis) -> str:
    """The SRC-relative dotted module whose generated twin holds django.contrib.auth's `User`:
    the shared base's, else the one models module's (empty: not one)."""
    found = model_modules(analysis.root, analysis.label_models).get("User")
    if found is not None:
        return found
    modules = {dotted(parts) for parts in analysis.label_models.values()}
    return next(iter(modules)) if len(modules) == 1 else ""


class HelperTwinsRule(DjangoQueriesRule):
    name = "django-helper-twins"
    DESCRIPTION = "Other modules' querying helpers a converted view calls -> translated twins."
    requires = ("django-queries",)

    @classmethod
    def triggered(cls, source: str, state: ModuleState) -> bool:
        analysis = state.analysis
        if not isinstance(analysis, DjangoAnalysis):
            return False
        module = state.module_path
        return (
            module in analysis.twinned
            or module in form_view_twins(analysis)
            or module in class_helper_twins(analysis)
            or any(owner == module for owner, _ in analysis.helper_calls)
        )

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        module = self.state.module_path
        self.helpers = set()
        self.twins = set()
        calls = {
            name: found for (owner, name), found in analysis.helper_calls.items() if owner == module
        }
        twins = (
            analysis.twinned.get(module, set())
            | form_view_twins(analysis).get(module, set())
            | class_helper_twins(analysis).get(module, set())
        )
        twins |= self._called_twins(tree, twins)
        legacy_tree = self.state.legacy
        legacy = ast.parse(self.state.legacy_code(legacy_tree)) if legacy_tree is not None else None
        forms = {
            node.name: node
            for node in (legacy.body if legacy is not None else ())
            if isinstance(node, ast.ClassDef) and node.name in twins
        }
        body: list[cst.BaseStatement] = []
        for statement in tree.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value in calls:
                statement = self._calling(statement, calls[statement.name.value])
            body.append(statement)
            if isinstance(statement, cst.FunctionDef) and statement.name.value in twins:
                twin = self._twin(tree, statement.name.value)
                if twin is not None:
                    body.append(twin)
            if isinstance(statement, cst.ClassDef) and statement.name.value in forms:
                assert legacy is not None
                body.append(self._form_twin(legacy, forms[statement.name.value]))
            if isinstance(statement, cst.ClassDef):  # its twinned static methods, after it
                owner = statement.name.value
                for twinned in sorted(t for t in twins if t.partition(".")[0] == owner):
                    static = self._twin(tree, twinned)
                    if static is not None:
                        body.append(static)
        return tree.with_changes(body=body)

    def _form_twin(self, legacy: ast.Module, form: ast.ClassDef) -> cst.BaseStatement:
        """`class XWithSession(SessionModelForm, DjangoX): table = tables.Model`: the legacy
        Django form (imported under another name: the generated module's `X` is its Pydantic
        model) on SQLAlchemy rows."""
        package = self.state.source_package
        module = self.state.module_path
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        imports = _imports(module, legacy)
        if is_plain_form(form):
            return self._plain_form_twin(form, imports)
        meta = form_meta(form, legacy)
        assert meta is not None  # form_twin_reasons found it
        model = next(
            s.value.id
            for s in meta.body
            if isinstance(s, ast.Assign)
            and ast.unparse(s.targets[0]) == "model"
            and isinstance(s.value, ast.Name)
        )
        owner = imports[model].rpartition(".")[0]
        legacy_module = dotted(module)
        if package is not None:
            owner = owner if owner.startswith(package + ".") else f"{package}.{owner}"
            legacy_module = f"{package}.{legacy_module}"
            import_tables(self.context, module, package, owner)
        django_name = f"Django{form.name}"
        add_import(self.context, legacy_module, form.name, asname=django_name)
        self.use("codemods.runtime.django.forms", "SessionModelForm")
        code = (
            f"class {twin_name(form.name, form=True)}(SessionModelForm, {django_name}):\n"
            f'    """The Django form {form.name}, reading and saving SQLAlchemy rows."""\n\n'
            f"    table = tables.{model}\n"
        )
        choices = form_choices(
            form, legacy, imports, analysis.models_sources, analysis.managers_sources,
            self.state.legacy_code(self.state.legacy) if self.state.legacy is not None else None,
        )  # fmt: skip
        if choices:
            self.use("sqlalchemy", "select")
            entries = "".join(f'        "{c.field}": {c.statement()},\n' for c in choices)
            code += f"    choices = {{\n{entries}    }}\n"
        statement = cst.parse_statement(code)
        assert isinstance(statement, cst.ClassDef)
        methods = [
            *self._choice_methods(form, [c.field for c in choices if c.method], imports, model),
            *self._form_methods(form, imports, model),
        ]
        statement = statement.with_changes(
            body=statement.body.with_changes(body=[*statement.body.body, *methods])
        )
        return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])

    def _plain_form_twin(self, form: ast.ClassDef, imports: dict[str, str]) -> cst.ClassDef:
        """`class XWithSession(SessionForm, DjangoX)` with the plain form's querying methods,
        translated (plain_forms.py)."""
        package = self.state.source_package
        legacy_module = dotted(self.state.module_path)
        if package is not None:
            legacy_module = f"{package}.{legacy_module}"
        django_name = f"Django{form.name}"
        add_import(self.context, legacy_module, form.name, asname=django_name)
        self.use("codemods.runtime.django.session_form", "SessionForm")
        code = (
            f"class {twin_name(form.name, form=True)}(SessionForm, {django_name}):\n"
            f'    """The Django form {form.name}, querying on a SQLAlchemy session."""\n'
        )
        statement = cst.parse_statement(code)
        assert isinstance(statement, cst.ClassDef)
        methods = self._form_methods(form, imports, None)
        statement = statement.with_changes(
            body=statement.body.with_changes(body=[*statement.body.body, *methods])
        )
        return statement.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])

    def _choice_methods(
        self, form: ast.ClassDef, fields: list[str], imports: dict[str, str], model_name: str
    ) -> list[cst.FunctionDef]:
        """The statements of the querysets the form's `__init__` sets, translated
        (form_init_choices.py), as methods of the twin its `choices` call."""
        analysis = self.state.analysis
        legacy = self.state.legacy
        assert isinstance(analysis, DjangoAnalysis) and legacy is not None
        model = model_class(model_name, analysis.models_sources)
        assert model is not None  # form_twin_reasons found it
        columns = model_fields(model, KEY_FIELDS).columns
        methods = []
        for field in fields:
            plan, tree, _ = init_choice_plan(
                form, field, self.state.legacy_code(legacy), imports, analysis.models_sources,
                analysis.managers_sources, columns, model_name,
            )  # fmt: skip
            assert plan is not None and tree is not None  # form_twin_reasons found it
            function = next(
                s for s in tree.body
                if isinstance(s, cst.FunctionDef) and s.name.value == method_name(field)
            )  # fmt: skip
            plan.helper = True
            converted = as_statement(self._converted(function, plan).with_changes(
                params=function.params
            ))  # fmt: skip
            if _names_session(converted):
                line = cst.parse_statement("session = self.session\n")
                block = converted.body
                assert isinstance(block, cst.IndentedBlock)
                converted = converted.with_changes(
                    body=block.with_changes(body=[line, *block.body])
                )
            self._legacy_imports(converted, legacy)
            methods.append(converted.with_changes(leading_lines=[cst.EmptyLine(indent=False)]))
        return methods

    def _form_methods(
        self, form: ast.ClassDef, imports: dict[str, str], model_name: str | None
    ) -> list[cst.FunctionDef]:
        """The form's `save()` and querying methods, translated for the twin (form_methods.py);
        `model_name` None: a plain form's querying methods (plain_forms.py)."""
        analysis = self.state.analysis
        legacy = self.state.legacy
        assert isinstance(analysis, DjangoAnalysis) and legacy is not None
        sources = analysis.models_sources
        fields, initial = NO_MODEL, set()
        if model_name is not None:
            model = model_class(model_name, sources)
            assert model is not None  # form_twin_reasons found it
            fields = model_fields(model, KEY_FIELDS)
            text = self.state.legacy_code(legacy)
            initial = {
                c.field
                for c in form_choices(form, ast.parse(text), imports, sources,
                                      analysis.managers_sources, text)
                if c.method
            }  # fmt: skip
        source = legacy
        if model_name is None:  # a plain form: its mixins' methods are read as its own
            merged = with_mixins(legacy, form.name)
            assert not isinstance(merged, str)  # form_twin_reasons found it
            source = merged
        plans, _ = method_plans(source, form.name, imports, sources, fields, model_name, initial)
        owners = model_owners(imports)
        if model_name is not None:
            owner = imports[model_name].rpartition(".")[0]
        else:  # the one models module the plain form's methods query (form_methods.py)
            used = {m for p in plans if p.plan is not None for m in used_modules(p.plan, owners)}
            named = {n for p in plans if p.plan is not None for n in tables_names_of(p.plan)}
            owner = next(iter(used), "") or (_user_module(analysis) if "User" in named else "")
            package = self.state.source_package
            if owner and package is not None:
                full = owner if owner.startswith(package + ".") else f"{package}.{owner}"
                import_tables(self.context, self.state.module_path, package, full)
        methods = []
        for found in plans:
            function = found.function
            if found.plan is not None:
                found.plan.helper = True
                converted = self._converted(function, found.plan).with_changes(
                    params=function.params
                )
                if _names_session(converted):
                    line = cst.parse_statement("session = self.session\n")
                    block = converted.body
                    assert isinstance(block, cst.IndentedBlock)
                    converted = converted.with_changes(
                        body=block.with_changes(body=[line, *block.body])
                    )
                function = converted
            if found.keys:
                self.use(*PK_OF)
            function = self._other_tables(function, owner)
            self._legacy_imports(function, legacy)
            leading = [cst.EmptyLine(indent=False)]
            methods.append(function.with_changes(leading_lines=leading))
        for module, name in (
            ("fastapi", "Depends"),
            ("codemods.runtime.django.database", "get_session"),
        ):
            remove_import(self.context, module, name)
        return methods

    def _other_tables(self, function: cst.FunctionDef, owner: str) -> cst.FunctionDef:
        """`tables.Comment` of a form's method or a helper's twin reaching a model of another
        models module than its `tables` (`owner`, through a related manager:
        `self.topic.comment_set`) -> `comment_tables.Comment`, that module's generated twin
        imported under that name (form_methods.py and twin_reasons checked that one models
        module of SRC defines it)."""
        analysis = self.state.analysis
        package = self.state.source_package
        assert isinstance(analysis, DjangoAnalysis)
        code = cst.Module(body=[function]).code
        defined = model_modules(analysis.root, analysis.label_models)
        own = relative_module(owner, set(defined.values()))
        aliases = {
            name: short_alias(defined[name])
            for name in tables_names(code)
            if name in defined and defined[name] != own
        }
        if not aliases or package is None:
            return function
        if len(set(aliases.values())) < len(aliases):  # two modules ending alike
            aliases = {name: full_alias(defined[name]) for name in aliases}
        for name, alias in aliases.items():
            import_tables(self.context, self.state.module_path, package,
                          f"{package}.{defined[name]}", asname=alias)  # fmt: skip
        retargeted = cst.parse_statement(retarget(code, aliases))
        assert isinstance(retargeted, cst.FunctionDef)
        return retargeted.with_changes(leading_lines=function.leading_lines)

    def _legacy_imports(self, function: cst.FunctionDef, legacy: cst.Module) -> None:
        """The legacy module's absolute imports of the names `function` uses (`forms`, `_`,
        `timezone`): the forms rule may have removed one the Pydantic model no longer uses."""
        used = {node.value for node in _names(function)}
        for statement in legacy.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not isinstance(small, cst.ImportFrom) or small.relative or small.module is None:
                    continue
                if isinstance(small.names, cst.ImportStar):
                    continue
                module = dotted_name(small.module) or ""
                for alias in small.names:
                    name = dotted_name(alias.name) or ""
                    local = (
                        alias.asname.name.value
                        if alias.asname is not None and isinstance(alias.asname.name, cst.Name)
                        else name
                    )
                    if local in used:
                        asname = local if local != name else None
                        add_import(self.context, module, name, asname)

    def _calling(self, function: cst.FunctionDef, calls: tuple[HelperCall, ...]) -> cst.FunctionDef:
        """The view calling the twins with its session (given one when it has none)."""
        by_local = {call.local: call for call in calls}
        import_twins(self.context, self.state.module_path, self.state.source_package, calls)
        forms = _form_variables(function, {c.local for c in calls if c.form})
        changed = function.visit(CallTwins(by_local, forms))
        if forms:
            remove_import(self.context, "codemods.runtime.django.instances", "save")
        assert isinstance(changed, cst.FunctionDef)
        names = {p.name.value for p in (*changed.params.params, *changed.params.kwonly_params)}
        if "session" in names:
            return changed
        return self._converted(changed, ViewQueries())

    def _called_twins(self, tree: cst.Module, twins: set[str]) -> set[str]:
        """The querying helpers of the module the twinned functions call, and theirs: each gets
        a twin too (helper_twins.twin_reasons allowed them)."""
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        imports = _imports(self.state.module_path, ast.parse(tree.code))
        found: set[str] = set()
        todo = sorted(name for name in twins if "." not in name)
        while todo:
            name = todo.pop()
            plan = helper_plan(tree, name, imports, analysis.models_sources)
            for helper in sorted(plan.helpers if plan is not None else ()):
                if helper not in twins and helper not in found:
                    found.add(helper)
                    todo.append(helper)
        return found

    def _twin(self, tree: cst.Module, name: str) -> cst.FunctionDef | None:
        """The translated copy of helper `name`, renamed, taking `session` as a keyword."""
        imports = _imports(self.state.module_path, ast.parse(tree.code))
        analysis = self.state.analysis
        assert isinstance(analysis, DjangoAnalysis)
        found = flattened(tree, name)  # a static or class method, copied out as a function
        if found is None:
            return None
        tree, name = found
        function = next(
            (s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None
        )
        if function is None:  # a form class (its twin is written apart)
            return None
        imports = {**imports, **local_imports(function)}  # a model imported inside it
        plan = helper_plan(tree, name, imports, analysis.models_sources)
        package = self.state.source_package
        owners = used_modules(plan, model_owners(imports)) if plan is not None else set()
        if plan is None or not plan.converted or len(owners) > 1 or package is None:
            return None
        for owner in owners:
            absolute = owner if owner.startswith(package + ".") else f"{package}.{owner}"
            import_tables(self.context, self.state.module_path, package, absolute)
        plan.helper = True
        # its module's querying helpers are called through their twins, with its session
        self.helpers, self.twins = set(plan.helpers), set(plan.helpers)
        converted = _without_unused_imports(self._converted(function, plan))
        translated = self._other_tables(converted, next(iter(owners), ""))
        self.helpers, self.twins = set(), set()
        return translated.with_changes(
            name=cst.Name(twin_name(name)),
            leading_lines=[cst.EmptyLine(), cst.EmptyLine()],
        )
