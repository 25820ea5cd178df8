"""A plain class-based view (`View`, `TemplateView`, `RedirectView`) whose methods query: each
method's querysets translated as a function view's are (view_queries.function_queries), on the
route's session (`SessionView` first in its bases gives `self.session`), or the reasons it keeps
Django's ORM. Decided from the view module's source, so the URLs rule (its route's status) and
the class-queries rule (the rewrite) agree.

    class History(PermissionRequiredMixin, View):
        def post(self, request):
            logs = PromptLog.objects.filter(run_by_user=request.user).order_by("-run_at")[:5]
->  class History(SessionView, PermissionRequiredMixin, View):
        def post(self, request):
            session = self.session
            logs = session.scalars(ordered(select(tables.PromptLog).where(...)...)).all()

What converts: a class whose bases are those generic views, the access mixins and mixins of SRC
that neither query nor see objects (row_mixins.py), that no class of SRC is built on, whose class
attributes reach no ORM, and whose methods' queries all translate (no call of a querying
function of its module). Rows may reach only what the codemod follows: the templates a handler
renders (`render(...)`, read as a function view's: function_templates.py); a handler handing
rows to another method, and a method other than a handler (`get`, `post`, ...) producing rows,
keep the ORM (its callers, Django's generic code among them, expect Django's instances). A static
or class method that queries takes the session as a keyword (`session: Session`), which the
class's methods calling it pass (`Owner.found(x, session=session)`). A class its module names
elsewhere (`def page(request): return View.as_view()(request)`) keeps the ORM: that caller
gives it no session.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath
from codemods.django.analysis import _imports as imports_of
from codemods.django.authtoken import authtoken_accessor
from codemods.django.class_orm import class_orm_uses
from codemods.django.class_views import ACCESS_MIXINS, HANDLERS
from codemods.django.context_rows import context_rows_problems
from codemods.django.drf_session import drf_query_base
from codemods.django.function_templates import (
    TABLE,
    Held,
    _held,
    _listing,
    _Scope,
    _Statements,
    template_reasons,
)
from codemods.django.managers import read_managers
from codemods.django.model_relations import read_relations
from codemods.django.orm_use import model_names, orm_views
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Translation
from codemods.django.renderer_methods import renderer_methods
from codemods.django.row_functions import reads_only_columns
from codemods.django.row_mixins import mixin_problem
from codemods.django.session_tables import unplaced_modules
from codemods.django.template_reads import ModelFacts, _read_problem, read_models
from codemods.django.view_queries import ViewQueries, function_queries, used_modules
from codemods.engine.nodes import dotted_name
from codemods.engine.parsed import code_of, parse_ast_shared
from codemods.engine.runner import source_package
from codemods.engine.walk import in_order

QUERY_GENERICS = frozenset({"View", "TemplateView", "RedirectView"})
RUNTIME = "codemods.runtime.django.view_session"
MIXIN = "SessionView"
STATIC = ("staticmethod", "classmethod")
UNPLACED = "{owner} is not a models module of SRC: no generated twin to query"
NO_PACKAGE = "SRC is not an importable package: its generated models module cannot be imported"
ROW_CALLS = frozenset({"len", "bool", "list"})  # read the rows as Django's querysets read


@dataclass
class HandlerQueries:
    """The translations of each method of the class (by name), or why it keeps the ORM."""

    reasons: list[str] = field(default_factory=list)
    methods: dict[str, ViewQueries] = field(default_factory=dict)
    owner: str | None = None  # the models module its translations use (dotted)
    # its querying static and class methods: they take `session=`, given by their callers
    statics: set[str] = field(default_factory=set)


def _cache(analysis: DjangoAnalysis) -> dict[Any, Any]:
    found: dict[Any, Any] = vars(analysis).setdefault("_class_queries", {})
    return found


def handler_queries(
    analysis: DjangoAnalysis, module: ModulePath, name: str, tree: cst.Module | None = None
) -> HandlerQueries:
    """The plan of class `name` of `module` (its libcst tree, else read from SRC: that plan is
    kept for the run)."""
    if tree is not None:
        return _plan(analysis, module, name, tree)
    cache = _cache(analysis)
    if (module, name) not in cache:
        cache[(module, name)] = _placed(analysis, name, _plan(analysis, module, name, None))
    found: HandlerQueries = cache[(module, name)]
    return found


def _placed(analysis: DjangoAnalysis, name: str, plan: HandlerQueries) -> HandlerQueries:
    """The plan read from SRC, with why its models module has no generated twin (one outside
    SRC): decided with the route, as the imports are written in SRC."""
    if plan.owner is not None and analysis.root is not None:
        root = Path(analysis.root)
        package = source_package(root)
        if package is None:  # the output cannot import the generated models module
            plan.reasons.append(f"{name}: {NO_PACKAGE}")
        for owner in unplaced_modules(root, package, {plan.owner}):
            plan.reasons.append(f"{name}: {UNPLACED.format(owner=owner)}")
    return plan


def _base_problem(analysis: DjangoAnalysis, module: ModulePath, name: str) -> str | None:
    info = analysis.classes.get((module, name))
    if info is None:
        return f"{name} is not a module-level class the codemod reads"
    for base in info.bases:
        last = base.name.rsplit(".", 1)[-1]
        if base.module is not None:
            problem = mixin_problem(analysis, base.module, base.name)
            if problem is not None:
                return problem
        elif drf_query_base(base.name):
            continue
        elif last not in QUERY_GENERICS and last not in ACCESS_MIXINS:
            return (
                f"base {base.name} is not View, TemplateView, RedirectView, an access mixin, or "
                "DRF's APIView or GenericAPIView"
            )
    subclasses = sorted(
        sub
        for (_, sub), other in analysis.classes.items()
        if any(base.module == module and base.name == name for base in other.bases)
    )
    if subclasses:  # they would run its methods on SQLAlchemy rows, written for Django's
        return f"{name} is the base of {', '.join(subclasses)} (classes of SRC)"
    return None


def _used_in_module(tree: ast.Module, name: str) -> str | None:
    """The first statement of the module other than the class's definition naming the class
    (a function calling `Name.as_view()(request)` runs it on Django's request, with no route's
    session), by its name or "module-level code"."""
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == name:
            continue
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(statement)):
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                return statement.name
            return "module-level code"
    return None


def _plan(
    analysis: DjangoAnalysis, module: ModulePath, name: str, tree: cst.Module | None
) -> HandlerQueries:
    plan = HandlerQueries()
    problem = _base_problem(analysis, module, name)
    if problem is not None or analysis.root is None:
        plan.reasons.append(problem or f"{name}: its project is not read")
        return plan
    source = None
    if tree is None:
        try:
            source = Path(analysis.root, *module).read_text(encoding="utf-8")
            tree = analysis.parsed.parse(source)
        except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
            plan.reasons.append(f"{name}: its module does not parse")
            return plan
    node = next(
        (s for s in tree.body if isinstance(s, cst.ClassDef) and s.name.value == name), None
    )
    if node is None or not isinstance(node.body, cst.IndentedBlock):
        plan.reasons.append(f"{name} is not a module-level class the codemod reads")
        return plan
    module_ast = parse_ast_shared(code_of(tree) if source is None else source)
    user = _used_in_module(module_ast, name)
    if user is not None:
        plan.reasons.append(f"{name} is also used by {user}, which would not give it a session")
        return plan
    imports = imports_of(module, module_ast)
    models = model_names(imports)
    querying = orm_views(module_ast, imports)
    relations = read_relations(analysis.models_sources)
    managers = read_managers(analysis.models_sources)
    methods = read_queryset_methods([*analysis.models_sources, *analysis.managers_sources])
    classes = {local: imports[local].rpartition(".")[2] for local in models}
    facts = read_models(analysis.models_sources, relations)
    tokens = authtoken_accessor(analysis.models_sources)
    owners = {local: imports[local].rpartition(".")[0] for local in models}
    attributes = _attributes_orm(node, models, querying)
    if attributes:
        plan.reasons.append(f"{name}: its class attributes reach Django's ORM: {attributes}")
    used: set[str] = set()
    root = analysis.root
    renderers = renderer_methods(analysis, module, name)

    def followed(function: str, position: int, model: str) -> bool:
        return reads_only_columns(analysis, module, function, position, facts.get(model))

    for statement in node.body.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        method = statement.name.value
        found = function_queries(statement, models, relations, managers, methods, tokens=tokens)
        why = [*found.reasons, *_calls_querying(statement, querying)]
        in_context = None
        if found.translations and not why:
            info = analysis.classes.get((module, name))
            in_context = context_rows_problems(
                node, info, statement, found.translations, classes, facts, Path(root)
            )
        if in_context is not None:
            why += in_context
        elif found.translations and not why:
            why += _rows_problems(
                statement,
                found.translations,
                method,
                classes,
                facts,
                frozenset(renderers),
                followed,
            )
            why += template_reasons(
                statement, found.translations, {}, root, classes, facts, renderers
            )
            if any(_decorator(d) in STATIC for d in statement.decorators):
                plan.statics.add(method)
        plan.reasons += [f"{name}.{method}: {reason}" for reason in dict.fromkeys(why)]
        if found.translations:
            plan.methods[method] = found
            used |= used_modules(found, owners)
    if plan.statics:
        plan.reasons += _static_callers(node, plan)
    if len(used) > 1:
        plan.reasons.append(f"{name}: its queries' models come from more than one models module")
    plan.owner = used.pop() if len(used) == 1 else None
    return plan


def static_call(call: cst.Call, owner: str, statics: set[str]) -> bool:
    """A call of one of the class's querying static methods: `Owner.m()`, `self.m()`, `cls.m()`."""
    func = call.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value in statics
        and isinstance(func.value, cst.Name)
        and func.value.value in (owner, "self", "cls")
    )


