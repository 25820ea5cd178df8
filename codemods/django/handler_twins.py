"""A served `View` whose handler is a mixin's of SRC and queries through the mixin's helper
methods, their lookups built from the view's class attributes (django-postman's update views:
`UpdateMessageMixin.post` calls `self._action(user, filter)`, `UpdateDualMixin._action` filters
on `**{'recipient_{0}{1}'.format(self.field_bit, criteria_key): criteria_val}`, `ArchiveView`
sets `field_bit = 'archived'`). Several views share the mixins, each with its own attributes, so
the route serves a twin of the view with its own copy of the handler, specialized to the view:

    class ArchiveViewOnSession(SessionView, ArchiveView):
        def post(self, request, *args, **kwargs):
            session = self.session
            ...
            if pks or tpks:
                user = cast('AbstractBaseUser', request.user)
                recipient_rows = update_rows(session, select(tables.Message).where(...),
                                             **{'recipient_archived': True})
                ...

The copy is the handler with each `self.<helper>(...)` statement replaced by the helper's body
(its parameters assigned the call's arguments), `self.<attribute>` by the view's class attribute
where it is a literal, and what those decide folded where it is written (`isinstance(c, bool)`,
`not c`, `bool(c)`, `x if c else y`, `'...'.format(c, ...)`, a name or a tuple of names
assigned one literal value). An attribute that is `django.utils.timezone.now()` stays
`self.<attribute>` (the class's value, as the view reads it) and is known a date-time: not a
bool, true. A local assigned one `Q(...)` expression and only handed to calls is put in where
it is read. The copy's queries must then translate as a function view's (view_queries.py).

What converts (else the reasons): the view's bases are classes of its own module and Django's
`View`/`TemplateView`/`RedirectView`; the view is served as `View.as_view()` (no class
attributes given by the URLconf); only handlers and the helpers they call query, each helper
called by that handler alone, as a statement, with no `return`, `yield` or `super()`; no method
sets the attributes read; the inlined names do not clash with the handler's.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import libcst as cst

from codemods.django.analysis import DjangoAnalysis, ModulePath, module_tree
from codemods.django.analysis import _imports as imports_of
from codemods.django.class_queries import NO_PACKAGE, UNPLACED, _used_in_module
from codemods.django.class_views import HANDLERS
from codemods.django.inherited_queryset import _calls_super, _is_docstring, _mro, _orm_names
from codemods.django.orm_use import model_names
from codemods.django.session_tables import unplaced_modules
from codemods.django.session_twins import translated
from codemods.engine.runner import source_package

TWIN_SUFFIX = "OnSession"
PLAIN_VIEWS = frozenset({"View", "TemplateView", "RedirectView", "object"})
NOW = "django.utils.timezone.now"
# what the copy may run: writes and counts, no rows handed on (update_rows, delete_rows, a scalar)
WRITES = re.compile(r"(update_rows|delete_rows)\(|session\.scalar\(")


@dataclass
class HandlerTwinPlan:
    """The twin of a served view: its specialized handlers' code, or why it keeps the ORM."""

    reasons: list[str] = field(default_factory=list)
    twin: str = ""
    handlers: dict[str, str] = field(default_factory=dict)  # handler -> its specialized code
    model: str | None = None  # a model its queries read (the tables import follows it)
    shape: bool = False  # a handler of its classes queries (the shape this converts)


def handler_twin_plan(analysis: DjangoAnalysis, module: ModulePath, name: str) -> HandlerTwinPlan:
    """The plan of the served class `name` of `module`, read from SRC (kept for the run)."""
    cache: dict[Any, HandlerTwinPlan] = vars(analysis).setdefault("_handler_twins", {})
    if (module, name) not in cache:
        cache[(module, name)] = _plan(analysis, module, name)
    return cache[(module, name)]


class _Unfoldable(Exception):
    """Why the handler cannot be specialized."""


@dataclass
class _Class:
    node: ast.ClassDef
    methods: dict[str, ast.FunctionDef]


