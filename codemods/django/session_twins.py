"""A served `TemplateView` whose mixins of SRC look a row up in a method other than a handler
and put it in the context (django-newsletter's `ActionTemplateView`: `NewsletterMixin`'s
`process_url_data` sets `self.newsletter` by `get_object_or_404`, its `get_context_data` hands
it to the template). Other classes of SRC are built on the view and its mixins and keep Django's
instances (`SubscribeUserView` saves `Subscription(newsletter=self.newsletter)`), so the route
gets a twin of the class, built on it, holding copies of the querying methods on the session:

    class ActionTemplateViewOnSession(SessionView, ActionTemplateView):
        def get_site(self, request=None):
            ...
            return current_site(self.session, request, tables.SitesSite)

        def process_url_data(self, request, *args, **kwargs):
            session = self.session
            assert "newsletter_slug" in kwargs
            super(NewsletterMixin, self).process_url_data(request, *args, **kwargs)
            newsletter_queryset = ordered(select(tables.Newsletter).where(...))
            ...
            self.newsletter = get_or_404(session, newsletter_queryset.where(...))

A copy's `super()` is `super(<the class it was copied from>, self)`: it goes on along the
method resolution order where the original would. A `kwargs.get("key", <queryset>)` whose key
no route of the view gives (its path, its extra arguments) is its default.

What converts (else the reasons): the view's method resolution order holds classes of its own
module and `TemplateView`; the view itself does not query; one method of a mixin queries (the
first definer of its name), its queries translate as a function view's and the one row it makes
is assigned to `self.<attribute>`; the other querying methods are helpers reaching the ORM by
`get_current_site(...)` alone (inherited_queryset.py's); the methods the view runs (Django's
`TemplateView` flow and what they call on `self`) read `self.<attribute>` only to put it in the
context (`context["key"] = self.<attribute>` in `get_context_data`); the templates (the route's
`template_name`, a `%(name)s` in it standing for any text when a mixin's `get_template_names`
returns `[self.template_name % {...}]`: every template of SRC it matches) read of the row only
what the generated row has (template_reads.py) and do not read `view.<attribute>`.

A list or date-archive view (`ListView`, `ArchiveIndexView`, ...: django-newsletter's
`SubmissionArchiveIndexView`) gets the same twin on `SelectedObjects`/`SelectedDates` (runtime
generic.py) when its mixins also give its objects: their `queryset = <chain>` becomes the twin's
`select()`, and a `get_queryset` narrowing `super().get_queryset()` by the row
(`qs.filter(newsletter=self.newsletter)`, a foreign key to the row's model) is copied as written,
its `super()` then the rows mixin's. A method above the querying one that only sets
`kwargs["key"] = View(request=request).get_queryset()` before calling `super()` is folded into
the copy: `kwargs.get("key", ...)` is that view class's `get_queryset` chain, inlined.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath, UrlPattern, read_module_tree
from codemods.django.analysis import _imports as imports_of
from codemods.django.class_rows import LIST_GENERICS, MIXINS, ROW_GENERICS, _sites_generated
from codemods.django.function_templates import TABLE
from codemods.django.inherited_queryset import (
    QUERYSET_METHOD,
    SITE_CALL,
    _calls_super,
    _mro,
    _orm_names,
    _self_calls,
    copied_methods,
)
from codemods.django.managers import read_managers
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import model_names
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import SESSION, Scope, Unconvertible, statement_of
from codemods.django.session_tables import unplaced_modules
from codemods.django.template_reads import Reads, read_models, template_problems, template_texts
from codemods.django.view_queries import ViewQueries, function_queries
from codemods.engine.nodes import dotted_name
from codemods.engine.runner import source_package
from codemods.engine.walk import in_order

TWIN_SUFFIX = "OnSession"
TEMPLATE_VIEW = "TemplateView"
CONTEXT_METHOD = "get_context_data"
TEMPLATE_NAMES = "get_template_names"
# what Django's TemplateView runs of a view (the other methods run only when these call them)
TEMPLATE_VIEW_RUNS = frozenset(
    {"setup", "dispatch", "get", "head", "options", "http_method_not_allowed",
     CONTEXT_METHOD, TEMPLATE_NAMES, "render_to_response", "get_template_engine"}
)  # fmt: skip
# what Django's list and date-archive views run of a view beside TEMPLATE_VIEW_RUNS
LIST_VIEW_RUNS = frozenset(
    {QUERYSET_METHOD, "get_ordering", "paginate_queryset", "get_paginate_by",
     "get_paginate_orphans", "get_allow_empty", "get_context_object_name", "get_dated_items",
     "get_dated_queryset", "get_date_list", "get_date_list_period", "get_date_field",
     "get_allow_future", "_make_date_lookup_arg", "_make_single_date_lookup"}
)  # fmt: skip
LOOKUP = "get_object_or_404"
VIEW_READ = re.compile(r"\{[{%][^}]*\bview\b")  # `view` in a variable or a tag
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass
class TwinPlan:
    """The twin of a served view, or why it keeps Django's ORM."""

    reasons: list[str] = field(default_factory=list)
    twin: str = ""
    copies: list[tuple[str, str]] = field(default_factory=list)  # (class, method), in order
    querying: tuple[str, str] | None = None  # the copied method making the row
    lookup: bool = False  # it assigns `get_object_or_404(...)` to `self.<attribute>`
    defaults: frozenset[str] = frozenset()  # the `kwargs.get` keys read as their default
    owner: str | None = None  # the legacy models module of the row's model (dotted)
    model: str | None = None  # the row's model
    attribute: str = ""  # the row is `self.<attribute>`
    site: bool = False  # a copy reads the current site (`get_current_site`: runtime sites.py)
    mixin: str = "SessionView"  # the runtime class first in the twin's bases
    # a list or date-archive view (rows_twins below): its generic, its objects' model, the
    # `queryset` of a mixin translated (code, imports), the mixin's `get_queryset` narrowing
    # the rows by the row looked up, copied as written (class, method)
    rows_generic: str | None = None
    rows_model: str | None = None
    queryset: tuple[str, frozenset[tuple[str, str]]] | None = None
    verbatim: list[tuple[str, str]] = field(default_factory=list)
    # keys an overriding method sets in `kwargs` before its `super()` call: their value code
    given: dict[str, str] = field(default_factory=dict)


