"""A `ListView`, `DetailView` or `DeleteView` whose objects can be SQLAlchemy rows: what of the
class changes, or why it keeps Django's ORM. Decided from the view module's source, so the URLs
rule (its route's status) and the class-views rule (the rewrite) agree.

    class IndexView(generic.ListView):
        template_name = "polls/index.html"
        def get_queryset(self):
            return Question.objects.filter(pub_date__lte=timezone.now()).order_by("-pub_date")[:5]
->  class IndexView(SelectedObjects, generic.ListView):
        template_name = "polls/index.html"
        def get_queryset(self):
            return self.rows(select(tables.Question).where(tables.Question.pub_date <= ...)
                             .order_by(tables.Question.pub_date.desc()).limit(5))

What converts: `model = Model`, `queryset = <chain>` and a `get_queryset` that returns one chain
(with a constant slice), the chain in the query mapping (querysets.py); the class's other
methods must not query or touch its objects; its bases are Django's generic view, the access
mixins, and mixins of SRC that neither query nor see the objects (row_mixins.py); its
templates must read only what the rows have (template_reads.py); no class of SRC may be built
on it (it would inherit the rows). A `DeleteView` also needs a model no foreign
key points at (Django's `on_delete` would run). A `get_queryset` of a mixin of the view's module
is copied into the class with the helpers it calls (inherited_queryset.py), the mixins kept as
written.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.django.analysis import ClassInfo, DjangoAnalysis, ModulePath
from codemods.django.analysis import _imports as imports_of
from codemods.django.built_filters import BuiltFilter, built_conditions, built_filter
from codemods.django.class_views import ACCESS_MIXINS, DATE_GENERICS, GENERIC_HANDLERS
from codemods.django.collected_deletion import MIXIN as COLLECTED_MIXIN
from codemods.django.collected_deletion import RUNTIME as COLLECTED_RUNTIME
from codemods.django.collected_deletion import collected_deletion_problems
from codemods.django.form_views import FORM_GENERICS, form_view_plan, twin_import
from codemods.django.form_views import MIXIN as FORM_MIXIN
from codemods.django.form_views import RUNTIME as FORM_RUNTIME
from codemods.django.helper_twins import HelperCall
from codemods.django.inherited_queryset import (
    QUERYSET_METHOD,
    SITES_RUNTIME,
    Copies,
    copied_methods,
    method_node,
    returned_value,
    site_on_session,
    with_rows,
)
from codemods.django.managers import read_managers
from codemods.django.model_modules import model_modules, relative_module, tables_names
from codemods.django.model_relations import Relations, deletion_problems, read_relations
from codemods.django.orm_use import model_names
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import TABLES, Scope, Unconvertible, statement_of
from codemods.django.row_mixins import mixin_problem
from codemods.django.row_overrides import override_problem
from codemods.django.sites_site import SITE_CLASS
from codemods.django.template_reads import QUERY_METHODS, Reads, read_models, template_problems
from codemods.engine.parsed import code_of, parse_ast_shared

ROW_GENERICS = {
    "ListView": "_list",
    "DetailView": "_detail",
    "DeleteView": "_confirm_delete",
    "CreateView": "_form",
    "UpdateView": "_form",
    # the date-based views (Django's template_name_suffix of each)
    "ArchiveIndexView": "_archive",
    "YearArchiveView": "_archive_year",
    "MonthArchiveView": "_archive_month",
    "WeekArchiveView": "_archive_week",
    "DayArchiveView": "_archive_day",
    "TodayArchiveView": "_archive_day",
    "DateDetailView": "_detail",
}
# generics whose objects are a list in the template (the others: one object)
LIST_GENERICS = DATE_GENERICS - {"DateDetailView"} | {"ListView"}
RUNTIME = "codemods.runtime.django.generic"
MIXINS = {
    "ListView": "SelectedObjects",
    "DetailView": "SelectedObjects",
    "CreateView": FORM_MIXIN,
    "UpdateView": FORM_MIXIN,
    **{generic: "SelectedDates" for generic in DATE_GENERICS},
}
DELETION = "SelectedDeletion"
FOREIGN_KEYS = ("ForeignKey", "OneToOneField")
# methods of the generic views that see the objects (a class defining them keeps the ORM)
# (`get_context_data` may stay when it neither queries nor reads the objects: `_touches_orm`)
OBJECT_METHODS = frozenset(
    {"get_object", "get", "post", "delete", "form_valid", "paginate_queryset",
     "get_dated_items", "get_dated_queryset", "get_date_list"}
)  # fmt: skip


@dataclass
class RowsPlan:
    """The rewrite of one class (node -> code), or the reasons it keeps Django's ORM."""

    reasons: list[str] = field(default_factory=list)
    mixin: str = "SelectedObjects"  # the runtime class put first in its bases
    model: str | None = None  # the legacy model's local name
    owner: str | None = None  # the dotted module the model is imported from
    replacements: dict[cst.CSTNode, str] = field(default_factory=dict)
    imports: set[tuple[str, str]] = field(default_factory=set)
    # methods of its mixins copied into the class (inherited_queryset.py), as they are written
    additions: list[cst.FunctionDef] = field(default_factory=list)
    # a CreateView/UpdateView's ModelForm, twinned in its forms module (form_views.py)
    form_twin: HelperCall | None = None
    # (module, name, level) of relative imports: the form's twin
    relative_imports: set[tuple[str, str, int]] = field(default_factory=set)