def _static_callers(node: cst.ClassDef, plan: HandlerQueries) -> list[str]:
    """The methods calling its querying static methods join the plan (they pass the session);
    why one cannot: a static method calling one (the module names the class nowhere else:
    `_used_in_module`)."""
    owner, statics = node.name.value, plan.statics
    reasons: list[str] = []

    class Calls(cst.CSTVisitor):
        found = False

        def visit_Call(self, call: cst.Call) -> None:
            if static_call(call, owner, statics):
                self.found = True

    assert isinstance(node.body, cst.IndentedBlock)
    for member in node.body.body:
        if not isinstance(member, cst.FunctionDef):
            continue
        calls = Calls()
        in_order(member, calls)
        if not calls.found:
            continue
        method = member.name.value
        if any(_decorator(d) in STATIC for d in member.decorators):
            reasons.append(f"{owner}.{method}: a static method calls a querying static method")
        plan.methods.setdefault(method, ViewQueries())
    return reasons


def _decorator(decorator: cst.Decorator) -> str:
    return dotted_name(decorator.decorator) or ""


def _attributes_orm(node: cst.ClassDef, models: frozenset[str], querying: set[str]) -> str:
    """What the class's statements other than its methods reach the ORM by ("": nothing)."""
    code = cst.Module(body=[node]).code
    parsed = ast.parse(code).body[0]
    assert isinstance(parsed, ast.ClassDef)
    parsed.body = [
        s for s in parsed.body if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)
    ] or [ast.Pass()]
    return ", ".join(class_orm_uses(parsed, models, querying))


