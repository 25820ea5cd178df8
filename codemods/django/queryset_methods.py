"""The methods of the legacy models' custom QuerySets and Managers that only chain querysets,
read with `ast`, so that a call of one is translated as the chain it returns:

    class TopicQuerySet(models.QuerySet):
        def opened(self):
            return self.filter(is_closed=False)

        def for_user(self, user):
            return self.opened().filter(Q(user=user) | Q(is_public=True))

    class Topic(models.Model):
        objects = TopicQuerySet.as_manager()

gives {"Topic": {"opened": ..., "for_user": ...}}: `Topic.objects.for_user(request.user)` is
read as `Topic.objects.filter(is_closed=False).filter(Q(user=request.user) | Q(is_public=True))`
(querysets.py translates that). A method is listed when its body is one `return` of a chain
on `self` (a docstring aside) that names nothing but `self`, its parameters and `Q`/`Count`:
a method using a module name (`Prefetch`, `timezone.now()`, a constant), branching, or
taking `*args`/`**kwargs` is not, and calls of it stay on Django's ORM.

A QuerySet class overriding one of Django's own queryset methods (`filter`, `get`, ...)
changes what every chain of its model means: its model is listed in `overridden`, and its
queries stay on Django's ORM, unless the override only adds related loading
(`return super().filter(*args, **kwargs).select_related("user")`), which leaves the rows as
they are.

Managers: `objects = SomeQuerySet.as_manager()`, `objects = SomeManager()` (a `Manager`
subclass without its own `get_queryset`) and `objects = SomeManager.from_queryset(SomeQuerySet)()`
are read; a Manager's own methods are called on the manager only (`Topic.objects.opened()`),
a QuerySet's on any chain of the model."""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from codemods.django.method_folding import fold, module_constants
from codemods.django.own_save import runs_on_rows
from codemods.engine.ast_names import top_level_classes
from codemods.engine.parsed import parse_ast_shared
from codemods.engine.run_cache import once_a_run
from codemods.engine.source_segment import source_segment

# Django's queryset methods: a custom class defining one of these overrides Django's.
QUERYSET_METHODS = frozenset(
    {
        "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "get",
        "first", "last", "count", "exists", "create", "update", "delete", "annotate",
        "aggregate", "values", "values_list", "distinct", "only", "defer", "get_or_create",
        "update_or_create", "bulk_create", "in_bulk", "none", "union", "reverse", "iterator",
    }
)  # fmt: skip
INSTANCE_METHODS = ("save", "delete")  # a model's methods the runtime's save()/delete() stand for
LOADING = frozenset({"select_related", "prefetch_related"})
# ORM expressions querysets.py translates inside a chain (written `Q(...)` or `models.Q(...)`)
EXPRESSIONS = frozenset({"Q", "Count", "Prefetch"})


@dataclass(frozen=True)
class QuerySetMethod:
    """One method: its parameters after `self` (name -> default as written, None: required) and
    the chain it returns, as written (`self` standing for the queryset it is called on)."""

    params: tuple[tuple[str, str | None], ...]
    returned: str
    on_querysets: bool = True  # a QuerySet's method; a Manager's is called on the manager only
    on_model: bool = False  # a model's classmethod (`cls` standing for the model class)
    # `if <condition>: return <chain>` before the last return, in order: (condition, chain)
    branches: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (module, name) the conditions import
    folded: tuple[str, ...] = ()  # the class's other methods folded into it (method_folding.py)
    # the models its body starts chains from (`CommentBookmark.objects...` in a Prefetch)
    models: tuple[str, ...] = ()
    # it returns one row, `get_object_or_404(self, ...)`: read as
    # `get_object_or_404(self.filter(...))`, the row of a call, never a chain to go on from
    one_row: bool = False