def _relations(analysis: DjangoAnalysis) -> Relations:
    cache = _cache(analysis, "relations")
    if "relations" not in cache:
        cache["relations"] = read_relations(analysis.models_sources)
    found: Relations = cache["relations"]
    return found


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _class(tree: cst.Module, name: str) -> cst.ClassDef | None:
    for statement in tree.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            return statement
    return None


def _generic(
    analysis: DjangoAnalysis, info: ClassInfo, overridden: frozenset[str] = frozenset()
) -> tuple[str | None, str | None]:
    """(the row generic it is built on, why it cannot be); its bases of SRC must be mixins
    that neither query nor see the objects (row_mixins.py), but by the methods the class
    overrides with copies (`overridden`)."""
    generics = []
    for base in info.bases:
        last = base.name.rsplit(".", 1)[-1]
        if base.module is not None:
            problem = mixin_problem(analysis, base.module, base.name, overridden)
            if problem is not None:
                return None, problem
            continue
        if last in ROW_GENERICS:
            generics.append(last)
        elif last not in ACCESS_MIXINS and last not in GENERIC_HANDLERS:
            return None, f"base {base.name} is not a class the codemod knows"
    if len(generics) != 1:
        return None, "not built on one generic view of objects (ListView, DetailView, ...)"
    return generics[0], None


def _string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _statement(
    node: cst.BaseExpression, models: frozenset[str], scope: Scope, analysis: DjangoAnalysis
) -> tuple[str, str, set[tuple[str, str]]]:
    """(model, statement code, imports) of a chain, with a constant slice as LIMIT/OFFSET."""
    relations = _relations(analysis)
    limit = ""
    if isinstance(node, cst.Subscript):
        element = node.slice[0].slice if len(node.slice) == 1 else None
        if not isinstance(element, cst.Slice) or element.step is not None:
            raise Unconvertible(f"{_code(node)}: only [start:stop] slices are converted")
        bounds = []
        for bound in (element.lower, element.upper):
            if bound is not None and not isinstance(bound, cst.Integer):
                raise Unconvertible(f"{_code(node)}: only constant slice bounds are converted")
            bounds.append(int(bound.value) if isinstance(bound, cst.Integer) else None)
        start, stop = bounds[0] or 0, bounds[1]
        limit = (f".offset({start})" if start else "") + (
            f".limit({stop - start})" if stop is not None else ""
        )
        node = node.value
    model, translation = statement_of(node, models, relations, scope)
    return model, translation.code + limit, set(translation.imports)


def _cache(analysis: DjangoAnalysis, key: str) -> dict[Any, Any]:
    """A cache kept on the analysis object (one run of the codemod)."""
    found: dict[Any, Any] = vars(analysis).setdefault(f"_class_rows_{key}", {})
    return found


