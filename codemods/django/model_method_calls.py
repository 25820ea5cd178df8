"""Calls of the models' own querying methods, in a view or helper whose queries convert:
`Comment.create_moderation_action(user=u, topic=t, action=a)` ->
`tables.Comment.create_moderation_action_with_session(user=u, topic=t, action=a,
session=session)`, `topic.increase_view_count()` -> `topic.increase_view_count_with_session(
session=session)` (the twins model_methods.py gives the generated classes). A method with no
twin keeps the caller on Django's ORM, named with its reason."""

from __future__ import annotations

import libcst as cst

from codemods.django.queryset_methods import Methods
from codemods.django.querysets import SESSION, TABLES, Translation, is_user
from codemods.engine.walk import in_order

SUFFIX = "_with_session"
# names other objects have too (dicts, lists, querysets): an instance's call of one is not
# taken for a model method
COMMON = frozenset(
    {"get", "update", "items", "keys", "values", "append", "pop", "copy", "setdefault", "all",
     "filter", "exclude", "create", "count", "first", "last", "exists", "add", "remove"}
)  # fmt: skip


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _holds(nodes: list[cst.Arg], skipped: set[cst.CSTNode]) -> bool:
    """Whether an argument holds a node translated on its own (a queryset chain)."""
    found = False

    class Inside(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            nonlocal found
            found = found or node in skipped
            return not found

    for arg in nodes:
        in_order(arg, Inside())
    return found


ONE_ROW = frozenset({"get", "first", "last"})


def _one_row(node: cst.BaseExpression) -> bool:
    """`chain.last()`, `.first()`, `.get(...)`: a call giving one row (or None)."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in ONE_ROW
    )


def _written(arg: cst.Arg, row: Translation | None) -> str:
    """The argument as the twin's call passes it: as written, or its chain's translation."""
    arg = arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    if row is None:
        return _code(arg)
    keyword = f"{arg.keyword.value}=" if arg.keyword is not None else ""
    return f"{keyword}{row.code}"


def _instance_owners(methods: Methods, name: str) -> list[tuple[str, str]]:
    """(model, reason) of each model whose own instance method `name` queries."""
    return [
        (model, twins.twins[name][1])
        for model, twins in methods.items()
        if name in twins.twins and not twins.twins[name][0]
    ]


def model_method_call(
    node: cst.Call,
    methods: Methods,
    skipped: set[cst.CSTNode],
    reasons: list[str],
    translations: dict[cst.CSTNode, Translation],
    rows: dict[cst.CSTNode, Translation] | None = None,
) -> bool:
    """Translate (into `translations`) or give the reason (into `reasons`) for a call of a
    model's own querying method; False: `node` is no such call. `rows`: the translated chains
    of the function; an argument that is one whole chain giving one row (`.last()`, `.get()`)
    is passed as its translation."""
    func = node.func
    if not isinstance(func, cst.Attribute):
        return False
    owner, name = func.value, func.attr.value
    target: str | None = None
    if isinstance(owner, cst.Name) and name in getattr(methods.get(owner.value), "twins", {}):
        classmethod, why = methods[owner.value].twins[name]
        if not classmethod:
            return False
        target = f"{TABLES}.{owner.value}"
        label = f"{owner.value}.{name}"
    elif name in COMMON:
        return False
    else:
        found = _instance_owners(methods, name)
        if not found or is_user(owner):
            return False
        if len(found) > 1:
            reasons.append(f"{_code(owner)}.{name}(): a method several models define and query in")
            return True
        model, why = found[0]
        row = (rows or {}).get(owner)  # `user.st.update_post_hash(...)`: on the row translated
        if owner in skipped and row is None:
            reasons.append(f"{_code(owner)}.{name}(): a model method of a row not translated")
            return True
        target = row.code if row is not None else _code(owner)
        label = f"{model}.{name}"
    if why:
        reasons.append(f"{label}: a model method with no translated twin: {why}")
        return True
    args = list(node.args)
    one_row = {arg: (rows or {}).get(arg.value) for arg in args if _one_row(arg.value)}
    held = [arg for arg in args if one_row.get(arg) is None]
    if _holds(held, skipped) or any(arg.star for arg in args):
        reasons.append(f"{label}: a model method called with a queryset or * arguments")
        return True
    written = [_written(arg, one_row.get(arg)) for arg in args]
    code = ", ".join([*written, f"{SESSION}={SESSION}"])
    translations[node] = Translation(f"{target}.{name}{SUFFIX}({code})")
    return True