@dataclass
class ModelMethods:
    methods: dict[str, QuerySetMethod] = field(default_factory=dict)
    overridden: list[str] = field(default_factory=list)  # Django's methods its class overrides
    own_rows: bool = False  # its `objects` manager defines get_queryset: not all the rows
    # the model's own `save`/`delete` (Django runs them; a generated row's are the runtime's)
    instance_overrides: list[str] = field(default_factory=list)
    # the model's own methods that query (model_methods.py): name -> (a classmethod, why it
    # has no translated twin: "" when it has one)
    twins: dict[str, tuple[bool, str]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # its other methods: why not read


Methods = dict[str, ModelMethods]  # model class name -> its custom queryset methods


def one_row_methods(methods: Methods) -> frozenset[str]:
    """The names of the custom methods returning one row, of every model defining one so."""
    one_row = {n for found in methods.values() for n, m in found.methods.items() if m.one_row}
    chains = {n for found in methods.values() for n, m in found.methods.items() if not m.one_row}
    return frozenset(one_row - chains)


def _free_names(node: ast.AST) -> set[str]:
    """The names `node` reads, other than `models` in `models.Q`/`models.Count`."""
    names: set[str] = set()
    expression_modules: set[int] = set()
    for inner in ast.walk(node):
        if (
            isinstance(inner, ast.Attribute)
            and inner.attr in EXPRESSIONS
            and isinstance(inner.value, ast.Name)
            and inner.value.id == "models"
        ):
            expression_modules.add(id(inner.value))
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name) and id(inner) not in expression_modules:
            names.add(inner.id)
    return names


def _chains_self(node: ast.expr) -> bool:
    """`node` is a chain of method calls on `self` (`self.filter(...).order_by(...)`)."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return isinstance(node, ast.Name) and node.id == "self"


def _whole_queryset(node: ast.expr) -> ast.Call | None:
    """The call a chain starts from when it stands for the queryset the method is called on
    (`self.all()`, `self.get_queryset()`, `super().get_queryset()`: the class defines no
    `get_queryset` of its own, or it lists no methods)."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner, name = node.func.value, node.func.attr
        plain = not node.args and not node.keywords
        if plain and isinstance(owner, ast.Name) and owner.id == "self":
            return node if name in ("all", "get_queryset") else None
        if plain and name == "get_queryset" and ast.unparse(owner) == "super()":
            return node
        node = owner
    return None


def _method(
    function: ast.FunctionDef, on_querysets: bool, source: str, module: str | None = None
) -> QuerySetMethod | None:
    """`module`: the source of the method's module, when `source` is a rewritten method's."""
    module = source if module is None else module
    body = [s for s in function.body if not _is_docstring(s)]
    if any(isinstance(statement, ast.Assign) for statement in body):
        inlined = _inlined(function)
        if inlined is None:
            return None
        text = ast.unparse(inlined)
        rewritten = ast.parse(text).body[0]
        assert isinstance(rewritten, ast.FunctionDef)
        return _method(rewritten, on_querysets, text, module)
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.posonlyargs or function.decorator_list:
        return None
    positional = [a.arg for a in arguments.args]
    if not positional or positional[0] != "self":
        return None
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(arguments.defaults))
    defaults += list(arguments.defaults)
    names = positional[1:] + [a.arg for a in arguments.kwonlyargs]
    values = defaults[1:] + list(arguments.kw_defaults)
    if any(value is not None and _free_names(value) for value in values):
        return None
    branches = _branches(body)
    if branches is None:
        return None
    imported = module_imports(module)
    one_row = _one_row(branches, imported, source)
    if one_row is not None:
        branches, source = [(None, ast.parse(one_row, mode="eval").body)], one_row
    if "Prefetch" in _free_names(function) and imported.get("Prefetch") != PREFETCH:
        return None  # another `Prefetch` than Django's
    candidates = _model_candidates(module)
    conditions: list[tuple[str, str]] = []
    needed: set[tuple[str, str]] = set()
    used: set[str] = set()
    for test, chain in branches:
        written = _chain_text(chain, names, source, candidates, used)
        if written is None:
            return None
        if test is not None:
            free = _free_names(test) - {*names, "True", "False", "None"}
            if "self" in free or free - set(imported):
                return None  # a condition on the queryset, or on a name not imported
            needed |= {imported[name] for name in free}
            condition = source_segment(source, test) or ast.unparse(test)
            conditions.append((f"({condition})" if "\n" in condition else condition, written))
        else:
            returned = f"get_object_or_404({written})" if one_row is not None else written
    params = tuple(
        (name, ast.unparse(value) if value is not None else None)
        for name, value in zip(names, values, strict=True)
    )
    return QuerySetMethod(
        params,
        returned,
        on_querysets,
        branches=tuple(conditions),
        names=tuple(sorted(needed)),
        models=tuple(sorted(used)),
        one_row=one_row is not None,
    )