def rows_plan(
    analysis: DjangoAnalysis, module: ModulePath, name: str, tree: cst.Module | None = None
) -> RowsPlan:
    """The plan of class `name` of `module` (its libcst tree, else read from SRC: that plan
    is kept for the run, as the URLs rule and the plans ask for it again)."""
    if tree is not None:
        return _rows_plan(analysis, module, name, tree)
    plans = _cache(analysis, "plans")
    if (module, name) not in plans:
        plans[(module, name)] = _rows_plan(analysis, module, name, None)
    found: RowsPlan = plans[(module, name)]
    return found


def _rows_plan(
    analysis: DjangoAnalysis, module: ModulePath, name: str, tree: cst.Module | None
) -> RowsPlan:
    plan = RowsPlan()
    info = analysis.classes.get((module, name))
    if info is None or analysis.root is None:
        plan.reasons.append(f"{name} is not a module-level class the codemod reads")
        return plan
    copies = copied_methods(analysis, module, name)
    copied = copies is not None and copies.problem is None
    overridden = frozenset(copies.owners) if copies is not None and copied else frozenset()
    generic, problem = _generic(analysis, info, overridden)
    if generic is None:
        plan.reasons.append(f"{name}: {problem}")
        if copies is not None and copies.problem is not None:
            plan.reasons.append(f"{name}: its inherited get_queryset() stays: {copies.problem}")
        return plan
    subclasses = sorted(
        sub
        for (owner, sub), other in analysis.classes.items()
        if any(base.module == module and base.name == name for base in other.bases)
    )
    if subclasses:  # they would inherit the rows, written for Django's querysets
        plan.reasons.append(f"{name} is the base of {', '.join(subclasses)} (classes of SRC)")
        return plan
    plan.mixin = MIXINS.get(generic, DELETION)
    source = None  # the module's text, when read here
    if tree is None:
        try:
            source = Path(analysis.root, *module).read_text(encoding="utf-8")
            tree = analysis.parsed.parse(source)
        except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
            plan.reasons.append(f"{name}: its module does not parse")
            return plan
    node = _class(tree, name)
    if node is None or not isinstance(node.body, cst.IndentedBlock):
        plan.reasons.append(f"{name} is not a module-level class the codemod reads")
        return plan
    imports = imports_of(module, parse_ast_shared(code_of(tree) if source is None else source))
    models = model_names(imports)
    cache = _cache(analysis, "managers")
    if "managers" not in cache:
        cache["managers"] = read_managers(analysis.models_sources)
        sources = [*analysis.models_sources, *analysis.managers_sources]
        cache["methods"] = read_queryset_methods(sources)
    scope = Scope(cache["managers"], {}, cache["methods"])
    template: str | None = None
    context_name: str | None = None
    date_field: str | None = None
    slug_field: str | None = None
    found_models: set[str] = set()
    form_view = generic in FORM_GENERICS
    for statement in node.body.body:
        problem = _member(statement, models, scope, analysis, plan, found_models, form_view)
        if problem:
            plan.reasons.append(f"{name}: {problem}")
        target, value = _assignment(statement)
        if target == "template_name" and value is not None:
            template = _string_value(value) or "?"
        elif target == "context_object_name" and value is not None:
            context_name = _string_value(value) or "?"
        elif target == "date_field" and value is not None:
            date_field = _string_value(value) or "?"
        elif target == "slug_field" and value is not None:
            slug_field = _string_value(value) or "?"
    if copies is not None and copied:
        plan.reasons += _copies(tree, copies, models, scope, analysis, plan, found_models)
    if form_view:
        _form_view(analysis, module, name, node, plan, found_models)
    if plan.reasons:
        return plan
    if len(found_models) != 1:
        plan.reasons.append(f"{name}: its objects come from {len(found_models)} models")
        return plan
    plan.model = found_models.pop()
    plan.owner = imports[plan.model].rpartition(".")[0] if plan.model in imports else plan.owner
    plan.reasons += [  # a branching method's `settings` where the module has another
        f"{name}: its queries need {local} of {module_name}, which the module binds otherwise"
        for module_name, local in sorted(plan.imports)
        if imports.get(local, f"{module_name}.{local}") != f"{module_name}.{local}"
    ]
    plan.reasons += _other_modules(analysis, plan)
    if copies is not None and copies.site and not _sites_generated(analysis, plan.model):
        plan.reasons.append(
            f"{name}: its copied helpers read the current site, but no model of {plan.model}'s "
            "models module relates to django.contrib.sites' Site (no SitesSite generated)"
        )
    if plan.reasons:
        return plan
    if generic == "DeleteView":
        problems = _deletion_problems(analysis, plan.model)
        if problems and not collected_deletion_problems(_relations(analysis), plan.model):
            plan.mixin, problems = COLLECTED_MIXIN, []  # Django's collector replayed
            plan.imports.add((COLLECTED_RUNTIME, COLLECTED_MIXIN))
        plan.reasons += problems
    if generic in DATE_GENERICS:
        plan.reasons += _date_field(analysis, plan.model, date_field)
    if slug_field is not None:
        plan.reasons += _slug_field(analysis, plan.model, slug_field)
    plan.reasons += _templates(analysis, plan, generic, template, context_name)
    if plan.mixin == FORM_MIXIN:
        plan.imports.add((FORM_RUNTIME, plan.mixin))
    elif plan.mixin != COLLECTED_MIXIN:
        plan.imports.add((RUNTIME, plan.mixin))
    return plan


