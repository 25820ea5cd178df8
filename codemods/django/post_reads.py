"""What a view reads from the submission it is posted, read from its code: the keys it takes
from `request.POST` itself (`request.POST["alias"]`, `.get("append")`, `.getlist(...)`,
`"x" in request.POST`) and the forms it builds on the whole of it (`SomeForm(request.POST)`,
`SomeForm(data=request.POST)`). A key the view compares with a model's field in a lookup
(`DatabaseConnection.objects.filter(alias=request.POST["alias"])`) or gives a new row's field
(`Query(sql=sql, database_connection_id=connection)`, `sql` read from the submission) names that
field, so the verification can post a value a row holds.

Verification posts these to a route that takes POST only (a button's form, or a page's script
posting a form it has: django-sql-explorer's connection check reads `request.POST["alias"]` and
validates a `DatabaseConnectionForm` of the whole submission), where it would otherwise post the
CSRF token alone and both sides would answer the same `MultiValueDictKeyError`, proving nothing.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from codemods.engine.submission_keys import key_read

LOOKUPS = frozenset({"get", "filter", "exclude", "get_or_create", "update_or_create"})


@dataclass(frozen=True)
class PostReads:
    # key -> "Model.field" when a lookup compares it with a field of a model named in the
    # view's module, else None
    keys: dict[str, str | None]
    forms: tuple[str, ...]  # the names (in the view's module) of the classes built on it

    def details(self) -> dict[str, object]:
        """As a route entry's details carry them (`post_keys`, `post_forms`)."""
        found: dict[str, object] = {}
        if self.keys:
            found["post_keys"] = dict(self.keys)
        if self.forms:
            found["post_forms"] = list(self.forms)
        return found


def _is_post(node: ast.AST) -> bool:
    """`request.POST` or `self.request.POST`."""
    if not isinstance(node, ast.Attribute) or node.attr != "POST":
        return False
    owner = node.value
    if isinstance(owner, ast.Name):
        return owner.id == "request"
    return isinstance(owner, ast.Attribute) and owner.attr == "request"


def _key_read(node: ast.AST) -> str | None:
    """The key a `request.POST` read names, when it is a literal string."""
    return key_read(node, _is_post)


def _lookup_model(call: ast.Call, models: set[str]) -> str | None:
    """The model a lookup call queries: `Model.objects.<lookup>(...)`, or
    `get_object_or_404(Model, ...)`."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in LOOKUPS:
        owner = func.value
        while isinstance(owner, ast.Call) and isinstance(owner.func, ast.Attribute):
            owner = owner.func.value  # Model.objects.filter(...).filter(...)
        if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
            return owner.value.id if owner.value.id in models else None
    if isinstance(func, ast.Name) and func.id in {"get_object_or_404", "get_list_or_404"}:
        first = call.args[0] if call.args else None
        if isinstance(first, ast.Name) and first.id in models:
            return first.id
    return None


def _built_on_post(call: ast.Call) -> str | None:
    """The name of the class `call` builds on the whole submission (`Form(request.POST, ...)`,
    `Form(data=request.POST)`), else None."""
    given = call.args[:1] + [k.value for k in call.keywords if k.arg == "data"]
    if isinstance(call.func, ast.Name) and any(_is_post(arg) for arg in given):
        return call.func.id
    return None


def _constructed_model(call: ast.Call, models: set[str]) -> str | None:
    """The model a call makes a row of: `Model(...)`, `Model.objects.create(...)`."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in models:
        return func.id
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "create"
        and isinstance(func.value, ast.Attribute)
        and isinstance(func.value.value, ast.Name)
        and func.value.value.id in models
    ):
        return func.value.value.id
    return None


def _assigned_keys(node: ast.AST) -> dict[str, str]:
    """Variable -> the key it holds, for `name = request.POST.get("key", ...)`."""
    found: dict[str, str] = {}
    for statement in ast.walk(node):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, key = statement.targets[0], _key_read(statement.value)
            if isinstance(target, ast.Name) and key is not None:
                found[target.id] = key
    return found


def post_reads(node: ast.AST, models: set[str]) -> PostReads:
    """What function or class `node` reads from `request.POST`; `models`: the model names of its
    module. A key given to a lookup or to a new row (`Model(field=...)`, `.create(...)`), read
    there or through a variable holding it, names that model's field."""
    keys: dict[str, str | None] = {}
    forms: list[str] = []
    held = _assigned_keys(node)
    for found in ast.walk(node):
        key = _key_read(found)
        if key is not None:
            keys.setdefault(key, None)
        if not isinstance(found, ast.Call):
            continue
        built = _built_on_post(found)
        if built is not None and built not in forms:
            forms.append(built)
        model = _lookup_model(found, models) or _constructed_model(found, models)
        if model is None:
            continue
        for keyword in found.keywords:
            value = keyword.value
            read = _key_read(value)
            if read is None and isinstance(value, ast.Name):
                read = held.get(value.id)
            if read is not None and keyword.arg is not None and "__" not in keyword.arg:
                keys[read] = f"{model}.{keyword.arg}"
    return PostReads(keys, tuple(forms))