def _plan(analysis: DjangoAnalysis, module: ModulePath, name: str) -> HandlerTwinPlan:
    plan = HandlerTwinPlan(twin=name + TWIN_SUFFIX)
    tree = module_tree(analysis, module)
    if tree is None:
        plan.reasons.append(f"{name}: its module is not read")
        return plan
    classes = {
        n.name: _Class(n, {s.name: s for s in n.body if isinstance(s, ast.FunctionDef)})
        for n in tree.body
        if isinstance(n, ast.ClassDef)
    }
    if plan.twin in classes:
        plan.reasons.append(f"{name}: its module has a class {plan.twin} already")
        return plan
    chain: list[str] = []
    for owner, base in _mro(analysis, (module, name)):
        if owner is None:
            if base.rsplit(".", 1)[-1] not in PLAIN_VIEWS:
                plan.reasons.append(
                    f"{name}: base {base} is not View, TemplateView or RedirectView"
                )
        elif owner != module or base not in classes:
            plan.reasons.append(f"{name}: base {base} is not a class of its module")
        else:
            chain.append(base)
    if plan.reasons:
        return plan
    imports = imports_of(module, tree)
    models = model_names(imports)
    plan.shape = any(_reaches_orm(chain, classes, models, h) for h in HANDLERS)
    for pattern in analysis.patterns_of_class(module, name):
        if not pattern.view_code.endswith(".as_view()"):
            plan.reasons.append(f"{name}: its URLconf gives it attributes ({pattern.view_code})")
    if plan.reasons:
        return plan
    try:
        plan.handlers = _specialized(chain, classes, models, imports)
    except _Unfoldable as why:
        plan.reasons.append(f"{name}: {why}")
        return plan
    if not plan.handlers:
        plan.reasons.append(f"{name}: no handler of its mixins queries")
        return plan
    for handler, code in plan.handlers.items():
        function = cst.parse_statement(code)
        assert isinstance(function, cst.FunctionDef)
        queries = translated(analysis, function, models)
        plan.reasons += [f"{name}.{handler} (specialized): {r}" for r in queries.reasons]
        if not queries.reasons and not queries.translations:
            plan.reasons.append(f"{name}.{handler} (specialized): no query translates")
        for translation in queries.translations.values():
            if not WRITES.match(translation.code):
                first = translation.code.split("(", 1)[0]
                plan.reasons.append(
                    f"{name}.{handler} (specialized): it reads rows ({first}(...)), which a "
                    "twin of specialized handlers does not follow (only writes and counts)"
                )
                break
        used = {m for m in models if re.search(rf"\b{m}\b", code)}
        plan.model = plan.model or min(used, default=None)
    user = _used_in_module(tree, name)
    if user is not None:
        plan.reasons.append(f"{name} is also used by {user}, which would not give it a session")
    plan.reasons += _placement(analysis, name, imports, plan.model)
    return plan


def _placement(
    analysis: DjangoAnalysis, name: str, imports: dict[str, str], model: str | None
) -> list[str]:
    """Why the generated twin of the queries' models module cannot be imported."""
    if model is None or analysis.root is None:
        return []
    root = Path(analysis.root)
    package = source_package(root)
    if package is None:
        return [f"{name}: {NO_PACKAGE}"]
    owner = imports.get(model, "").rpartition(".")[0]
    return [f"{name}: {UNPLACED.format(owner=o)}" for o in unplaced_modules(root, package, {owner})]


def _reaches_orm(
    chain: list[str], classes: dict[str, _Class], models: frozenset[str], handler: str
) -> bool:
    """The view's handler reaches the ORM, itself or through the methods it calls on self."""
    owner = _first(chain, classes, handler)
    if owner is None:
        return False
    node = classes[owner].methods[handler]
    helpers = [
        classes[o].methods[m]
        for m in sorted(_self_called(node))
        if (o := _first(chain, classes, m)) is not None
    ]
    return any(_orm_names(n, models) for n in [node, *helpers])


def _first(chain: list[str], classes: dict[str, _Class], method: str) -> str | None:
    return next((owner for owner in chain if method in classes[owner].methods), None)