def _form_view(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    node: cst.ClassDef,
    plan: RowsPlan,
    found_models: set[str],
) -> None:
    """A CreateView/UpdateView: its form twinned (form_views.py), `form_class` naming the twin;
    its model the form's when the class names none."""
    found = form_view_plan(analysis, module, name, node)
    plan.reasons += found.reasons
    if found.reasons or found.twin is None or found.model is None:
        return
    if found_models and found_models != {found.model}:
        plan.reasons.append(f"{name}: its model is not its form's ({found.model})")
        return
    if not found_models:
        found_models.add(found.model)
        plan.owner = found.owner
    plan.form_twin = found.twin
    target, level = twin_import(module, found.twin)
    plan.relative_imports.add((target, found.twin.twin, level))
    for statement in node.body.body:
        assigned, value = (
            _assignment(statement) if isinstance(statement, cst.BaseStatement) else (None, None)
        )
        if assigned == "form_class" and value is not None:
            plan.replacements[value] = found.twin.twin


def model_facts(analysis: DjangoAnalysis) -> dict[str, Any]:
    """What each legacy model's generated row has (template_reads.read_models), once a run."""
    cache = _cache(analysis, "facts")
    if "facts" not in cache:
        cache["facts"] = read_models(analysis.models_sources, _relations(analysis))
    found: dict[str, Any] = cache["facts"]
    return found


def _copies(
    tree: cst.Module,
    copies: Copies,
    models: frozenset[str],
    scope: Scope,
    analysis: DjangoAnalysis,
    plan: RowsPlan,
    found_models: set[str],
) -> list[str]:
    """The mixins' methods the class gets copies of (inherited_queryset.py): the helpers with
    the current site on the session, then `get_queryset` returning the rows; why not."""
    ordered = sorted(copies.owners.items(), key=lambda item: item[0] == QUERYSET_METHOD)
    for method, owner in ordered:
        copy = method_node(tree, owner, method)
        if copy is None:
            return [f"{owner}.{method}() is not a method the codemod reads"]
        if method != QUERYSET_METHOD:
            plan.additions.append(site_on_session(copy, TABLES))
            continue
        returned = returned_value(copy)
        if returned is None:
            return [f"{owner}.{method}() does not end by returning a queryset"]
        problem = _translated(returned, models, scope, analysis, plan, found_models)
        if problem is not None:
            return [f"{owner}.{method}(): {problem}"]
        rows = f"self.rows({plan.replacements.pop(returned)})"  # the mixin's stays as written
        plan.additions.append(with_rows(copy, returned, rows))
    if copies.site:
        plan.imports.add(SITES_RUNTIME)
    return []