def twin_plan(analysis: DjangoAnalysis, module: ModulePath, name: str) -> TwinPlan:
    """The plan of the served class `name` of `module`, read from SRC (kept for the run)."""
    cache: dict[Any, TwinPlan] = vars(analysis).setdefault("_session_twins", {})
    if (module, name) not in cache:
        cache[(module, name)] = _plan(analysis, module, name)
    return cache[(module, name)]


def _plan(analysis: DjangoAnalysis, module: ModulePath, name: str) -> TwinPlan:
    plan = TwinPlan(twin=name + TWIN_SUFFIX)
    tree = read_module_tree(analysis, module)
    if tree is None or analysis.root is None:
        plan.reasons.append(f"{name}: its module is not read")
        return plan
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    if plan.twin in classes:
        plan.reasons.append(f"{name}: its module has a class {plan.twin} already")
        return plan
    mro = _mro(analysis, (module, name))
    ours: list[str] = []
    outside = [b.rsplit(".", 1)[-1] for o, b in mro[1:] if o is None and b != "object"]
    rows = [b for b in outside if b in LIST_GENERICS]
    for owner, base in mro[1:] if len(mro) > 1 else []:
        if owner is None:
            last = base.rsplit(".", 1)[-1]
            if last not in (TEMPLATE_VIEW, "object") and not (last in rows and len(rows) == 1):
                plan.reasons.append(f"{name}: base {base} is not TemplateView")
        elif owner != module:
            plan.reasons.append(f"{name}: base {base} is a class of another module")
        else:
            ours.append(base)
    if TEMPLATE_VIEW not in outside and not rows:
        plan.reasons.append(f"{name} is not built on TemplateView")
    if plan.reasons:
        return plan
    if rows:
        plan.rows_generic, plan.mixin = rows[0], MIXINS[rows[0]]
    imports = imports_of(module, tree)
    models = model_names(imports)
    found = _querying_methods(analysis, module, name, ours, classes, models, plan)
    if found is None:
        return plan
    patterns = analysis.patterns_of_class(module, name)
    _translate(analysis, module, classes, found, models, patterns, plan)
    if plan.reasons or plan.model is None:
        return plan
    if plan.rows_generic and plan.rows_model is None:
        plan.reasons.append(f"{name}: no queryset of its mixins gives its objects")
        return plan
    own = imports.get(plan.model, "").rpartition(".")[0]
    if plan.rows_generic and imports.get(plan.rows_model or "", "").rpartition(".")[0] != own:
        plan.reasons.append(f"{name}: {plan.rows_model} and {plan.model} are of two models modules")
        return plan
    reads = _row_reads(analysis, name, [name, *ours], classes, found, plan)
    if reads is None:
        return plan
    plan.owner = own or None
    _template_checks(analysis, [name, *ours], classes, patterns, reads, plan)
    plan.reasons += _helper_callers([name, *ours], classes, plan)
    plan.site = any(
        SITE_CALL in _orm_names(_methods(classes[owner])[method], models)
        for owner, method in plan.copies
    )
    if plan.site and not _sites_generated(analysis, plan.model):
        plan.reasons.append(
            f"{name}: its copied methods read the current site, but no model of "
            f"{plan.model}'s models module relates to django.contrib.sites' Site"
        )
    models_module = imports.get(plan.model, "").rpartition(".")[0]
    plan.owner = models_module or None
    root = Path(analysis.root)
    for unplaced in unplaced_modules(root, source_package(root), {models_module}):
        plan.reasons.append(f"{name}: {unplaced} is not a models module of SRC")
    return plan