def _specialized(
    chain: list[str], classes: dict[str, _Class], models: frozenset[str], imports: dict[str, str]
) -> dict[str, str]:
    """Handler -> its specialized code, for each handler of the view that queries; raises why
    one cannot be."""
    attributes = _attributes(chain, classes, imports)
    querying = {
        (owner, method)
        for owner in chain
        for method, node in classes[owner].methods.items()
        if _orm_names(node, models) and _runs(chain, classes, owner, method)
    }
    if not querying:
        return {}
    covered: set[tuple[str, str]] = set()
    found: dict[str, str] = {}
    for handler in sorted(HANDLERS):
        owner = _first(chain, classes, handler)
        if owner is None:
            continue
        function = copy.deepcopy(classes[owner].methods[handler])
        inlined = _inline(function, chain, classes)
        if not _orm_names(function, models):
            continue
        if function.decorator_list:
            raise _Unfoldable(f"{owner}.{handler} is decorated")
        if _calls_super(function):
            raise _Unfoldable(f"{owner}.{handler} calls super()")
        covered |= {(owner, handler), *inlined}
        _substitute(function, attributes)
        _fold(function, attributes)
        _put_q_in(function)
        found[handler] = ast.unparse(ast.fix_missing_locations(function))
    left = sorted(f"{o}.{m}" for o, m in querying - covered)
    if left:
        raise _Unfoldable(f"{', '.join(left)} queries outside a handler it specializes")
    for owner, method in covered:
        others = [
            f"{o}.{m}"
            for o in chain
            for m, node in classes[o].methods.items()
            if (o, m) not in covered and method in _self_called(node)
        ]
        if others:
            raise _Unfoldable(f"{owner}.{method} is also called by {', '.join(others)}")
    return found


def _runs(chain: list[str], classes: dict[str, _Class], owner: str, method: str) -> bool:
    """The view's lookup finds the method, or a method of its name before it calls super()."""
    definers = [o for o in chain if method in classes[o].methods]
    before = definers[: definers.index(owner)]
    return all(_calls_super(classes[o].methods[method]) for o in before)


def _self_called(node: ast.AST) -> set[str]:
    return {
        item.attr
        for item in ast.walk(node)
        if isinstance(item, ast.Attribute)
        and isinstance(item.value, ast.Name)
        and item.value.id == "self"
    }


@dataclass
class _Opaque:
    """A class attribute whose value is known only by its kind (a date-time)."""

    kind: str


Attribute = ast.Constant | _Opaque


def _attributes(
    chain: list[str], classes: dict[str, _Class], imports: dict[str, str]
) -> dict[str, Attribute]:
    """The class attributes the view reads, as its attribute lookup finds them, that are
    literals or a date-time; an attribute some method sets is left out."""
    found: dict[str, Attribute | None] = {}
    for owner in chain:
        for statement in classes[owner].node.body:
            target, value = _assigned(statement)
            if target is None:  # a method, or names bound otherwise: not a literal
                for name in _bound(statement):
                    found.setdefault(name, None)
                continue
            if target in found:
                continue
            if value is None:  # an annotation alone: a later class gives the value
                continue
            if isinstance(value, ast.Constant):
                found[target] = value
            elif _is_now(value, imports):
                found[target] = _Opaque("datetime")
            else:
                found[target] = None
    for owner in chain:
        for node in ast.walk(classes[owner].node):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "self"
            ):
                found[node.attr] = None
    return {k: v for k, v in found.items() if v is not None}


def _bound(statement: ast.stmt) -> set[str]:
    """The names a class-body statement binds."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    return {
        node.id
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _assigned(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            return target.id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None, None


def _is_now(node: ast.expr, imports: dict[str, str]) -> bool:
    if not isinstance(node, ast.Call) or node.args or node.keywords:
        return False
    name = ast.unparse(node.func)
    head, _, rest = name.partition(".")
    full = imports.get(head, head) + ("." + rest if rest else "")
    return full == NOW


def _inline(
    function: ast.FunctionDef, chain: list[str], classes: dict[str, _Class]
) -> set[tuple[str, str]]:
    """Replace each `self.<helper>(args)` statement by the helper's body; the helpers inlined."""
    inlined: set[tuple[str, str]] = set()
    used = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}

    def body_of(statements: list[ast.stmt]) -> list[ast.stmt]:
        result: list[ast.stmt] = []
        for statement in statements:
            helper = _helper_call(statement)
            owner = _first(chain, classes, helper[0]) if helper else None
            if helper is None or owner is None or helper[0] in HANDLERS:
                for name in ("body", "orelse", "finalbody"):
                    inner = getattr(statement, name, None)
                    if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                        setattr(statement, name, body_of(inner))
                result.append(statement)
                continue
            method, call = helper
            result += _helper_body(owner, classes[owner].methods[method], call, used)
            inlined.add((owner, method))
        return result

    function.body = body_of(function.body)
    return inlined