PREFETCH = ("django.db.models", "Prefetch")
ONE_ROW = ("django.shortcuts", "get_object_or_404")


def _one_row(
    branches: list[tuple[ast.expr | None, ast.expr]],
    imported: dict[str, tuple[str, str]],
    source: str,
) -> str | None:
    """`self.filter(<lookups>)` of a body that is one `return get_object_or_404(self,
    <lookups>)` (Django's, imported at the module's top; Django's `get()` of those lookups is
    the one row of that filter), else None."""
    if len(branches) != 1:
        return None
    returned = branches[0][1]
    if not (
        isinstance(returned, ast.Call)
        and isinstance(returned.func, ast.Name)
        and imported.get(returned.func.id) == ONE_ROW
        and returned.args
        and isinstance(returned.args[0], ast.Name)
        and returned.args[0].id == "self"
        and not any(isinstance(a, ast.Starred) for a in returned.args)
        and all(k.arg is not None for k in returned.keywords)
    ):
        return None
    lookups = [source_segment(source, a) or ast.unparse(a) for a in returned.args[1:]]
    lookups += [
        f"{k.arg}={source_segment(source, k.value) or ast.unparse(k.value)}"
        for k in returned.keywords
    ]
    return f"self.filter({', '.join(lookups)})"


def _model_candidates(source: str) -> frozenset[str]:
    """The classes a module defines and the names it imports at its top, unrenamed, from a
    module not Django's (`from ..comment.bookmark.models import CommentBookmark`): a body may
    start a chain from one as `Name.objects` (querysets.py checks it is a generated model)."""
    try:
        tree = parse_ast_shared(source)
    except SyntaxError:
        return frozenset()
    imported = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("django")
        for alias in node.names
        if alias.asname is None and alias.name != "*"
    }
    return frozenset(imported | {n.name for n in tree.body if isinstance(n, ast.ClassDef)})


def _inlined(function: ast.FunctionDef) -> ast.FunctionDef | None:
    """The method with its locals put in where they are read: a body of `name = <queryset or
    Prefetch(...)>` statements among its `if ...: return` and `return` ones (a queryset is
    lazy: building it where it is read gives the same query). None when a local holds anything
    else, is assigned twice, or takes a parameter's name."""
    function = copy.deepcopy(function)
    body = [s for s in function.body if not _is_docstring(s)]
    values: dict[str, ast.expr] = {}
    kept: list[ast.stmt] = []
    params = {a.arg for a in [*function.args.args, *function.args.kwonlyargs]}
    for statement in body:
        statement = _Locals(values).visit(statement)
        if not isinstance(statement, ast.Assign):
            kept.append(statement)
            continue
        targets = statement.targets
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            return None
        name = targets[0].id
        if name in values or name in params or not _lazy(statement.value):
            return None
        values[name] = statement.value
    inlined = copy.copy(function)
    inlined.body = kept
    return ast.fix_missing_locations(inlined)


class _Locals(ast.NodeTransformer):
    def __init__(self, values: dict[str, ast.expr]) -> None:
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.expr:
        if isinstance(node.ctx, ast.Load) and node.id in self.values:
            return self.values[node.id]
        return node


