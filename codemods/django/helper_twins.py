"""Helpers of other modules that a converted function view can call as translated twins.

A view calling `toggle_task_completed(task.id)`, a function of another module of SRC that queries
through Django's ORM, runs that query on Django's ORM too. When the helper's own queries are all
in the query mapping (view_queries.py decides, as for a view), the generated twin of its module
gets a translated copy beside the legacy function, named `<name>_with_session` and taking the
view's session as a keyword:

    def toggle_task_completed_with_session(task_id: int, *, session: Session) -> bool:
        task = get_one(session, select(tables.Task).where(tables.Task.id == task_id), Task)

and the view calls it (`toggle_task_completed_with_session(task.id, session=session)`), imported
relatively from the generated module. The legacy function stays as it was, so every other caller
(a view staying on the ORM, a form, a command) keeps calling it unchanged.

A helper gets a twin only when it is a plain module-level function called by its imported name
(or a static or class method called by its class's: `RecoveryCodes.activate`, see `flattened`),
with no other decorator, whose queries all translate to one models module, and which calls no
querying code of another module, nor of its own but helpers that get twins themselves (its twin
calls theirs: django-sql-explorer's `default_db_connection_id()` returns
`default_db_connection().id`); anything else keeps the view on Django's ORM, with the reason.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from codemods.django.encrypted_fields import encrypted_kind
from codemods.django.form_choices import Choice, relation_choice
from codemods.django.form_init_choices import (
    init_arguments,
    init_choice_plan,
    init_sets,
    method_name,
)
from codemods.django.form_methods import defined_once, method_plans, model_fields, tables_names_of
from codemods.django.managers import read_managers
from codemods.django.model_methods import read_method_twins, with_method_twins
from codemods.django.model_modules import user_model_names
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import model_names, orm_views, reaches_orm
from codemods.django.own_save import own_save, runs_on_rows
from codemods.django.plain_forms import is_plain_form, plain_form_reasons
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.view_queries import ViewQueries, module_view_queries, used_modules
from codemods.engine.nodes import dotted_name
from codemods.engine.parsed import code_of, parse_ast_shared
from codemods.engine.walk import in_order

ModulePath = tuple[str, ...]
TWIN_SUFFIX = "_with_session"


def twin_name(name: str, form: bool = False) -> str:
    """`toggle_with_session` for a function, `NoteFormWithSession` for a form class,
    `RecoveryCodes_get_unused_codes_with_session` for a static method."""
    return f"{name}WithSession" if form else f"{name.replace('.', '_')}{TWIN_SUFFIX}"


def flattened(tree: cst.Module, name: str) -> tuple[cst.Module, str] | None:
    """`tree` and `name` as helper_plan reads them: for `Class.method`, a `@staticmethod` or a
    `@classmethod` (its only decorator) of a module-level class, the module with that method
    copied out as the module-level function `Class_method` (its body unchanged: `Class.other(...)`
    still names the class; a class method's first parameter is dropped and the body names the
    class instead, as `Class.method(...)` binds it); None when `name` is no such method, or a
    class method rebinding its first parameter."""
    if "." not in name:
        return tree, name
    owner, _, method = name.partition(".")
    klass = next(
        (s for s in tree.body if isinstance(s, cst.ClassDef) and s.name.value == owner), None
    )
    if klass is None or not isinstance(klass.body, cst.IndentedBlock):
        return None
    function = next(
        (
            s
            for s in klass.body.body
            if isinstance(s, cst.FunctionDef)
            and s.name.value == method
            and [dotted_name(d.decorator) for d in s.decorators] in (STATIC, CLASS)
        ),
        None,
    )
    if function is None:
        return None
    if [dotted_name(d.decorator) for d in function.decorators] == CLASS:
        function = _class_bound(function, owner)
        if function is None:
            return None
    flat = name.replace(".", "_")
    copied = function.with_changes(name=cst.Name(flat), decorators=[])
    return tree.with_changes(body=[*tree.body, copied]), flat


STATIC = ["staticmethod"]
CLASS = ["classmethod"]


class _Rebound(cst.CSTVisitor):
    """Whether a name is bound anew in a function (assigned, a loop or `with` target, a
    parameter of an inner function or lambda)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.found |= any(n.value == self.name for n in _names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.found |= any(n.value == self.name for n in _names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.found |= any(n.value == self.name for n in _names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.found |= any(n.value == self.name for n in _names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.found |= any(n.value == self.name for n in _names(node.name))

    def visit_Param(self, node: cst.Param) -> None:
        self.found |= node.name.value == self.name

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.found |= any(n.value == self.name for n in _names(node.target))


def _names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class _All(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    in_order(node, _All())
    return found


class _Renamed(cst.CSTTransformer):
    """A function's body with a variable's name replaced."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)  # `x.cls` names no variable

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)  # nor `f(cls=...)`

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return (
            updated_node.with_changes(value=self.new)
            if original_node.value == self.old
            else updated_node
        )


def _class_bound(function: cst.FunctionDef, owner: str) -> cst.FunctionDef | None:
    """The class method with its first parameter (`cls`) dropped and named `owner` in its body;
    None when it has no positional first parameter or its body binds that name again."""
    params = function.params
    if not params.params:
        return None
    first = params.params[0].name.value
    rebound = _Rebound(first)
    in_order(function.body, rebound)
    if rebound.found:
        return None
    body = function.body.visit(_Renamed(first, owner))
    assert isinstance(body, cst.BaseSuite)
    rest = params.with_changes(params=params.params[1:])
    return function.with_changes(params=rest, body=body)


@dataclass(frozen=True)
class HelperCall:
    """A call of a view to a helper of another module that gets a translated twin."""

    local: str  # the name the view calls it by (`toggle_task_completed`)
    module: ModulePath  # the helper's module under SRC (`("utils.py",)`)
    name: str  # the function's (or form class's) name in that module
    form: bool = False  # a ModelForm, twinned on the runtime's SessionModelForm

    @property
    def twin(self) -> str:
        return twin_name(self.name, self.form)


def relative_import(module_path: ModulePath, target: ModulePath) -> tuple[str, int]:
    """(module, level) of a relative import of module `target` from `module_path` (both under
    SRC: the generated twins sit at the same places): `("views", "a.py")` imports `("utils.py",)`
    as `from ..utils import ...`."""
    here = list(module_path[:-1])
    there = [*target[:-1], target[-1].removesuffix(".py")]
    if there and there[-1] == "__init__":
        there.pop()
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return ".".join(there[common:]), len(here) - common + 1


def model_owners(imports: dict[str, str]) -> dict[str, str]:
    """Local model name -> the dotted models module it comes from."""
    return {local: imports[local].rpartition(".")[0] for local in model_names(imports)}


def helper_plan(
    tree: cst.Module,
    name: str,
    imports: dict[str, str],
    models_sources: list[str],
    managers_sources: list[str] | None = None,
    querying: bool = False,
    users: frozenset[str] = frozenset(),
) -> ViewQueries | None:
    """The translation of function `name` of `tree` (a module whose imports, made relative to
    SRC, are `imports`), planned as a view's; None when it is not a module-level function that
    queries. `managers_sources`: the modules holding the models' QuerySets and Managers, when
    they are not the models modules (their custom methods translate too); `querying`: it
    queries though orm_use.py does not see it (an instance's related manager); `users`: the
    module's names of the user model (`User = get_user_model()`), queried as `tables.User`."""
    function = next(
        (s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None
    )
    if function is None:
        return None
    imports = {**imports, **local_imports(function)}
    queries = orm_views(ast.parse(code_of(tree)), imports) | ({name} if querying else set())
    if name not in queries:
        return None
    plans = module_view_queries(
        tree,
        {name},
        model_names(imports) | users,
        queries,
        read_relations(models_sources),
        model_owners(imports),
        read_managers(models_sources),
        # with the models' own save()/delete() and their methods' translated twins
        with_method_twins(
            read_queryset_methods([*models_sources, *(managers_sources or [])]), models_sources
        ),
    )
    return plans.get(name)


def local_imports(function: cst.FunctionDef) -> dict[str, str]:
    """Local name -> dotted name of the absolute `from x import y` statements inside `function`
    (`from explorer.ee.db_connections.models import DatabaseConnection`, written there to break
    an import cycle): its queries name those models."""
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(cst.Module(body=[function]).code)):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def twin_reasons(
    tree: cst.Module,
    name: str,
    imports: dict[str, str],
    models_sources: list[str],
    seen: frozenset[str] = frozenset(),
) -> list[str]:
    """Why function `name` of `tree` (or static method `Class.method`) gets no translated twin
    (empty: it gets one). A querying helper of its module it calls must get a twin too (the
    twin calls that one's: `default_db_connection_with_session(session=session)`)."""
    module = tree
    found = flattened(tree, name)
    if found is None:
        return [
            f"{name} is not a static or class method of a module-level class (its only "
            "decorator), or rebinds its class parameter"
        ]
    tree, name = found
    function = next(
        (s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == name), None
    )
    if function is None:
        return [f"{name} is not a module-level function"]
    if function.decorators:
        return [f"{name} is decorated"]
    if function.asynchronous is not None:
        return [f"{name} is async"]
    plan = helper_plan(tree, name, imports, models_sources)
    if plan is None:
        return [f"{name}: its queries were not found"]
    reasons = list(plan.reasons)
    untwinned = sorted(
        helper
        for helper in plan.helpers
        if helper in seen or twin_reasons(module, helper, imports, models_sources, seen | {name})
    )
    if untwinned:
        reasons.append(f"{name} calls {', '.join(untwinned)} of its module, which query")
    if len(used_modules(plan, model_owners(imports))) > 1:
        reasons.append(f"{name}: its queries' models come from more than one models module")
    reached = tables_names_of(plan) - set(model_owners(imports)) - defined_once(models_sources)
    reasons += [
        f"{name} reaches {model}, which no one models module of SRC defines"
        for model in sorted(reached)
    ]
    return list(dict.fromkeys(reasons))


MODEL_FORMS = frozenset({"forms.ModelForm", "ModelForm"})
RELATION_FIELDS = frozenset(
    {"ForeignKey", "OneToOneField", "ManyToManyField", "GenericForeignKey", "ParentalKey"}
)
QUERYING_FORM_FIELDS = frozenset({"ModelChoiceField", "ModelMultipleChoiceField"})
KEY_FIELDS = frozenset({"ForeignKey", "OneToOneField", "ParentalKey"})
UNIQUE_FOR_DATES = frozenset({"unique_for_date", "unique_for_month", "unique_for_year"})


def form_twin_reasons(
    form: ast.ClassDef,
    imports: dict[str, str],
    models_sources: list[str],
    source: cst.Module | None = None,
    managers_sources: list[str] | None = None,
) -> list[str]:
    """Why ModelForm `form` gets no twin on `SessionModelForm` (empty: it gets one): it must be
    a direct `ModelForm` whose fields' validation queries nothing the twin cannot run on its
    session (no relation but checked foreign keys, no unique relation, `unique_for_date` or
    constraint; unique fields and `unique_together` are checked on the session); its `save()` is
    then Django's, which the runtime writes through SQLAlchemy. Its own methods, read in `source`
    (its module), must be ones the twin can take translated (form_methods.py); without `source`,
    only an `__init__` storing its arguments."""
    name = form.name
    if source is not None and is_plain_form(form):
        return plain_form_reasons(form, imports, models_sources, source, QUERYING_FORM_FIELDS)
    module = ast.parse(code_of(source)) if source is not None else None
    bases = [ast.unparse(base) for base in form.bases]
    if module is not None and len(set(bases) & MODEL_FORMS) == 1 and len(bases) > 1:
        for mixin in (b for b in bases if b not in MODEL_FORMS):
            why = _mixin_reasons(name, mixin, module, imports)
            if why:
                return why
    elif bases not in ([m] for m in MODEL_FORMS):
        parent = parent_form(form, module) if module is not None else None
        if parent is None:
            return [f"{name} is not a ModelForm built on ModelForm alone"]
        if any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) for s in parent.body):
            return [f"form {name}: its parent form {parent.name} has methods of its own"]
        why = form_twin_reasons(parent, imports, models_sources, source, managers_sources)
        if why:
            return why
    meta = form_meta(form, module)
    for statement in form.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            continue
        elif isinstance(statement, ast.FunctionDef):
            if source is None and (
                statement.name != "__init__" or not _stores_arguments(statement)
            ):
                return [f"form {name}: method {statement.name} is not converted yet"]
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            kind = ast.unparse(statement.value.func).rsplit(".", 1)[-1]
            if kind in QUERYING_FORM_FIELDS and not _declared_default_choice(
                statement, form_meta(form, module), models_sources, module
            ):
                return [f"form {name}: field {kind} queries its choices"]
        elif not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
            return [f"form {name}: `{ast.unparse(statement)[:40]}` is not converted yet"]
    options = _assigned(meta.body) if meta is not None else {}
    model = options.get("model")
    if not isinstance(model, ast.Name) or model.id not in model_names(imports):
        return [f"form {name}: Meta.model is not a model of SRC"]
    fields = options.get("fields")
    exclude = options.get("exclude")
    if set(options) - {"model", "fields", "exclude", "widgets", "labels", "help_texts"} or not (
        isinstance(fields, ast.List | ast.Tuple)
        or _all_fields(fields)
        or (fields is None and isinstance(exclude, ast.List | ast.Tuple))
    ):
        return [
            f'form {name}: Meta options other than a literal fields (or "__all__") or exclude list'
        ]
    found = model_class(model.id, models_sources)
    if found is None:
        return [f"form {name}: model {model.id} is not found once in the models modules"]
    excluded = set(_strings(exclude)) if exclude is not None else set()
    named = (
        _strings(fields)
        if fields is not None and not _all_fields(fields)
        else _editable_fields(found)
    )
    if own_save(found) is not None and not runs_on_rows(found):
        save = read_method_twins(models_sources).get(model.id, {}).get("save")
        if save is None or save.reason:
            because = f": {save.reason}" if save is not None else ""
            return [
                f"form {name}: model {model.id}'s own save() runs on Django's ORM (the twin's "
                f"save would not run it){because}"
            ]
    wrapped = _wrapped_fields(found, models_sources)
    if (fields is None or _all_fields(fields)) and wrapped:
        return [
            f"form {name}: the model's fields it takes include {wrapped[0]}, a field wrapped in a "
            "call the codemod does not read"
        ]
    wanted = [field for field in named if field not in excluded]
    queried = _unique_groups_checked(_assigned(_meta_body(found)), set(wanted))
    if queried:
        return [f"form {name}: model {model.id}'s {queried} is checked by a query"]
    queries = _InitQueries(code_of(source) if source else None, imports, managers_sources or [])
    initial: set[str] = set()
    why = _fields_reasons(form, model.id, found, wanted, models_sources, None, queries, initial)
    if why:
        return why
    if source is None:
        return []
    own = model_fields(found, KEY_FIELDS)
    return method_plans(source, name, imports, models_sources, own, model.id, initial)[1]


# what a declared ModelChoiceField may say beside its queryset: how it renders and which key
# it posts (the runtime's choice field looks that key up among the rows)
DECLARED_CHOICE_OPTIONS = frozenset(
    {"queryset", "to_field_name", "label", "empty_label", "widget", "required", "help_text"}
)


def _declared_default_choice(
    statement: ast.Assign,
    meta: ast.ClassDef | None,
    models_sources: list[str],
    module: ast.Module | None,
) -> bool:
    """`user = forms.ModelChoiceField(queryset=User.objects.all(), to_field_name=...)` declared
    for a foreign key of Meta.model named in Meta.fields, offering all the related model's rows:
    the key's own choice (form_choices.py) is the same field, which the twin checks and lists
    through its session (its `to_field_name` too)."""
    call = statement.value
    assert isinstance(call, ast.Call)
    if (
        ast.unparse(call.func).rsplit(".", 1)[-1] != "ModelChoiceField"
        or len(statement.targets) != 1
        or not isinstance(statement.targets[0], ast.Name)
        or call.args
        or {k.arg for k in call.keywords} - DECLARED_CHOICE_OPTIONS
        or None in {k.arg for k in call.keywords}
    ):
        return False
    options = _assigned(meta.body) if meta is not None else {}
    model, fields = options.get("model"), options.get("fields")
    name = statement.targets[0].id
    if not isinstance(model, ast.Name) or not isinstance(fields, ast.List | ast.Tuple):
        return False
    if name not in _strings(fields):
        return False
    found = model_class(model.id, models_sources)
    relation = read_relations(models_sources).get(model.id, {}).get(name)
    if found is None or relation is None or relation.kind != "ForeignKey":
        return False
    queryset = next((k.value for k in call.keywords if k.arg == "queryset"), None)
    written = ast.unparse(queryset) if queryset is not None else ""
    owner = written.removesuffix(".objects.all()")
    if owner == written:
        return False
    users = user_model_names(module) if module is not None else frozenset()
    return owner == relation.target or (relation.to_user and owner in users)


def _declared_default(
    form: ast.ClassDef, field: str, models_sources: list[str], queries: _InitQueries | None
) -> bool:
    """The form declares foreign key `field` as the default choice (_declared_default_choice)."""
    module = ast.parse(queries.source) if queries is not None and queries.source else None
    return any(
        isinstance(s, ast.Assign)
        and isinstance(s.value, ast.Call)
        and [ast.unparse(t) for t in s.targets] == [field]
        and _declared_default_choice(s, form_meta(form, module), models_sources, module)
        for s in form.body
    )


@dataclass(frozen=True)
class _InitQueries:
    """What translating the querysets a form's `__init__` sets needs: its module's text (None:
    not read), its imports, the modules of the models' QuerySets and Managers."""

    source: str | None
    imports: dict[str, str]
    managers_sources: list[str]


def _fields_reasons(
    form: ast.ClassDef,
    model: str,
    found: ast.ClassDef,
    wanted: list[str],
    models_sources: list[str],
    choices: list[Choice] | None = None,
    queries: _InitQueries | None = None,
    initial: set[str] | None = None,
) -> list[str]:
    """Why fields `wanted` of `found` (the form's Meta.model) are validated by a query the twin
    cannot run; the foreign keys the twin checks through its session go to `choices`, those
    whose queryset the form's `__init__` sets (translated: `queries`) to `initial` too."""
    declared = {
        target: value for target, value in _assigned(found.body).items()
        if isinstance(value, ast.Call)
    }  # fmt: skip
    for field in wanted:
        call = declared.get(field)
        if call is None:
            return [f"form {form.name}: {field} is not a field of {model}"]
        kind = ast.unparse(call.func).rsplit(".", 1)[-1]
        unique = any(
            k.arg in ("unique", "primary_key") and ast.unparse(k.value) == "True"
            for k in call.keywords
        )
        dated = next((k.arg for k in call.keywords if k.arg in UNIQUE_FOR_DATES), None)
        if dated is not None:
            return [f"form {form.name}: field {field} ({kind}) has {dated}, checked by a query"]
        if kind == "ManyToManyField" and any(k.arg == "through" for k in call.keywords):
            return [
                f"form {form.name}: field {field} ({kind}) is validated by a query: its links "
                "go through a model of its own (through=)"
            ]
        if kind in ("ForeignKey", "ManyToManyField") and not unique:
            if field in _assigned(form.body) and not _declared_default(
                form, field, models_sources, queries
            ):
                return [f"form {form.name}: field {field} ({kind}) is declared by the form"]
            method: str | None = None
            arguments: tuple[str, ...] = ()
            if queries is not None and queries.source is not None and init_sets(form, field):
                columns = model_fields(found, KEY_FIELDS).columns
                plan, _, why = init_choice_plan(
                    form, field, queries.source, queries.imports, models_sources,
                    queries.managers_sources, columns, model,
                )  # fmt: skip
                if plan is None:
                    return [
                        f"form {form.name}: field {field} ({kind}) is validated by a query: {why}"
                    ]
                method, arguments = method_name(field), init_arguments(form, field)
                if initial is not None:
                    initial.add(field)
            choice, why = relation_choice(
                form, field, call, model, models_sources, method, arguments
            )
            if choice is None:
                return [f"form {form.name}: field {field} ({kind}) is validated by a query: {why}"]
            if choices is not None:
                choices.append(choice)
        elif kind in RELATION_FIELDS or (unique and kind in KEY_FIELDS):
            return [f"form {form.name}: field {field} ({kind}) is validated by a query"]
        # a unique field of its own: the twin checks it on its session (unique_checks.py)
    return []


def form_choices(
    form: ast.ClassDef,
    module: ast.Module,
    imports: dict[str, str],
    models_sources: list[str],
    managers_sources: list[str] | None = None,
    source: str | None = None,
) -> list[Choice]:
    """The foreign keys of ModelForm `form` (of `module`) its twin checks through its session
    (form_twin_reasons found none it cannot)."""
    meta = form_meta(form, module)
    options = _assigned(meta.body) if meta is not None else {}
    model = options.get("model")
    assert isinstance(model, ast.Name)
    found = model_class(model.id, models_sources)
    assert found is not None
    fields, exclude = options.get("fields"), options.get("exclude")
    excluded = set(_strings(exclude)) if exclude is not None else set()
    named = (
        _strings(fields)
        if fields is not None and not _all_fields(fields)
        else _editable_fields(found)
    )
    wanted = [field for field in named if field not in excluded]
    choices: list[Choice] = []
    text = source if source is not None else ast.unparse(module)  # the text `module` is of
    queries = _InitQueries(text, imports, managers_sources or [])
    _fields_reasons(form, model.id, found, wanted, models_sources, choices, queries)
    return choices


def parent_form(form: ast.ClassDef, module: ast.Module) -> ast.ClassDef | None:
    """The ModelForm of `module` that `form` subclasses alone (`NotificationCreationForm` of
    `NotificationForm`), when that one is built on ModelForm alone."""
    if len(form.bases) != 1 or not isinstance(form.bases[0], ast.Name):
        return None
    parent = next(
        (s for s in module.body if isinstance(s, ast.ClassDef) and s.name == form.bases[0].id),
        None,
    )
    if parent is None or [ast.unparse(base) for base in parent.bases] not in (
        [m] for m in MODEL_FORMS
    ):
        return None
    return parent


def form_meta(form: ast.ClassDef, module: ast.Module | None) -> ast.ClassDef | None:
    """The `Meta` of `form`, or the one it inherits from its parent form of `module`."""
    for statement in form.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            return statement
    parent = parent_form(form, module) if module is not None else None
    return form_meta(parent, module) if parent is not None else None


def _mixin_reasons(form: str, mixin: str, module: ast.Module, imports: dict[str, str]) -> list[str]:
    """Why `mixin`, a base of ModelForm `form` beside ModelForm (todo's
    SanitizedTaskFieldsMixin), keeps the form without a twin: the twin runs its methods as
    written, so it must be a class of the module of methods that neither query, save nor read
    the instance."""
    found = next((s for s in module.body if isinstance(s, ast.ClassDef) and s.name == mixin), None)
    if found is None or found.bases:
        return [f"form {form}: its base {mixin} is not a plain class of its module"]
    for statement in found.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if not isinstance(statement, ast.FunctionDef) or statement.name == "save":
            return [f"form {form}: its base {mixin} has `{ast.unparse(statement)[:40]}`"]
    if reaches_orm(found, imports) or "self.instance" in ast.unparse(found):
        return [f"form {form}: its base {mixin} queries or reads the instance"]
    return []


def _strings(node: ast.expr) -> list[str]:
    elements = node.elts if isinstance(node, ast.List | ast.Tuple) else []
    return [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def _wrapped_fields(model: ast.ClassDef, models_sources: list[str]) -> list[str]:
    """The fields of `model` given by a call wrapping a field the codemod does not read; not
    django-cryptography's `encrypt(models.CharField())`, a column reading and writing through
    Django's own field (encrypted_fields.py)."""
    module = _module_of(model.name, models_sources)
    return [
        target
        for target, value in _assigned(model.body).items()
        if isinstance(value, ast.Call)
        and not ast.unparse(value.func).endswith(("Field", "Key"))
        and any(
            isinstance(arg, ast.Call) and ast.unparse(arg.func).endswith(("Field", "Key"))
            for arg in value.args
        )
        and (module is None or encrypted_kind(value, module) is None)
    ]


def _module_of(name: str, models_sources: list[str]) -> ast.Module | None:
    """The models module defining class `name` (the only one)."""
    found = _definitions(name, models_sources)
    return found[0][0] if len(found) == 1 else None


def _all_fields(fields: ast.expr | None) -> bool:
    """`fields = "__all__"`: every editable field of the model, as Django's ModelForm takes."""
    return isinstance(fields, ast.Constant) and fields.value == "__all__"


def _editable_fields(model: ast.ClassDef) -> list[str]:
    """The fields of `model` a ModelForm takes when its Meta names none (`exclude` alone): its
    fields but the automatic keys and those Django does not edit (`editable=False`,
    `auto_now`, `auto_now_add`)."""
    found = []
    for field, call in _assigned(model.body).items():
        if not isinstance(call, ast.Call):
            continue
        kind = ast.unparse(call.func).rsplit(".", 1)[-1]
        flags = {k.arg: ast.unparse(k.value) for k in call.keywords}
        if not kind.endswith(("Field", "Key")) or kind in ("AutoField", "BigAutoField"):
            continue
        if flags.get("editable") == "False" or "True" in (
            flags.get("auto_now"),
            flags.get("auto_now_add"),
        ):
            continue
        found.append(field)
    return found


def _unique_groups_checked(meta: dict[str, ast.expr], fields: set[str]) -> str | None:
    """The model's `unique_together` or constraint Django checks with a query the twin cannot
    run for a form of `fields`, or None. A `unique_together` of literal field names the twin
    checks on its session (unique_checks.py); a constraint is checked when its fields are all
    in the form (any other constraint): Django skips one with a field the form leaves out."""
    together = meta.get("unique_together")
    if together is not None:
        groups = together.elts if isinstance(together, ast.List | ast.Tuple) else [together]
        if groups and all(isinstance(g, ast.Constant) for g in groups):
            groups = [together]  # one group written flat: ("user", "topic")
        for group in groups:
            elements = getattr(group, "elts", None)
            if not isinstance(group, ast.List | ast.Tuple) or not all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in elements or []
            ):
                return "unique_together"
    constraints = meta.get("constraints")
    for constraint in getattr(constraints, "elts", [constraints] if constraints else []):
        call = constraint if isinstance(constraint, ast.Call) else None
        kind = ast.unparse(call.func).rsplit(".", 1)[-1] if call is not None else ""
        keyword = (
            next((k.value for k in call.keywords if k.arg == "fields"), None) if call else None
        )
        names = {e.value for e in getattr(keyword, "elts", []) if isinstance(e, ast.Constant)}
        if kind != "UniqueConstraint" or keyword is None or names <= fields:
            return "constraint " + (ast.unparse(constraint)[:40] if constraint else "")
    return None


def _stores_arguments(init: ast.FunctionDef) -> bool:
    """`super().__init__(...)` and `self.x = <name>` only."""
    for statement in init.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            if ast.unparse(statement.value.func) in ("super().__init__",):
                continue
            if ast.unparse(statement.value.func).startswith("super("):
                continue
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and ast.unparse(statement.targets[0]).startswith("self.")
            and isinstance(statement.value, ast.Name)
        ):
            continue
        return False
    return True


def _assigned(body: list[ast.stmt]) -> dict[str, ast.expr]:
    return {
        statement.targets[0].id: statement.value
        for statement in body
        if isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    }


def _meta_body(model: ast.ClassDef) -> list[ast.stmt]:
    for statement in model.body:
        if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            return statement.body
    return []


def model_class(name: str, models_sources: list[str]) -> ast.ClassDef | None:
    """The class `name` of the models modules (the only one)."""
    found = _definitions(name, models_sources)
    return found[0][1] if len(found) == 1 else None


def _definitions(name: str, models_sources: list[str]) -> list[tuple[ast.Module, ast.ClassDef]]:
    """Each class `name` of the models modules, with its module."""
    found = []
    for source in models_sources:
        try:
            tree = parse_ast_shared(source)  # read only
        except SyntaxError:
            continue
        found += [(tree, s) for s in tree.body if isinstance(s, ast.ClassDef) and s.name == name]
    return found
