"""Which decorators a function view keeps as written run as they run in Django.

A decorator the route's options do not replace stays on the view, under `@django_view`: it
wraps the view and is called with the route's Django request, so it answers as in Django when
it keeps the view's signature (FastAPI reads the parameters through `functools.wraps`) and
queries nothing through Django's ORM (a query it makes keeps the route `partial`, as a query of
the view's own does). These are kept with no reason:

- Django's own view decorators (`user_passes_test`, `permission_required`, `never_cache`,
  `cache_page`, ...), `user_passes_test` when its test reads only the user's own fields
  (`user.is_staff`, not `user.profile`);
- a decorator of SRC (`@ratelimit(rate="1/10s")`, `@moderator_required`) whose function uses
  `functools.wraps` and reaches no model, manager or related object of the user (orm_use.py, and
  any attribute of a name holding `request.user` but the user's own fields).

Anything else keeps its reason ("kept as written: check it on the route"). Read with `ast`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from codemods.django.orm_use import USER_FIELDS, orm_views

# Django's view decorators that wrap the view with `functools.wraps` and work on its request
# and response only.
DJANGO_DECORATORS = frozenset(
    {
        "user_passes_test", "permission_required", "staff_member_required", "login_required",
        "never_cache", "cache_control", "cache_page", "vary_on_headers", "vary_on_cookie",
        "xframe_options_exempt", "xframe_options_deny", "xframe_options_sameorigin",
        "ensure_csrf_cookie", "csrf_protect", "requires_csrf_token",
        "sensitive_post_parameters", "sensitive_variables", "gzip_page", "condition", "etag",
        "last_modified", "require_http_methods", "require_GET", "require_POST", "require_safe",
    }
)  # fmt: skip
KEPT = "decorator @{code} kept as written: check it on the route"

# (module's dotted name relative to SRC, or None outside SRC) -> its tree and imports
Resolver = Callable[[str], tuple[ast.Module, dict[str, str]] | None]


def _user_reads(function: ast.AST, users: set[str]) -> list[str]:
    """The attributes of the user other than its own fields (`user.st`, `request.user.posts`)
    read in `function`, `users` being the names holding the user, as written."""
    holders = set(users)
    for node in ast.walk(function):
        value = node.value if isinstance(node, ast.Assign) else None
        if (
            isinstance(node, ast.Assign)
            and isinstance(value, ast.Attribute)
            and value.attr == "user"
        ):
            holders |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    found: list[ast.Attribute] = []
    for node in ast.walk(function):
        if not isinstance(node, ast.Attribute) or node.attr in USER_FIELDS:
            continue
        owner = node.value
        if (isinstance(owner, ast.Name) and owner.id in holders) or (
            isinstance(owner, ast.Attribute) and owner.attr == "user"
        ):
            found.append(node)
    return [ast.unparse(node) for node in found]


def _user_query(
    function: ast.AST, users: set[str], served: frozenset[str] = frozenset()
) -> str | None:
    """The first read of the user's attributes that queries Django's ORM: not one of its own
    fields, nor a relation the runtime serves through SQLAlchemy (`served`: user_relations.py)."""
    return next(
        (r for r in _user_reads(function, users) if r.rsplit(".", 1)[-1] not in served), None
    )


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node
    return None


def _uses_wraps(function: ast.FunctionDef) -> bool:
    return any(
        (isinstance(node, ast.Name) and node.id == "wraps")
        or (isinstance(node, ast.Attribute) and node.attr == "wraps")
        for node in ast.walk(function)
    )


def _orm_reason(
    tree: ast.Module,
    imports: dict[str, str],
    function: ast.FunctionDef,
    served: frozenset[str] = frozenset(),
) -> str | None:
    """Why the module function reaches Django's ORM (None: it does not)."""
    if function.name in orm_views(tree, imports):
        return "it reaches Django's ORM"
    params = [a.arg for a in function.args.args]
    users = {p for p in params if p == "user"}
    found = _user_query(function, users, served)
    return f"it reads {found} (a query on Django's ORM)" if found else None


def _test_reason(test: ast.expr | None, resolve: Resolver, names: dict[str, str]) -> str | None:
    """Why `user_passes_test`'s test is not known to read the user's own fields only."""
    if isinstance(test, ast.Lambda):
        users = {a.arg for a in test.args.args[:1]}
        found = _user_query(test, users)
        return f"its test reads {found} (a query on Django's ORM)" if found else None
    if not isinstance(test, ast.Name):
        return "its test is not a function of SRC"
    defined = _defined(test.id, resolve, names)
    if defined is None:
        return "its test is not a function of SRC"
    tree, imports, function = defined
    if function.name in orm_views(tree, imports):
        return "its test reaches Django's ORM"
    params = [a.arg for a in function.args.args[:1]]
    query = _user_query(function, set(params))
    return f"its test reads {query} (a query on Django's ORM)" if query else None


def _defined(
    local: str, resolve: Resolver, names: dict[str, str]
) -> tuple[ast.Module, dict[str, str], ast.FunctionDef] | None:
    """The module-level function of SRC a local name stands for (the view's module: "")."""
    full = names.get(local)
    owner, _, name = full.rpartition(".") if full else ("", "", local)
    found = resolve(owner)
    if found is None:
        return None
    tree, imports = found
    function = _function(tree, name)
    return (tree, imports, function) if function is not None else None


def decorator_reason(
    decorator: ast.expr,
    names: dict[str, str],
    resolve: Resolver,
    served: frozenset[str] = frozenset(),
) -> str | None:
    """Why a decorator kept on a view may not answer as in Django (None: it does).
    `names`: the view module's imports; `resolve(dotted)`: a module of SRC's tree and imports
    (`""`: the view's own module), None outside SRC; `served`: the user's relations the route
    can be given through SQLAlchemy (`served_relations` says which it needs)."""
    code = ast.unparse(decorator)
    call = decorator if isinstance(decorator, ast.Call) else None
    callee = ast.unparse(call.func if call else decorator)
    head, _, rest = callee.partition(".")
    full = names.get(head, head) + (f".{rest}" if rest else "")
    last = full.rsplit(".", 1)[-1]
    if full.startswith("django.") and last in DJANGO_DECORATORS:
        if last != "user_passes_test":
            return None
        test = call.args[0] if call and call.args else None
        if call and test is None:
            test = next((k.value for k in call.keywords if k.arg == "test_func"), None)
        why = _test_reason(test, resolve, names)
        return f"{KEPT.format(code=code)} ({why})" if why else None
    found = _defined(callee, resolve, names) if "." not in callee else None
    if found is None:
        return KEPT.format(code=code)
    tree, imports, function = found
    if not _uses_wraps(function):
        return f"{KEPT.format(code=code)} (it does not use functools.wraps)"
    why = _orm_reason(tree, imports, function, served)
    return f"decorator @{code} kept as written: {why}" if why else None


def served_relations(
    decorator: ast.expr, names: dict[str, str], resolve: Resolver, served: frozenset[str]
) -> tuple[str, ...]:
    """The relations of `served` that a decorator of SRC reads on the request's user
    (`user.st` in `@moderator_required`): the route must give them (user_relations.py)."""
    callee = ast.unparse(decorator.func if isinstance(decorator, ast.Call) else decorator)
    found = _defined(callee, resolve, names) if "." not in callee else None
    if found is None:
        return ()
    function = found[2]
    users = {a.arg for a in function.args.args if a.arg == "user"}
    reads = {r.rsplit(".", 1)[-1] for r in _user_reads(function, users)}
    return tuple(sorted(reads & served))