def _first_definer(chain: list[str], classes: dict[str, ast.ClassDef], method: str) -> str | None:
    for owner in chain:
        if method in _methods(classes[owner]):
            return owner
    return None


def _methods(node: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    return {s.name: s for s in node.body if isinstance(s, ast.FunctionDef)}


def _querying_methods(
    analysis: DjangoAnalysis,
    module: ModulePath,
    name: str,
    ours: list[str],
    classes: dict[str, ast.ClassDef],
    models: frozenset[str],
    plan: TwinPlan,
) -> tuple[str, str] | None:
    """The one querying method of the mixins (class, method); the site helpers join
    `plan.copies`. None: the reasons say why."""
    chain = [name, *ours]
    querying: list[tuple[str, str]] = []
    for owner in chain:
        node = classes[owner]
        info = analysis.classes.get((module, owner))
        if info is not None and info.outside_queries:
            plan.reasons.append(f"{owner} calls querying code: {info.outside_queries[0]}")
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef) or not _orm_names(statement, models):
                continue
            if plan.rows_generic and _assigned(statement) == "queryset" and plan.queryset is None:
                _rows_queryset(analysis, owner, statement, models, plan)
            else:
                plan.reasons.append(f"{owner}: its class attributes reach Django's ORM")
        for method, function in _methods(node).items():
            reached = _orm_names(function, models)
            if not reached:
                continue
            if owner == name:
                plan.reasons.append(f"{name}.{method}(): the view's own method queries")
            elif _first_definer(chain, classes, method) != owner and not _folded(
                analysis, module, chain, classes, owner, method, plan
            ):
                plan.reasons.append(f"{owner}.{method}() queries, under another {method}()")
            elif reached == {SITE_CALL} and not (_calls_super(function) or _self_calls(function)):
                plan.copies.append((owner, method))
            else:
                querying.append((owner, method))
    if len(querying) != 1:
        if not querying and not plan.reasons:
            plan.reasons.append(f"{name}: no method of its mixins looks a row up")
        elif querying:
            shown = ", ".join(f"{o}.{m}()" for o, m in querying)
            plan.reasons.append(f"{name}: more than one method of its mixins queries: {shown}")
        return None
    owner, method = querying[0]
    plan.lookup = _looks_a_row_up(_methods(classes[owner])[method])
    if plan.reasons:
        return None
    plan.querying = querying[0]
    plan.copies.append(querying[0])
    return querying[0]