def _calls_querying(function: cst.FunctionDef, querying: set[str]) -> list[str]:
    called: list[str] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value in querying:
                called.append(node.func.value)

    in_order(function, Calls())
    return [f"calls {f}(), which queries Django's ORM" for f in dict.fromkeys(called)]


def _rows_problems(
    function: cst.FunctionDef,
    translations: dict[cst.CSTNode, Translation],
    method: str,
    classes: dict[str, str],
    facts: dict[str, ModelFacts],
    renderers: frozenset[str] = frozenset(),
    followed: Followed | None = None,
) -> list[str]:
    """Rows going where the codemod does not follow them: out of a method other than a
    handler, into another method of the view (`self.refresh(conn)`; not one of its
    `renderers`, read as `render(...)`: renderer_methods.py) or a function
    (`clear_schema_cache(conn)`), or read otherwise than the rows have it (a column, a kept
    method without a query: template_reads.py)."""
    chains: dict[int, Held] = {}
    for chain, translation in translations.items():
        listing = _listing(chain)
        found = TABLE.search(translation.code)
        if listing is not None and found is not None:
            local = found.group(1)
            chains[id(chain)] = Held(classes.get(local, local), listing)
    if not chains:
        return []
    if method not in HANDLERS:
        return ["it makes rows, which its callers (Django's generic code too) read as Django's"]
    scope = _Scope()
    statements = _Statements(scope, chains)
    in_order(function.body, statements)
    reads = _RowReads(chains, facts)
    in_order(function.body, reads)
    problems = reads.problems
    for call in statements.calls:
        name = dotted_name(call.func) or ""
        if name in renderers:
            continue
        if not (name.startswith("self.") or name.startswith("super().")):
            given = [a.value for a in call.args if _is_rows(a.value, reads.ever, chains)]
            if given and followed is not None and _all_followed(call, name, reads, followed):
                continue
            if given and name not in ROW_CALLS:
                problems.append(
                    f"{name or 'a call'}() is given rows, which the codemod does not follow"
                )
            continue
        if any(_held(argument.value, scope, chains) is not None for argument in call.args):
            problems.append(f"{name}() is given rows, which the codemod does not follow")
            continue
        for argument in call.args:  # a dict of rows: `{"favorites": favorites}`
            if isinstance(argument.value, cst.Dict) and any(
                isinstance(e, cst.DictElement) and _held(e.value, scope, chains) is not None
                for e in argument.value.elements
            ):
                problems.append(f"{name}() is given rows, which the codemod does not follow")
    return list(dict.fromkeys(problems))