def _lazy(value: ast.expr) -> bool:
    """`value` only builds a queryset or a `Prefetch` (nothing runs until it is evaluated): a
    chain on `self` or on `Name.objects`, or `Prefetch(...)` of such values and constants."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Name):
        return True  # a parameter, another local (already put in) or a model name
    if not isinstance(value, ast.Call):
        return False
    if ast.unparse(value.func) in ("Prefetch", "models.Prefetch"):
        return all(_lazy(v) for v in [*value.args, *(k.value for k in value.keywords)])
    node: ast.expr = value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    if isinstance(node, ast.Name) and node.id == "self":
        return True
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
    )


def _branches(body: list[ast.stmt]) -> list[tuple[ast.expr | None, ast.expr]] | None:
    """The (condition, returned chain) of a body that is one `return`, or `if`/`elif` tests each
    returning a chain before a last `return` (or `else:`), in order; the last has no condition.
    None for any other body."""
    found: list[tuple[ast.expr | None, ast.expr]] = []
    rest = body
    while True:
        if len(rest) == 1 and isinstance(rest[0], ast.Return) and rest[0].value is not None:
            return [*found, (None, rest[0].value)]
        if not rest or not isinstance(rest[0], ast.If):
            return None
        test = rest[0]
        then = [s for s in test.body if not _is_docstring(s)]
        if len(then) != 1 or not isinstance(then[0], ast.Return) or then[0].value is None:
            return None
        found.append((test.test, then[0].value))
        if test.orelse and len(rest) > 1:
            return None
        rest = test.orelse or rest[1:]


def _chain_text(
    returned: ast.expr,
    names: list[str],
    source: str,
    candidates: frozenset[str] = frozenset(),
    used: set[str] | None = None,
) -> str | None:
    """A returned chain on `self` as written (`super().get_queryset()` read as `self`), or None
    when it is no chain on `self` or names anything but `self`, the parameters,
    `Q`/`Count`/`Prefetch` and models it imports (`candidates`), each as `Model.objects`
    (added to `used`)."""
    written = source_segment(source, returned) or ast.unparse(returned)
    whole = _whole_queryset(returned)
    start = source_segment(source, whole) if whole is not None else None
    if start is not None and written.startswith(start):  # `super().get_queryset()` is `self`
        written = "self" + written[len(start) :]
        returned = ast.parse(f"({written})", mode="eval").body
    if "\n" in written:  # a chain over several lines: parenthesised, as it was in the return
        written = f"({written})"
    if not _chains_self(returned):
        return None
    allowed = {"self", *names, *EXPRESSIONS, "True", "False", "None"}
    others = _free_names(returned) - allowed
    if others - candidates or others & _read_otherwise(returned):
        return None
    if used is not None:
        used |= others
    return written


def _read_otherwise(node: ast.AST) -> set[str]:
    """The names `node` reads other than as `Name.objects`."""
    roots = {
        id(inner.value)
        for inner in ast.walk(node)
        if isinstance(inner, ast.Attribute) and inner.attr == "objects"
    }
    return {
        inner.id
        for inner in ast.walk(node)
        if isinstance(inner, ast.Name) and id(inner) not in roots
    }


@lru_cache(maxsize=256)
def module_imports(source: str) -> dict[str, tuple[str, str]]:
    """The names a module imports at its top by `from <absolute module> import name [as local]`:
    local -> (module, name)."""
    try:
        tree = parse_ast_shared(source)
    except SyntaxError:
        return {}
    found: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if alias.name != "*" and alias.asname is None:
                    found[alias.name] = (node.module, alias.name)
    return found


class _ClsObjects(ast.NodeTransformer):
    """`cls.objects` -> `self`, `cls` -> `self`: a classmethod's chain read as a method's."""

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "cls" and node.attr == "objects":
            return ast.copy_location(ast.Name("self", ast.Load()), node)
        return self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name("self", ast.Load()), node) if node.id == "cls" else node


def _class_method(function: ast.FunctionDef, source: str) -> QuerySetMethod | None:
    """A model's `@classmethod` whose body is one `return cls.objects.<chain>(...)`, read as
    the chain (`Comment.create_moderation_action(user=u, ...)` is
    `Comment.objects.create(user=u, ...)`); its text keeps `cls` for the model class."""
    if [ast.unparse(d) for d in function.decorator_list] != ["classmethod"]:
        return None
    positional = function.args.args
    if not positional or positional[0].arg != "cls":
        return None
    body = [s for s in function.body if not _is_docstring(s)]
    returned = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
    if not (isinstance(returned, ast.Call) and isinstance(returned.func, ast.Attribute)):
        return None
    written = source_segment(source, returned) or ast.unparse(returned)
    if not written.startswith("cls.objects."):
        return None
    text = ast.unparse(function)
    copy = ast.parse(text).body[0]
    assert isinstance(copy, ast.FunctionDef)
    copy.decorator_list = []
    copy.args.args[0].arg = "self"
    copy = _ClsObjects().visit(copy)
    found = _method(copy, True, text)
    if found is None:
        return None
    returns = f"({written})" if "\n" in written else written
    return QuerySetMethod(found.params, returns, on_querysets=False, on_model=True)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)


def _only_loads(function: ast.FunctionDef) -> bool:
    """An override that calls Django's own method and adds related loading only:
    `return super().filter(*args, **kwargs).select_related("user")`."""
    body = [s for s in function.body if not _is_docstring(s)]
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        return False
    node: ast.expr = body[0].value
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == function.name:
            return ast.unparse(node) == f"super().{function.name}(*args, **kwargs)"
        if node.func.attr not in LOADING:
            return False
        node = node.func.value
    return False


@dataclass
class _Class:
    bases: list[str]
    methods: dict[str, QuerySetMethod]
    overridden: list[str]
    defines_get_queryset: bool
    refused: dict[str, str] = field(default_factory=dict)


def _read_class(node: ast.ClassDef, source: str) -> _Class:
    bases = [ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases]
    on_querysets = not any(base.endswith("Manager") for base in bases)
    methods: dict[str, QuerySetMethod] = {}
    overridden: list[str] = []
    refused: dict[str, str] = {}
    for item in node.body:
        if not isinstance(item, ast.FunctionDef):
            continue
        if item.name in QUERYSET_METHODS:
            if not _only_loads(item):
                overridden.append(item.name)
            continue
        found = _method(item, on_querysets, source) or _folded(item, node, on_querysets, source)
        if found is not None:
            methods[item.name] = found
        elif not item.name.startswith("__"):
            refused[item.name] = _refusal(item)
    defines = any(isinstance(i, ast.FunctionDef) and i.name == "get_queryset" for i in node.body)
    return _Class(bases, methods, overridden, defines, refused)


def _folded(
    function: ast.FunctionDef, owner: ast.ClassDef, on_querysets: bool, source: str
) -> QuerySetMethod | None:
    """The method folded into one chain (method_folding.py), read as a method returning it."""
    methods = {i.name: i for i in owner.body if isinstance(i, ast.FunctionDef)}
    found = fold(function, methods, _constants(source))
    if found is None:
        return None
    chain, used = found
    parameters = ", ".join(a.arg for a in function.args.args)
    text = f"def {function.name}({parameters}):\n    return {chain}\n"
    written = ast.parse(text).body[0]
    assert isinstance(written, ast.FunctionDef)
    read = _method(written, on_querysets, text)
    return replace(read, folded=used) if read is not None else None


@lru_cache(maxsize=64)
def _constants(source: str) -> dict[str, Any]:
    try:
        return module_constants(ast.parse(source))
    except SyntaxError:
        return {}


def _refusal(function: ast.FunctionDef) -> str:
    """Why a method is not read as a chain (the reason of the queries calling it)."""
    body = [s for s in function.body if not _is_docstring(s)]
    if any(isinstance(statement, ast.Assign) for statement in body):
        if _inlined(function) is None:
            return (
                "a local of its body holds something other than a queryset (`Model.objects...`, "
                "`self...`) or a Prefetch(...) of them, or is assigned twice"
            )
        return (
            "its chain names something of its module other than Q/Count/Prefetch and models "
            "it imports (as `Model.objects`)"
        )
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.posonlyargs or function.decorator_list:
        return "a method taking *args/**kwargs or decorated"
    if _branches([s for s in function.body if not _is_docstring(s)]) is None:
        return "its body does more than return a chain (or choose one by if/elif/else)"
    return (
        "its chain names something of its module other than Q/Count, or its condition reads "
        "the queryset or a name its module does not import"
    )


def _classes(sources: list[str]) -> dict[str, _Class]:
    """The classes of the sources, by name (a name two different classes share is left out)."""
    found: dict[str, _Class] = {}
    ambiguous: set[str] = set()
    for node, source in top_level_classes(sources):
        read = _read_class(node, source)
        if node.name in found and found[node.name] != read:
            ambiguous.add(node.name)
        found[node.name] = read
    return {name: read for name, read in found.items() if name not in ambiguous}


def _resolved(
    name: str, classes: dict[str, _Class], seen: frozenset[str] = frozenset()
) -> _Class | None:
    """The class with the methods of its custom bases (a base of the sources) under its own."""
    own = classes.get(name)
    if own is None or name in seen:
        return None
    methods: dict[str, QuerySetMethod] = {}
    overridden: list[str] = []
    refused: dict[str, str] = {}
    defines = own.defines_get_queryset
    for base in own.bases:
        inherited = _resolved(base, classes, seen | {name})
        if inherited is not None:
            methods.update(inherited.methods)
            overridden += inherited.overridden
            refused.update(inherited.refused)
            defines = defines or inherited.defines_get_queryset
    methods.update(own.methods)
    refused = {k: v for k, v in {**refused, **own.refused}.items() if k not in own.methods}
    redefined = {*own.methods, *own.refused, *own.overridden}
    for name, method in list(methods.items()):
        if name not in own.methods and redefined & set(method.folded):
            del methods[name]  # it folded in a method this class redefines
            refused[name] = f"it calls {', '.join(sorted(redefined & set(method.folded)))}()"
    return _Class(own.bases, methods, [*overridden, *own.overridden], defines, refused)


def _manager_classes(value: ast.expr) -> list[str] | None:
    """The classes a model's manager assignment draws its methods from, or None when it is no
    custom manager: `X.as_manager()`, `X()`, `M.from_queryset(Q)()`."""
    if not isinstance(value, ast.Call) or value.args or value.keywords:
        return None
    func = value.func
    if isinstance(func, ast.Attribute) and func.attr == "as_manager":
        return [ast.unparse(func.value).rsplit(".", 1)[-1]]
    if isinstance(func, ast.Call) and isinstance(func.func, ast.Attribute):
        if func.func.attr == "from_queryset" and len(func.args) == 1 and not func.keywords:
            manager = ast.unparse(func.func.value).rsplit(".", 1)[-1]
            return [manager, ast.unparse(func.args[0]).rsplit(".", 1)[-1]]
        return None
    return [ast.unparse(func).rsplit(".", 1)[-1]]


def _objects_value(statement: ast.stmt) -> ast.expr | None:
    """What a model's `objects` is assigned: `objects = M()`, or annotated for type checkers
    (`objects: ClassVar[M] = M()`); None for any other statement."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target: ast.expr = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target = statement.target
    else:
        return None
    if isinstance(target, ast.Name) and target.id == "objects":
        return statement.value
    return None