def _sites_generated(analysis: DjangoAnalysis, model: str) -> bool:
    """The generated models module of `model` has `SitesSite` (a relation of one of its
    models to django.contrib.sites' Site)."""
    defined = model_modules(analysis.root, analysis.label_models)
    own = defined.get(model)
    return any(
        relation.target == SITE_CLASS
        for owner, fields in _relations(analysis).items()
        if defined.get(owner) == own
        for relation in fields.values()
    )


def _other_modules(analysis: DjangoAnalysis, plan: RowsPlan) -> list[str]:
    """The models its statements reach through relations (`tables.Category` of
    `category__parent=...`) that another models module defines: one `tables` is imported."""
    assert plan.owner is not None
    defined = model_modules(analysis.root, analysis.label_models)
    own = relative_module(plan.owner, set(defined.values()))
    names = {n for code in plan.replacements.values() for n in tables_names(code)}
    return [
        f"{name}: a model of another models module ({defined[name]}), reached by its query"
        for name in sorted(names - {plan.model})  # its own model: imported as the view does
        if name in defined and defined[name] != own
    ]


def _deletion_problems(analysis: DjangoAnalysis, model: str) -> list[str]:
    return deletion_problems(_relations(analysis), model)


def _assignment(statement: cst.BaseStatement) -> tuple[str | None, cst.BaseExpression | None]:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None, None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name):
            return target.value, small.value
    return None, None


def _member(
    statement: cst.BaseStatement,
    models: frozenset[str],
    scope: Scope,
    analysis: DjangoAnalysis,
    plan: RowsPlan,
    found_models: set[str],
    form_view: bool = False,
) -> str | None:
    """Why one statement of the class body keeps the ORM (None: it converts, or is no query);
    a form view's `form_class` and methods are read by form_views.py."""
    target, value = _assignment(statement)
    if form_view and (target == "form_class" or isinstance(statement, cst.FunctionDef)):
        return None
    if target == "model" and value is not None:
        if not (isinstance(value, cst.Name) and value.value in models):
            return f"model = {_code(value)}: not a model of SRC"
        found_models.add(value.value)
        plan.replacements[value] = f"{TABLES}.{value.value}"
        return None
    if target == "queryset" and value is not None:
        return _translated(value, models, scope, analysis, plan, found_models)
    if isinstance(statement, cst.FunctionDef):
        method = statement.name.value
        if method == "get_queryset":
            returned = _single_return(statement)
            if returned is None:
                built = built_filter(statement)
                if built is None:
                    return "get_queryset() does more than return one queryset"
                return _built(built, models, scope, analysis, plan, found_models)
            problem = _translated(returned, models, scope, analysis, plan, found_models)
            if problem is None:
                plan.replacements[returned] = f"self.rows({plan.replacements.pop(returned)})"
            return problem
        if method in OBJECT_METHODS:
            function = ast.parse(_code(statement)).body[0]
            assert isinstance(function, ast.FunctionDef)
            known = model_facts(analysis)
            facts = known.get(next(iter(found_models))) if len(found_models) == 1 else None
            return override_problem(function, models, facts)
    source = _code(statement)
    module = ast.parse(source) if source.strip() else None
    if module is not None and _touches_orm(module, models):
        return f"{source.strip().splitlines()[0]!r} uses Django's ORM or the objects"
    return None


def _touches_orm(module: ast.Module, models: frozenset[str]) -> bool:
    for item in ast.walk(module):
        if isinstance(item, ast.Name) and item.id in models:
            return True
        if isinstance(item, ast.Attribute) and (
            item.attr in {"objects", "object", "object_list"} or item.attr in QUERY_METHODS
        ):
            return True
        if isinstance(item, ast.Constant) and item.value in {"object", "object_list"}:
            return True  # context["object_list"]: the objects, replaced or read
    return False