Followed = Callable[[str, int, str], bool]  # (function, position, model): it reads columns only


def _all_followed(call: cst.Call, name: str, reads: _RowReads, followed: Followed) -> bool:
    """Every row the call is given is one row, a positional argument of a function that reads
    only its columns (row_functions.py)."""
    for position, argument in enumerate(call.args):
        held = _rows_of(argument.value, reads.ever, reads.chains)
        if held is None:
            continue
        if held.listing or argument.keyword is not None or argument.star:
            return False
        if not followed(name, position, held.model):
            return False
    return True


def _is_rows(node: cst.BaseExpression, rows: dict[str, Held], chains: dict[int, Held]) -> bool:
    """The rows themselves (a chain, a name holding them, an item of them), not a value read
    from them."""
    return _rows_of(node, rows, chains) is not None


def _rows_of(
    node: cst.BaseExpression, rows: dict[str, Held], chains: dict[int, Held]
) -> Held | None:
    if id(node) in chains:
        return chains[id(node)]
    if isinstance(node, cst.Name):
        return rows.get(node.value)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        owner = _rows_of(node.value, rows, chains)
        if owner is not None and owner.listing and isinstance(node.slice[0].slice, cst.Index):
            return Held(owner.model, False)
        return owner
    return None


class _RowReads(cst.CSTVisitor):
    """The names holding the rows themselves (assigned a chain, a name holding rows or an item
    of them; loop and comprehension targets over them), in the order written, and their
    `row.<name>` reads that the generated rows do not answer as Django's instances."""

    def __init__(self, chains: dict[int, Held], facts: dict[str, ModelFacts]) -> None:
        self.chains = chains
        self.facts = facts
        self.rows: dict[str, Held] = {}
        self.ever: dict[str, Held] = {}  # every name that held rows at some point
        self.problems: list[str] = []

    def _hold(self, name: str, held: Held) -> None:
        self.rows[name] = held
        self.ever.setdefault(name, held)

    def visit_Assign(self, node: cst.Assign) -> None:
        held = _rows_of(node.value, self.rows, self.chains)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if held is not None:
                    self._hold(target.target.value, held)
                else:
                    self.rows.pop(target.target.value, None)

    def _iterated(self, target: cst.BaseExpression, iterated: cst.BaseExpression) -> None:
        held = _rows_of(iterated, self.rows, self.chains)
        if held is not None and held.listing and isinstance(target, cst.Name):
            self._hold(target.value, Held(held.model, False))

    def visit_For(self, node: cst.For) -> None:
        self._iterated(node.target, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._iterated(node.target, node.iter)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        value = node.value
        if not isinstance(value, cst.Name) or value.value not in self.rows:
            return
        held = self.rows[value.value]
        if held.listing:
            return  # a list's own methods (`rows.append`) or an ORM method the queries check
        problem = _read_problem(held.model, value.value, [node.attr.value], self.facts)
        if problem is not None:
            self.problems.append(f"reads {problem}")