@once_a_run
def read_queryset_methods(sources: list[str]) -> Methods:
    """The custom queryset methods of the models in `sources` (models modules and the modules
    holding their QuerySets and Managers), by model class name; only a model's `objects` (read
    once a run: no caller changes them)."""
    classes = _classes(sources)
    found: Methods = {}
    for node, _ in top_level_classes(sources):
        for item in node.body:
            value = _objects_value(item)
            if value is None:
                continue
            names = _manager_classes(value)
            resolved = [_resolved(name, classes) for name in names or []]
            if not resolved or any(r is None for r in resolved):
                continue
            model = ModelMethods()
            for read in resolved:
                assert read is not None
                if read.defines_get_queryset:  # its rows are not Model.objects'
                    model = ModelMethods(own_rows=True)
                    break
                model.methods.update(read.methods)
                model.overridden += read.overridden
                model.refused.update(read.refused)
            if model.methods or model.overridden or model.own_rows or model.refused:
                found[node.name] = model
    for node, source in top_level_classes(sources):  # the models' classmethods
        for item in node.body:
            if not isinstance(item, ast.FunctionDef):
                continue
            method = _class_method(item, source)
            if method is not None:
                found.setdefault(node.name, ModelMethods()).methods.setdefault(item.name, method)
    for node, _ in top_level_classes(sources):
        own = [
            item.name
            for item in node.body
            if isinstance(item, ast.FunctionDef)
            and item.name in INSTANCE_METHODS
            and not (item.name == "save" and runs_on_rows(node))
        ]
        if own:
            found.setdefault(node.name, ModelMethods()).instance_overrides = own
    return found
