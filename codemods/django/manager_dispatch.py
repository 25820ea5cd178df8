"""A manager method chosen by name in a class-based view, read with `ast`:

    class FolderMixin(TemplateView):
        def get_context_data(self, **kwargs):
            msgs = getattr(Message.objects, self.folder_name)(self.request.user, **params)

    class InboxView(FolderMixin):
        folder_name = "inbox"

Served as `InboxView`, the call is `Message.objects.inbox(...)`: the view's class attributes (its
own first, then its bases', as Python's attribute lookup finds them) give the name, and the
route's reason names the method and what in it the query mapping cannot translate (django-postman's
folders build their query with `RawSQL` on a query class of their own), instead of the mixin's
bare "reaches Django's ORM".
"""

from __future__ import annotations

import ast

from codemods.django.queryset_methods import read_queryset_methods
from codemods.engine.ast_names import top_level_classes

# What builds SQL the query mapping cannot read: raw SQL, `extra()`, a query class of its own.
RAW_SQL_NAMES = frozenset({"RawSQL", "connection"})
RAW_SQL_METHODS = frozenset({"raw", "extra", "cursor"})
QUERY_CLASS_MARK = "Query"  # `PostmanQuery(self.model)`: a django.db.models.sql.Query subclass


def dispatches(node: ast.ClassDef) -> tuple[tuple[str, str], ...]:
    """`getattr(Model.objects, self.<attribute>)` in the class body: (("Model", attribute),)."""
    found: list[tuple[str, str]] = []
    for item in ast.walk(node):
        if not (
            isinstance(item, ast.Call)
            and isinstance(item.func, ast.Name)
            and item.func.id == "getattr"
            and len(item.args) == 2
        ):
            continue
        manager, name = item.args
        if (
            isinstance(manager, ast.Attribute)
            and manager.attr == "objects"
            and isinstance(manager.value, ast.Name)
            and isinstance(name, ast.Attribute)
            and isinstance(name.value, ast.Name)
            and name.value.id == "self"
        ):
            pair = (manager.value.id, name.attr)
            if pair not in found:
                found.append(pair)
    return tuple(found)


def string_attributes(node: ast.ClassDef) -> tuple[tuple[str, str], ...]:
    """The class attributes the body assigns a string constant (`folder_name = "inbox"`)."""
    found: dict[str, str] = {}
    for item in node.body:
        targets = item.targets if isinstance(item, ast.Assign) else []
        if isinstance(item, ast.AnnAssign) and item.value is not None:
            targets = [item.target]
        value = getattr(item, "value", None)
        for target in targets:
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
            ):
                found[target.id] = value.value
    return tuple(found.items())


def _manager_class(model: ast.ClassDef) -> str | None:
    for item in model.body:
        target = item.targets[0] if isinstance(item, ast.Assign) and item.targets else None
        target = item.target if isinstance(item, ast.AnnAssign) else target
        value = getattr(item, "value", None)
        if (
            isinstance(target, ast.Name)
            and target.id == "objects"
            and isinstance(value, ast.Call)
            and not value.args
        ):
            return ast.unparse(value.func).rsplit(".", 1)[-1]
    return None


def _raw_sql(function: ast.FunctionDef, methods: dict[str, ast.FunctionDef]) -> list[str]:
    """What in `function`, or the methods of its class it calls on `self`, builds SQL the
    mapping cannot read (each as written, in order)."""
    found: list[str] = []
    seen: set[str] = set()
    pending = [function]
    while pending:
        current = pending.pop(0)
        if current.name in seen:
            continue
        seen.add(current.name)
        for item in ast.walk(current):
            mark: str | None = None
            if isinstance(item, ast.Name) and (
                item.id in RAW_SQL_NAMES or item.id.endswith(QUERY_CLASS_MARK)
            ):
                mark = item.id
            elif isinstance(item, ast.Attribute) and item.attr in RAW_SQL_METHODS:
                mark = f".{item.attr}()"
            elif (
                isinstance(item, ast.Attribute)
                and isinstance(item.value, ast.Name)
                and item.value.id == "self"
                and item.attr in methods
            ):
                pending.append(methods[item.attr])
            where = f" (in {current.name})" if current is not function else ""
            if mark is not None and mark + where not in found:
                found.append(mark + where)
    return found


def dispatch_reason(
    view: str, owner: str, model: str, attribute: str, name: str | None, sources: list[str]
) -> str:
    """Why `getattr(model.objects, self.<attribute>)` of `owner`, served as `view`, stays on
    Django's ORM."""
    call = f"getattr({model}.objects, self.{attribute})"
    if name is None:
        return (
            f"{owner}: {call}: {view} gives {attribute} no string, so the manager method called "
            "is not known"
        )
    head = f"{owner}: {call} is {model}.objects.{name}() for {view} ({attribute} = {name!r})"
    classes = {node.name: node for node, _ in top_level_classes(sources)}
    model_class = classes.get(model)
    manager = _manager_class(model_class) if model_class is not None else None
    manager_class = classes.get(manager) if manager is not None else None
    if manager_class is None:
        return f"{head}: a manager the codemod does not read"
    methods = {i.name: i for i in manager_class.body if isinstance(i, ast.FunctionDef)}
    method = methods.get(name)
    if method is None:
        return f"{head}: not a method of {manager}"
    raw = _raw_sql(method, methods)
    if raw:
        return f"{head}: {manager}.{name} builds raw SQL the query mapping does not translate: " + (
            ", ".join(raw)
        )
    if name in getattr(read_queryset_methods(sources).get(model), "methods", {}):
        return (
            f"{head}: {manager}.{name} is a chain the query mapping translates, but a method "
            "chosen by name is not converted yet"
        )
    return (
        f"{head}: {manager}.{name} is not one `return` of a chain on self, which is what the "
        "query mapping translates"
    )