def _assigned(statement: ast.stmt) -> str | None:
    """The name a class attribute statement assigns (`queryset = ...`)."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id
    return None


def _rows_queryset(
    analysis: DjangoAnalysis,
    owner: str,
    statement: ast.stmt,
    models: frozenset[str],
    plan: TwinPlan,
) -> None:
    """A mixin's `queryset = <chain>` of a list view's twin, as a `select()` (or the reason)."""
    assert isinstance(statement, ast.Assign)
    node = cst.parse_expression(ast.unparse(statement.value))
    relations = read_relations(analysis.models_sources)
    managers = read_managers(analysis.models_sources)
    methods = read_queryset_methods([*analysis.models_sources, *analysis.managers_sources])
    try:
        model, translation = statement_of(node, models, relations, Scope(managers, {}, methods))
    except Unconvertible as error:
        plan.reasons.append(f"{owner}.queryset: {error}")
        return
    plan.rows_model = model
    plan.queryset = (translation.code, frozenset(translation.imports))


def _setter(function: ast.FunctionDef, method: str) -> dict[str, ast.expr] | None:
    """The keys and values of a method only setting `kwargs["key"] = value` before calling
    `super().<method>(..., **kwargs)` (None: it does anything else)."""
    kwargs = function.args.kwarg.arg if function.args.kwarg is not None else None
    body = [s for s in function.body if not _docstring(s)]
    if kwargs is None or not body:
        return None
    last = body[-1]
    call = last.value if isinstance(last, ast.Return | ast.Expr) else None
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == method
        and isinstance(call.func.value, ast.Call)
        and ast.unparse(call.func.value) == "super()"
        and any(k.arg is None and ast.unparse(k.value) == kwargs for k in call.keywords)
    ):
        return None
    found: dict[str, ast.expr] = {}
    for statement in body[:-1]:
        target = statement.targets[0] if isinstance(statement, ast.Assign) else None
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(target, ast.Subscript)
            and ast.unparse(target.value) == kwargs
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
        ):
            return None
        found[target.slice.value] = statement.value
    return found


def _docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _folded(
    analysis: DjangoAnalysis,
    module: ModulePath,
    chain: list[str],
    classes: dict[str, ast.ClassDef],
    owner: str,
    method: str,
    plan: TwinPlan,
) -> bool:
    """The querying `owner.method` is overridden above it only by methods setting keys of its
    `kwargs` (django-newsletter's `SubmissionViewBase.process_url_data` giving
    `newsletter_queryset`): the copy takes each value they set (`plan.given`), each the
    `get_queryset()` of a view class of the module built for the same request, inlined."""
    for above in chain[: chain.index(owner)]:
        function = _methods(classes[above]).get(method)
        if function is None:
            continue
        keys = _setter(function, method)
        if keys is None:
            return False
        request = function.args.args[1].arg if len(function.args.args) > 1 else None
        for key, value in keys.items():
            code = _inlined_queryset(analysis, module, chain, classes, value, request, plan)
            if code is None:
                plan.reasons.append(
                    f"{above}.{method}() sets kwargs[{key!r}] to {ast.unparse(value)}, "
                    "which the codemod does not follow"
                )
                return True
            plan.given.setdefault(key, code)
    return True


def _inlined_queryset(
    analysis: DjangoAnalysis,
    module: ModulePath,
    chain: list[str],
    classes: dict[str, ast.ClassDef],
    value: ast.expr,
    request: str | None,
    plan: TwinPlan,
) -> str | None:
    """`View(request=request).get_queryset()` (a class of the module) -> the chain its
    `get_queryset` returns, its local names replaced by their values, its `self.<helper>()`
    calls the twin's own (the same method of the same class); None: another value."""
    if not (
        isinstance(value, ast.Call)
        and not value.args
        and not value.keywords
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == QUERYSET_METHOD
        and isinstance(value.func.value, ast.Call)
        and isinstance(value.func.value.func, ast.Name)
        and value.func.value.func.id in classes
        and not value.func.value.args
        and [(k.arg, ast.unparse(k.value)) for k in value.func.value.keywords]
        == [("request", request)]
    ):
        return None
    view = value.func.value.func.id
    copies = copied_methods(analysis, module, view)
    if copies is None or copies.problem is not None:
        return None
    for helper, owner in copies.owners.items():
        if helper != QUERYSET_METHOD and _first_definer(chain, classes, helper) != owner:
            return None
    function = _methods(classes[copies.owners[QUERYSET_METHOD]])[QUERYSET_METHOD]
    body = [s for s in function.body if not _docstring(s)]
    returned = body[-1].value if isinstance(body[-1], ast.Return) else None
    if returned is None:
        return None
    names: dict[str, ast.expr] = {}
    for statement in body[:-1]:
        assert isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name)
        names[statement.targets[0].id] = statement.value
    uses = [n.id for n in ast.walk(returned) if isinstance(n, ast.Name) and n.id in names]
    if sorted(uses) != sorted(names):  # each local read once, where it stands
        return None

    class Inline(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> ast.expr:
            return names.get(node.id, node)

    return ast.unparse(Inline().visit(ast.parse(ast.unparse(returned), mode="eval")).body)


def _narrows(function: ast.FunctionDef, plan: TwinPlan, analysis: DjangoAnalysis) -> bool:
    """`qs = super().get_queryset()`, `qs = qs.filter(<key>=self.<attribute>)` (a foreign key
    of the objects' model to the looked-up row's), `return qs`: copied as written into the
    twin, where `super()` gives the rows and `Rows.filter` compares the key with the row."""
    body = [s for s in function.body if not _docstring(s)]
    if len(body) < 3 or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        return False
    name = ast.unparse(body[-1].value)
    first = body[0]
    if not (
        isinstance(first, ast.Assign)
        and ast.unparse(first) == f"{name} = super().{QUERYSET_METHOD}()"
    ):
        return False
    relations = read_relations(analysis.models_sources).get(plan.rows_model or "", {})
    for statement in body[1:-1]:
        call = statement.value if isinstance(statement, ast.Assign) else None
        if not (
            isinstance(statement, ast.Assign)
            and ast.unparse(statement.targets[0]) == name
            and isinstance(call, ast.Call)
            and ast.unparse(call.func) == f"{name}.filter"
            and not call.args
            and call.keywords
        ):
            return False
        for keyword in call.keywords:
            relation = relations.get(keyword.arg or "")
            if (
                relation is None
                or relation.kind not in ("ForeignKey", "OneToOneField")
                or not relation.mapped
                or relation.target != plan.model
                or ast.unparse(keyword.value) != f"self.{plan.attribute}"
            ):
                return False
    return True


def _looks_a_row_up(function: ast.FunctionDef) -> bool:
    """The method assigns `get_object_or_404(...)` to an attribute of `self` (the shape this
    module converts, whatever else it does)."""
    return any(
        isinstance(item, ast.Assign)
        and len(item.targets) == 1
        and isinstance(item.targets[0], ast.Attribute)
        and isinstance(item.targets[0].value, ast.Name)
        and item.targets[0].value.id == "self"
        and isinstance(item.value, ast.Call)
        and isinstance(item.value.func, ast.Name)
        and item.value.func.id == LOOKUP
        for item in ast.walk(function)
    )


def _given_keys(patterns: list[UrlPattern]) -> set[str] | None:
    """The keyword arguments the view's routes give it (path parameters, extra arguments);
    None: a route's extra arguments are not a dict of literal keys."""
    from codemods.django.paths import convert

    given: set[str] = set()
    for pattern in patterns:
        given |= set(convert(pattern.parts).params)  # the include prefixes give theirs too
        if pattern.view_kwargs is not None and pattern.view_kwargs_keys is None:
            return None
        given |= set(pattern.view_kwargs_keys or ())
    return given


def defaults_taken(function: cst.FunctionDef, keys: frozenset[str]) -> cst.FunctionDef:
    """`kwargs.get("key", default)` -> `default`, for the keys given (the method's `**kwargs`)."""
    if not keys:
        return function
    return _kwargs_gets_replaced(
        function, lambda key, call: call.args[1].value.deep_clone() if key in keys else None
    )


def values_taken(function: cst.FunctionDef, values: dict[str, str]) -> cst.FunctionDef:
    """`kwargs.get("key", default)` -> the value an overriding method sets for the key."""
    if not values:
        return function
    return _kwargs_gets_replaced(
        function, lambda key, call: cst.parse_expression(values[key]) if key in values else None
    )


def _kwargs_gets_replaced(
    function: cst.FunctionDef,
    replacement: Callable[[str | None, cst.Call], cst.BaseExpression | None],
) -> cst.FunctionDef:
    """`function` with each `kwargs.get("key", default)` of its `**kwargs` replaced by
    `replacement(key, call)`, where that gives one."""
    star = function.params.star_kwarg
    if not isinstance(star, cst.Param):
        return function
    kwargs = star.name.value

    class Replaced(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
            found = replacement(_kwargs_get(updated_node, kwargs), updated_node)
            return updated_node if found is None else found

    changed = function.visit(Replaced())
    assert isinstance(changed, cst.FunctionDef)
    return changed


def _kwargs_get(call: cst.Call, kwargs: str) -> str | None:
    """The key of `kwargs.get("key", default)` (None: another call)."""
    if dotted_name(call.func) != f"{kwargs}.get" or len(call.args) != 2:
        return None
    key = call.args[0].value
    if any(a.keyword is not None or a.star for a in call.args):
        return None
    if isinstance(key, cst.SimpleString):
        value = ast.literal_eval(key.value)
        return value if isinstance(value, str) else None
    return None


def _cst_method(analysis: DjangoAnalysis, module: ModulePath, owner: str, method: str) -> Any:
    assert analysis.root is not None
    try:
        source = Path(analysis.root, *module).read_text(encoding="utf-8")
        tree = analysis.parsed.parse(source)
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
        return None
    return method_of(tree, owner, method)


def method_of(tree: cst.Module, owner: str, method: str) -> cst.FunctionDef | None:
    for statement in tree.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == owner:
            for item in getattr(statement.body, "body", ()):
                if isinstance(item, cst.FunctionDef) and item.name.value == method:
                    return item
    return None


def translated(
    analysis: DjangoAnalysis, function: cst.FunctionDef, models: frozenset[str]
) -> ViewQueries:
    """The method's queries, translated as a function view's."""
    relations = read_relations(analysis.models_sources)
    managers = read_managers(analysis.models_sources)
    methods = read_queryset_methods([*analysis.models_sources, *analysis.managers_sources])
    return function_queries(function, models, relations, managers, methods)


def _translate(
    analysis: DjangoAnalysis,
    module: ModulePath,
    classes: dict[str, ast.ClassDef],
    found: tuple[str, str],
    models: frozenset[str],
    patterns: list[UrlPattern],
    plan: TwinPlan,
) -> None:
    owner, method = found
    function = _cst_method(analysis, module, owner, method)
    if function is None:
        plan.reasons.append(f"{owner}.{method}() is not a method the codemod reads")
        return
    given = _given_keys(patterns)
    if given is None:
        plan.reasons.append(f"{owner}.{method}(): a route's extra arguments are not literal keys")
        return
    star = function.params.star_kwarg
    asked: set[str] = set()
    if isinstance(star, cst.Param):
        kwargs = star.name.value

        class Gets(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                key = _kwargs_get(node, kwargs)
                if key is not None:
                    asked.add(key)

        in_order(function, Gets())
    plan.defaults = frozenset(asked - given - set(plan.given))
    function = defaults_taken(function, plan.defaults)
    function = values_taken(function, plan.given)
    queries = translated(analysis, function, models)
    plan.reasons += [f"{owner}.{method}(): {r}" for r in dict.fromkeys(queries.reasons)]
    if plan.reasons:
        return
    rows = _row_assignment(function, queries)
    if rows is None:
        plan.reasons.append(
            f"{owner}.{method}(): it makes rows other than one row assigned to self.<attribute> "
            "by get_object_or_404"
        )
        return
    plan.model, plan.attribute = rows


def makes_rows(code: str) -> bool:
    """A translation reading rows on the session (not a statement kept in a variable)."""
    return re.search(rf"\b{SESSION}\b", code) is not None


def _row_assignment(function: cst.FunctionDef, queries: ViewQueries) -> tuple[str, str] | None:
    """(model, attribute) of the one row the method makes, by `get_object_or_404`, assigned to
    `self.<attribute>`; None: it makes other rows, or puts them elsewhere."""
    rows = {node: t for node, t in queries.translations.items() if makes_rows(t.code)}
    assigned: list[tuple[str, cst.CSTNode]] = []

    class Assigned(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            target = node.targets[0].target if len(node.targets) == 1 else None
            if (
                node.value in rows
                and isinstance(target, cst.Attribute)
                and dotted_name(target.value) == "self"
            ):
                assigned.append((target.attr.value, node.value))

    in_order(function, Assigned())
    if len(rows) != 1 or len(assigned) != 1:
        return None
    attribute, node = assigned[0]
    found = TABLE.search(rows[node].code)
    if found is None or not rows[node].code.startswith(f"get_or_404({SESSION},"):
        return None
    return found.group(1), attribute


def _row_reads(
    analysis: DjangoAnalysis,
    name: str,
    chain: list[str],
    classes: dict[str, ast.ClassDef],
    found: tuple[str, str],
    plan: TwinPlan,
) -> Reads | None:
    """The context keys the row is put under, or None (the reasons say why)."""
    assert plan.model is not None
    model, attribute = plan.model, plan.attribute
    runs = _methods_run(chain, classes, plan.rows_generic is not None)
    reads = Reads()
    for owner in chain:
        for method, function in _methods(classes[owner]).items():
            if method not in runs and (owner, method) != found:
                continue
            if (
                plan.rows_generic
                and method == QUERYSET_METHOD
                and _first_definer(chain, classes, method) == owner
                and _narrows(function, plan, analysis)
            ):
                plan.verbatim.append((owner, method))
                continue
            if _self_given(function):
                plan.reasons.append(
                    f"{owner}.{method}() hands self on: what reads its {attribute} is not followed"
                )
                continue
            uses = [
                item
                for item in ast.walk(function)
                if isinstance(item, ast.Attribute)
                and isinstance(item.ctx, ast.Load)
                and item.attr == attribute
                and isinstance(item.value, ast.Name)
                and item.value.id == "self"
            ]
            if not uses:
                continue
            keys = _context_keys(function, attribute) if method == CONTEXT_METHOD else None
            if keys is None or len(keys) != len(uses):
                plan.reasons.append(
                    f"{owner}.{method}() reads self.{attribute}, a row the codemod does not "
                    "follow there"
                )
                continue
            for key in keys:
                reads.objects[key] = model
    return None if plan.reasons else reads


def _self_given(function: ast.FunctionDef) -> bool:
    """`self` used otherwise than by its attributes (`helper(self)`, `vars(self)`)."""
    names = sum(isinstance(n, ast.Name) and n.id == "self" for n in ast.walk(function))
    attributes = sum(
        isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "self"
        for n in ast.walk(function)
    )
    return names != attributes


def _helper_callers(
    chain: list[str], classes: dict[str, ast.ClassDef], plan: TwinPlan
) -> list[str]:
    """A method the view runs, not copied, calling a copied helper (it would get a row of the
    generated `SitesSite`, where it was written for Django's)."""
    helpers = {method for owner, method in plan.copies if (owner, method) != plan.querying}
    runs = _methods_run(chain, classes, plan.rows_generic is not None)
    problems = []
    for owner in chain:
        for method, function in _methods(classes[owner]).items():
            if (owner, method) in plan.copies or method not in runs:
                continue
            for called in sorted(_self_calls(function) & helpers):
                problems.append(f"{owner}.{method}() calls {called}() too, which the copy changes")
    return problems


def _methods_run(
    chain: list[str], classes: dict[str, ast.ClassDef], listing: bool = False
) -> set[str]:
    """The names of the methods Django's TemplateView (or list view: `listing`) runs, with
    those they call on `self`."""
    runs = set(TEMPLATE_VIEW_RUNS) | (LIST_VIEW_RUNS if listing else set())
    pending = list(runs)
    while pending:
        method = pending.pop()
        for owner in chain:
            function = _methods(classes[owner]).get(method)
            if function is None:
                continue
            for called in _self_calls(function) - runs:
                runs.add(called)
                pending.append(called)
    return runs


def _context_keys(function: ast.FunctionDef, attribute: str) -> list[str] | None:
    """The keys of `<name>["key"] = self.<attribute>` statements (None: read otherwise)."""
    keys: list[str] = []
    for item in ast.walk(function):
        if not isinstance(item, ast.Assign) or len(item.targets) != 1:
            continue
        target, value = item.targets[0], item.value
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.slice, ast.Constant)
            and isinstance(target.slice.value, str)
            and isinstance(value, ast.Attribute)
            and value.attr == attribute
            and isinstance(value.value, ast.Name)
            and value.value.id == "self"
        ):
            keys.append(target.slice.value)
            if isinstance(target.value, ast.Name) and _read_back(function, target.value.id):
                return None
    return keys


def _read_back(function: ast.FunctionDef, context: str) -> bool:
    """The context is used otherwise than set (`context[key] = ...`, `context.update(...)`) and
    returned: something may read the row in it."""
    parents = {
        id(child): node for node in ast.walk(function) for child in ast.iter_child_nodes(node)
    }
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == context) or isinstance(
            node.ctx, ast.Store
        ):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.Return):
            continue
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Store):
            continue
        if isinstance(parent, ast.Attribute) and parent.attr == "update":
            continue
        return True
    return False