def _helper_call(statement: ast.stmt) -> tuple[str, ast.Call] | None:
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return None
    call = statement.value
    func = call.func
    if (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
    ):
        return func.attr, call
    return None


def _helper_body(
    owner: str, helper: ast.FunctionDef, call: ast.Call, used: set[str]
) -> list[ast.stmt]:
    where = f"{owner}.{helper.name}"
    arguments = helper.args
    if helper.decorator_list or arguments.vararg or arguments.kwarg or arguments.kwonlyargs:
        raise _Unfoldable(f"{where} is decorated or takes more than positional parameters")
    if arguments.defaults or arguments.posonlyargs or call.keywords:
        raise _Unfoldable(f"{where} has defaults or is called with keywords")
    parameters = [a.arg for a in arguments.args[1:]]
    if len(parameters) != len(call.args) or any(isinstance(a, ast.Starred) for a in call.args):
        raise _Unfoldable(f"{where} is not called with one argument per parameter")
    for node in ast.walk(helper):
        inner = ast.Return | ast.Yield | ast.YieldFrom | ast.Lambda | ast.FunctionDef
        if isinstance(node, inner) and node is not helper:
            raise _Unfoldable(f"{where} returns, yields or defines a function")
    if _calls_super(helper):
        raise _Unfoldable(f"{where} calls super()")
    body = [s for s in copy.deepcopy(helper.body) if not _is_docstring(s)]
    own = {
        n.id
        for s in body
        for n in ast.walk(s)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    } | set(parameters)
    given = {
        p
        for p, a in zip(parameters, call.args, strict=True)
        if isinstance(a, ast.Name) and a.id == p
    }
    clash = sorted((own - given) & used)
    if clash:
        raise _Unfoldable(f"{where}'s names {', '.join(clash)} are the caller's too")
    bound: list[ast.stmt] = [
        ast.Assign(targets=[ast.Name(p, ast.Store())], value=a)
        for p, a in zip(parameters, call.args, strict=True)
        if p not in given
    ]
    return [*bound, *body] or [ast.Pass()]


class _Substitute(ast.NodeTransformer):
    def __init__(self, attributes: dict[str, Attribute]) -> None:
        self.attributes = attributes

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        value = self.attributes.get(node.attr)
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and isinstance(node.ctx, ast.Load)
            and isinstance(value, ast.Constant)
        ):
            return ast.copy_location(ast.Constant(value.value), node)
        return self.generic_visit(node)


def _substitute(function: ast.FunctionDef, attributes: dict[str, Attribute]) -> None:
    _Substitute(attributes).visit(function)


NOT_GIVEN = object()


