"""Whether a function view's code reaches Django's ORM, read with `ast`: a model of SRC (a name
imported from a `models` module), a manager (`.objects`), `get_object_or_404`/`get_list_or_404`,
`get_user_model`, `get_current_site` (django.contrib.sites' Site), or a related manager or
method of `request.user` (`user.posts.count()`), in the view or in a function of its module that
it calls (transitively). The logged-in user itself (`request.user.is_authenticated`,
`.username`, ...) is the runtime's, not a query of the view's, and so is an empty queryset
(`get_user_model().objects.none()`: Django answers it without the database). A view that
reaches none needs no ORM: its route can be `converted`."""

from __future__ import annotations

import ast

from codemods.engine.ast_names import calls_in

# (`get_current_site` reads django.contrib.sites' Site through Django's ORM)
ORM_CALLS = frozenset(
    {"get_object_or_404", "get_list_or_404", "get_user_model", "get_current_site"}
)
USER_FIELDS = frozenset(
    {
        "is_authenticated", "is_anonymous", "is_staff", "is_superuser", "is_active", "username",
        "pk", "id", "email", "first_name", "last_name", "get_username", "has_perm", "has_perms",
    }
)  # fmt: skip


def model_names(imports: dict[str, str]) -> frozenset[str]:
    """The local names a module imported from a `models` module (`Post` of `blog.models.Post`)."""
    return frozenset(
        local
        for local, dotted in imports.items()
        if ".models." in f".{dotted}" or dotted.endswith(".models")
    )


def empty_querysets(tree: ast.AST) -> set[int]:
    """The ids of the nodes of `<model>.objects.none()` in `tree`, the model and manager
    included: an empty queryset, which Django evaluates without a query."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if _empty_queryset(node):
            found.update(id(inner) for inner in ast.walk(node))
    return found


def _empty_queryset(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and not node.args
        and not node.keywords
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "none"
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "objects"
    )


def _direct(function: ast.AST, models: frozenset[str]) -> bool:
    # empty_querysets(function), gathered in the same walk: ast.walk yields a call first
    empty: set[int] = set()
    querying = models | ORM_CALLS
    for node in ast.walk(function):
        if id(node) in empty:
            continue
        if _empty_queryset(node):
            empty.update(id(inner) for inner in ast.walk(node))
            continue
        if isinstance(node, ast.Name) and node.id in querying:
            return True
        if isinstance(node, ast.Attribute):
            if node.attr == "objects":
                return True
            owner = node.value
            if (
                isinstance(owner, ast.Attribute)
                and owner.attr == "user"
                and node.attr not in USER_FIELDS
            ):
                return True
    return False


def _called(function: ast.AST) -> set[str]:
    return {node.func.id for node in calls_in(function) if isinstance(node.func, ast.Name)}


def orm_views(tree: ast.Module, imports: dict[str, str]) -> set[str]:
    """The module-level functions of `tree` whose code reaches Django's ORM."""
    models = model_names(imports)
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    direct = {name for name, node in functions.items() if _direct(node, models)}
    calls = {name: _called(node) & set(functions) for name, node in functions.items()}
    return _callers_too(direct, calls)


def _callers_too(reaching: set[str], calls: dict[str, set[str]]) -> set[str]:
    """`reaching` and, transitively, the names whose `calls` include one of them."""
    reaching = set(reaching)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in reaching and callees & reaching:
                reaching.add(name)
                changed = True
    return reaching


def reaches_orm(
    node: ast.AST, imports: dict[str, str], extra: frozenset[str] = frozenset()
) -> bool:
    """Whether `node` (a class, a function) reaches Django's ORM itself, its module's imports
    being `imports`; `extra`: other names of models there (`User = get_user_model()`)."""
    return _direct(node, model_names(imports) | extra)


def querying_methods(node: ast.ClassDef, imports: dict[str, str]) -> set[str]:
    """The methods of class `node` that reach Django's ORM themselves or through another of its
    methods they call (`Class.m(...)`, `cls.m(...)`, `self.m(...)`)."""
    models = model_names(imports)
    methods = {
        item.name: item
        for item in node.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    owners = {node.name, "cls", "self"}
    calls = {
        name: {
            call.func.attr
            for call in ast.walk(method)
            if isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id in owners
        }
        & set(methods)
        for name, method in methods.items()
    }
    return _callers_too(
        {name for name, method in methods.items() if _direct(method, models)}, calls
    )