def _template_checks(
    analysis: DjangoAnalysis,
    chain: list[str],
    classes: dict[str, ast.ClassDef],
    patterns: list[UrlPattern],
    reads: Reads,
    plan: TwinPlan,
) -> None:
    assert analysis.root is not None
    root = Path(analysis.root)
    formatted = _formats_template_name(chain, classes)
    if formatted is None:
        plan.reasons.append(f"{chain[0]}: a mixin's get_template_names() is not read")
        return
    facts = read_models(analysis.models_sources, read_relations(analysis.models_sources))
    if plan.rows_generic is not None:
        _listed(analysis, chain, classes, reads, plan)
    for pattern in patterns:
        template = _template_name(pattern, chain, classes) or _default_template(analysis, plan)
        if template is None:
            plan.reasons.append(f"{chain[0]}: its template_name is not a string literal")
            return
        names = _matching(root, template) if formatted else [template]
        if not names:
            plan.reasons.append(f"no template of SRC matches {template!r}")
        for found in names:
            plan.reasons += template_problems(root, found, reads, facts)
            for text in template_texts(root, found):
                if VIEW_READ.search(text):
                    plan.reasons.append(
                        f"template {found} reads the view (its {plan.attribute} is a row)"
                    )
    plan.reasons = list(dict.fromkeys(plan.reasons))