def _value(node: ast.expr, attributes: dict[str, Attribute]) -> Any:
    """The node's constant value, a tuple of them, an `_Opaque`, or NOT_GIVEN."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple):
        items = [_value(e, attributes) for e in node.elts]
        return (
            NOT_GIVEN
            if any(i is NOT_GIVEN or isinstance(i, _Opaque) for i in items)
            else tuple(items)
        )
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and isinstance(attributes.get(node.attr), _Opaque)
    ):
        return attributes[node.attr]
    return NOT_GIVEN


def _truth(value: Any) -> Any:
    if isinstance(value, _Opaque):
        return True  # a date-time is true
    return bool(value)


class _Fold(ast.NodeTransformer):
    """One folding pass: what the known values decide, and the names assigned them put in."""

    def __init__(self, attributes: dict[str, Attribute], known: dict[str, Any]) -> None:
        self.attributes = attributes
        self.known = known
        self.changed = False

    def _constant(self, value: Any, node: ast.AST) -> ast.AST:
        self.changed = True
        made = ast.parse(repr(value), mode="eval").body
        return ast.copy_location(made, node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if isinstance(node.ctx, ast.Load) and node.id in self.known:
            return self._constant(self.known[node.id], node)
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        func = node.func
        if node.keywords:
            return node
        if isinstance(func, ast.Name) and func.id == "isinstance" and len(node.args) == 2:
            kind, subject = node.args[1], _value(node.args[0], self.attributes)
            if isinstance(kind, ast.Name) and kind.id == "bool" and subject is not NOT_GIVEN:
                is_bool = False if isinstance(subject, _Opaque) else isinstance(subject, bool)
                return self._constant(is_bool, node)
            return node
        values = [_value(a, self.attributes) for a in node.args]
        if any(v is NOT_GIVEN for v in values):
            return node
        if isinstance(func, ast.Name) and func.id == "bool" and len(values) == 1:
            return self._constant(_truth(values[0]), node)
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "format"
            and isinstance(func.value, ast.Constant)
            and isinstance(func.value.value, str)
            and all(isinstance(v, str | bool | int | type(None)) for v in values)
        ):
            return self._constant(func.value.value.format(*values), node)
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
        self.generic_visit(node)
        value = _value(node.operand, self.attributes)
        if isinstance(node.op, ast.Not) and value is not NOT_GIVEN:
            return self._constant(not _truth(value), node)
        return node

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        self.generic_visit(node)
        test = _value(node.test, self.attributes)
        if test is NOT_GIVEN:
            return node
        self.changed = True
        return node.body if _truth(test) else node.orelse


def _fold(function: ast.FunctionDef, attributes: dict[str, Attribute]) -> None:
    for _ in range(20):
        known = _single_constants(function, attributes)
        folding = _Fold(attributes, known)
        folding.visit(function)
        _drop_assignments(function, set(known))
        if not folding.changed:
            return


def _stores(function: ast.FunctionDef) -> dict[str, int]:
    counts: dict[str, int] = {a.arg: 1 for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            counts[node.id] = counts.get(node.id, 0) + 1
    return counts


def _single_constants(
    function: ast.FunctionDef, attributes: dict[str, Attribute]
) -> dict[str, Any]:
    """Names assigned once in the function, by a constant or by unpacking a tuple of them."""
    stores = _stores(function)
    known: dict[str, Any] = {}
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], _value(node.value, attributes)
        if value is NOT_GIVEN or isinstance(value, _Opaque):
            continue
        pairs: list[tuple[ast.expr, Any]] = []
        if isinstance(target, ast.Name):
            pairs = [(target, value)]
        elif (
            isinstance(target, ast.Tuple)
            and isinstance(value, tuple)
            and len(value) == len(target.elts)
        ):
            pairs = list(zip(target.elts, value, strict=True))
        for item, given in pairs:
            if isinstance(item, ast.Name) and stores.get(item.id) == 1:
                known[item.id] = given
    return known


def _drop_assignments(function: ast.FunctionDef, names: set[str]) -> None:
    """Drop the assignments binding only `names` (now put in where they were read)."""

    def binds_only(statement: ast.stmt) -> bool:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            return False
        target = statement.targets[0]
        items = target.elts if isinstance(target, ast.Tuple) else [target]
        return all(isinstance(i, ast.Name) and i.id in names for i in items)

    for node in ast.walk(function):
        for attribute in ("body", "orelse", "finalbody"):
            statements = getattr(node, attribute, None)
            if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
                kept = [s for s in statements if not binds_only(s)]
                setattr(node, attribute, kept or [ast.Pass()])


def _is_q(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr | ast.BitAnd):
        return _is_q(node.left) and _is_q(node.right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        return _is_q(node.operand)
    return isinstance(node, ast.Call) and ast.unparse(node.func) in ("Q", "models.Q")


def _put_q_in(function: ast.FunctionDef) -> None:
    """A local assigned one `Q(...)` expression, read only as a call's positional argument, is
    put in where it is read (the query mapping reads `Q` where it is written)."""
    stores = _stores(function)
    for node in list(ast.walk(function)):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name) or stores.get(target.id) != 1 or not _is_q(node.value):
            continue
        reads = list(_reads(function, target.id))
        if not reads or not all(_positional_argument(function, r) for r in reads):
            continue
        names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        if any(stores.get(n, 0) > 1 for n in names):
            continue  # a name the expression reads changes: it must be read where assigned
        _Put(target.id, node.value).visit(function)
        _drop_assignments(function, {target.id})


class _Put(ast.NodeTransformer):
    """Each read of `name` -> a copy of `value`."""

    def __init__(self, name: str, value: ast.expr) -> None:
        self.name = name
        self.value = value

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == self.name and isinstance(node.ctx, ast.Load):
            return copy.deepcopy(self.value)
        return node


def _reads(function: ast.FunctionDef, name: str) -> Iterator[ast.Name]:
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            yield node


def _positional_argument(function: ast.FunctionDef, name: ast.Name) -> bool:
    return any(
        isinstance(node, ast.Call) and any(a is name for a in node.args)
        for node in ast.walk(function)
    )