def _single_return(function: cst.FunctionDef) -> cst.BaseExpression | None:
    body = [
        s
        for s in function.body.body
        if not (
            isinstance(s, cst.SimpleStatementLine)
            and len(s.body) == 1
            and isinstance(s.body[0], cst.Expr)
            and isinstance(s.body[0].value, cst.SimpleString | cst.ConcatenatedString)
        )
    ]
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine):
        return None
    small = body[0].body[0] if len(body[0].body) == 1 else None
    if isinstance(small, cst.Return) and small.value is not None:
        return small.value
    return None


def _built(
    built: BuiltFilter,
    models: frozenset[str],
    scope: Scope,
    analysis: DjangoAnalysis,
    plan: RowsPlan,
    found_models: set[str],
) -> str | None:
    """A `get_queryset` filtering by a dict it builds (built_filters.py)."""
    try:
        model, code, imports = _statement(built.queryset, models, scope, analysis)
        conditions = built_conditions(built, model, _relations(analysis))
    except Unconvertible as error:
        return f"stays on Django's ORM: {error}"
    found_models.add(model)
    filtered = f"filtered_by({code}, {built.name}, {conditions.code})"
    plan.replacements[built.returned] = f"self.rows({filtered})"
    plan.imports |= imports | conditions.imports
    return None


def _translated(
    value: cst.BaseExpression,
    models: frozenset[str],
    scope: Scope,
    analysis: DjangoAnalysis,
    plan: RowsPlan,
    found_models: set[str],
) -> str | None:
    try:
        model, code, imports = _statement(value, models, scope, analysis)
    except Unconvertible as error:
        return f"stays on Django's ORM: {error}"
    found_models.add(model)
    plan.replacements[value] = code
    plan.imports |= imports
    return None


def _date_field(analysis: DjangoAnalysis, model: str, date_field: str | None) -> list[str]:
    """Why a date view's `date_field` (of the class itself) cannot be read on the rows."""
    if date_field is None:
        return ["a date view without a date_field of its own (one of its bases' is not read)"]
    facts = model_facts(analysis).get(model)
    if date_field == "?" or facts is None or date_field not in facts.columns:
        return [f"date_field {date_field!r} is not a column of {model}"]
    return []


def _slug_field(analysis: DjangoAnalysis, model: str, slug_field: str) -> list[str]:
    """Why the class's `slug_field` is no lookup `Rows.filter` takes: a column of its model, or
    of the row one of its foreign keys points at (`message__slug`)."""
    facts = model_facts(analysis)
    owner, parts = model, slug_field.split("__")
    for part in parts[:-1]:
        relation = _relations(analysis).get(owner, {}).get(part)
        if relation is None or relation.kind not in FOREIGN_KEYS or not relation.mapped:
            break
        owner = relation.target or ""
    else:
        if owner in facts and parts[-1] in facts[owner].columns:
            return []
    return [f"slug_field {slug_field!r} is not a column of {model} or of a row its keys point at"]


def _templates(
    analysis: DjangoAnalysis,
    plan: RowsPlan,
    generic: str,
    template: str | None,
    context_name: str | None,
) -> list[str]:
    """Why the view's template needs Django's instances (empty: the rows will do)."""
    assert plan.model is not None and plan.owner is not None and analysis.root is not None
    if template == "?" or context_name == "?":
        return ["template_name or context_object_name is not a string literal"]
    model_name = plan.model.lower()
    if template is None:
        parts = plan.owner.split(".")
        folder = parts[-2] if len(parts) > 1 else Path(analysis.root).name
        label = analysis.app_labels.get(folder, folder)
        template = f"{label}/{model_name}{ROW_GENERICS[generic]}.html"
    reads = Reads()
    if generic in LIST_GENERICS:
        default = "latest" if generic == "ArchiveIndexView" else f"{model_name}_list"
        for list_name in {context_name or default, "object_list", "page_obj"}:
            reads.lists[list_name] = plan.model
    else:  # DetailView, DeleteView
        for object_name in {context_name or model_name, "object"}:
            reads.objects[object_name] = plan.model
    facts = model_facts(analysis)
    if plan.model not in facts:
        return [f"model {plan.model} is not a class of a models module the codemod reads"]
    return template_problems(Path(analysis.root), template, reads, facts)