def _listed(
    analysis: DjangoAnalysis,
    chain: list[str],
    classes: dict[str, ast.ClassDef],
    reads: Reads,
    plan: TwinPlan,
) -> None:
    """The names a list view's template gets its objects (rows of `plan.rows_model`) by."""
    assert plan.rows_model is not None
    named = None
    for owner in chain:
        for statement in classes[owner].body:
            if _assigned(statement) == "context_object_name" and named is None:
                assert isinstance(statement, ast.Assign)
                named = _literal(statement.value) or "?"
    default = "latest" if plan.rows_generic == "ArchiveIndexView" else None
    for name in {named or default or f"{plan.rows_model.lower()}_list", "object_list", "page_obj"}:
        reads.lists[name] = plan.rows_model


def _default_template(analysis: DjangoAnalysis, plan: TwinPlan) -> str | None:
    """Django's template name of a list view without one: `<app_label>/<model><suffix>.html`."""
    if plan.rows_generic is None or plan.rows_model is None or plan.owner is None:
        return None
    parts = plan.owner.split(".")
    folder = parts[-2] if len(parts) > 1 else Path(analysis.root or ".").name
    label = analysis.app_labels.get(folder, folder)
    return f"{label}/{plan.rows_model.lower()}{ROW_GENERICS[plan.rows_generic]}.html"


def _formats_template_name(chain: list[str], classes: dict[str, ast.ClassDef]) -> bool | None:
    """True: a mixin's `get_template_names` returns `[self.template_name % {...}]`; False:
    none defines it (TemplateView's); None: one is written otherwise."""
    owner = _first_definer(chain, classes, TEMPLATE_NAMES)
    if owner is None:
        return False
    function = _methods(classes[owner])[TEMPLATE_NAMES]
    returns = [r for r in ast.walk(function) if isinstance(r, ast.Return)]
    for returned in returns:
        value = returned.value
        if not (
            isinstance(value, ast.List)
            and len(value.elts) == 1
            and isinstance(value.elts[0], ast.BinOp)
            and isinstance(value.elts[0].op, ast.Mod)
            and ast.unparse(value.elts[0].left) == "self.template_name"
            and isinstance(value.elts[0].right, ast.Dict)
        ):
            return None
    return True if returns else None


def _template_name(
    pattern: UrlPattern, chain: list[str], classes: dict[str, ast.ClassDef]
) -> str | None:
    """The route's `as_view(template_name=...)`, else the first class attribute's (a literal)."""
    try:
        call = ast.parse(pattern.view_code, mode="eval").body
    except SyntaxError:
        return None
    if isinstance(call, ast.Call):
        for keyword in call.keywords:
            if keyword.arg == "template_name":
                return _literal(keyword.value)
    for owner in chain:
        for statement in classes[owner].body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and statement.targets[0].id == "template_name"
            ):
                return _literal(statement.value)
    return None


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _matching(root: Path, template: str) -> list[str]:
    """The templates of SRC a name with `%(key)s` placeholders may be (each any text)."""
    pattern = PLACEHOLDER.sub("*", template.replace("[", "[[]"))
    found: set[str] = set()
    for folder in sorted(root.rglob("templates")):
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            relative = path.relative_to(folder).as_posix()
            if path.is_file() and fnmatch.fnmatchcase(relative, pattern):
                found.add(relative)
    return sorted(found)
