"""A `get_queryset` that builds its lookups in a dict before filtering by them, read as one
queryset whose lookups are known by their keys (class_rows.py converts it):

    def get_queryset(self):
        kwargs = {"sql__isnull": False}
        if url_get_query_id(self.request):
            kwargs["query_id"] = url_get_query_id(self.request)
        return QueryLog.objects.filter(**kwargs).all()
->
        return self.rows(filtered_by(ordered(select(tables.QueryLog)), kwargs, {
            "sql__isnull": lambda value: is_null(tables.QueryLog.sql, value),
            "query_id": lambda value: tables.QueryLog.query_id == value}))

The method is: the dict assigned once from a literal with string keys, then statements that
only set string keys of it (`kwargs["query_id"] = ...`, under any condition) and return nothing
else before, then the return
of a queryset giving it to one `filter(**kwargs)`; the dict is named nowhere else. So at run
time it holds only those keys, each a lookup on the model's own fields (no relation traversed:
one filter()'s lookups through a to-many relation would have to hold on one related row), and
`filtered_by` (codemods/runtime/django/built_filters.py) adds the condition of each key it
holds, with its value, as Django's `filter()` does.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

import libcst as cst

from codemods.django.model_relations import Relations
from codemods.django.querysets import _LOOKUPS, Translation, Unconvertible, _Chain
from codemods.engine.walk import in_order

RUNTIME = "codemods.runtime.django.built_filters"


@dataclass(frozen=True)
class BuiltFilter:
    """The dict's name, every key it may hold, the returned queryset (as written) and that
    queryset without the `**name` argument."""

    name: str
    keys: tuple[str, ...]
    returned: cst.BaseExpression
    queryset: cst.BaseExpression


def built_filter(function: cst.FunctionDef) -> BuiltFilter | None:
    """The method's built filter, or None when it is written otherwise."""
    if not isinstance(function.body, cst.IndentedBlock):
        return None
    body = [s for s in function.body.body if not _docstring(s)]
    if len(body) < 2:
        return None
    first = _single(body[0])
    last = _single(body[-1])
    if not (
        isinstance(first, cst.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0].target, cst.Name)
        and isinstance(first.value, cst.Dict)
        and isinstance(last, cst.Return)
        and last.value is not None
    ):
        return None
    name = first.targets[0].target.value
    keys = _literal_keys(first.value)
    if keys is None or _mentions(first.value, name):
        return None
    for statement in body[1:-1]:
        set_keys = _set_keys(statement, name)
        if set_keys is None or _leaves(statement):
            return None
        keys += set_keys
    queryset = _without_lookups(last.value, name)
    if queryset is None:
        return None
    return BuiltFilter(name, tuple(dict.fromkeys(keys)), last.value, queryset)


def built_conditions(built: BuiltFilter, model: str, relations: Relations) -> Translation:
    """`{"key": lambda value: <its condition>, ...}` on the model's generated table."""
    chain = _Chain(model, relations.get(model, {}), all_relations=relations)
    entries = []
    for key in built.keys:
        parts = key.split("__")
        if len(parts) > 2 or (len(parts) == 2 and parts[1] not in _LOOKUPS):
            raise Unconvertible(f"{built.name}[{key!r}]: a lookup through a relation")
        entries.append(f"{json.dumps(key)}: lambda value: {chain.lookup(key, 'value')}")
    imports = {*chain.imports, (RUNTIME, "filtered_by")}
    return Translation("{" + ", ".join(entries) + "}", imports)


def _docstring(statement: cst.BaseStatement) -> bool:
    small = _single(statement)
    return isinstance(small, cst.Expr) and isinstance(
        small.value, cst.SimpleString | cst.ConcatenatedString
    )


def _single(statement: cst.BaseStatement) -> cst.BaseSmallStatement | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = ast.literal_eval(node.value)
        return value if isinstance(value, str) else None
    return None


def _literal_keys(node: cst.Dict) -> list[str] | None:
    keys = []
    for element in node.elements:
        key = _string(element.key) if isinstance(element, cst.DictElement) else None
        if key is None:
            return None
        keys.append(key)
    return keys


class _Names(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.count += 1


def _mentions(node: cst.CSTNode, name: str) -> int:
    names = _Names(name)
    in_order(node, names)
    return names.count


class _KeySets(cst.CSTVisitor):
    """`name["key"] = value` statements (value not naming the dict): their keys and count."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.keys: list[str] = []
        self.refused = False

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Name)
            and target.value.value == self.name
        ):
            return
        element = target.slice[0].slice if len(target.slice) == 1 else None
        key = _string(element.value) if isinstance(element, cst.Index) else None
        if key is None or _mentions(node.value, self.name):
            self.refused = True
        else:
            self.keys.append(key)


def _set_keys(statement: cst.BaseStatement, name: str) -> list[str] | None:
    """The keys a statement sets on the dict, or None when it names the dict otherwise."""
    sets = _KeySets(name)
    in_order(statement, sets)
    if sets.refused or _mentions(statement, name) != len(sets.keys):
        return None
    return sets.keys


class _Exits(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Return(self, node: cst.Return) -> None:
        self.found = True

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True


def _leaves(statement: cst.BaseStatement) -> bool:
    """The statement may return (or yield) before the built filter's return."""
    exits = _Exits()
    in_order(statement, exits)
    return exits.found


class _DropLookups(cst.CSTTransformer):
    def __init__(self, name: str) -> None:
        self.name = name
        self.dropped = 0

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = updated_node.func
        kept = [
            a
            for a in updated_node.args
            if not (a.star == "**" and isinstance(a.value, cst.Name) and a.value.value == self.name)
        ]
        if len(kept) == len(updated_node.args):
            return updated_node
        if isinstance(func, cst.Attribute) and func.attr.value == "filter":
            self.dropped += 1
        else:
            self.dropped += 2  # `**name` given to anything else: refused below
        if kept:
            kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(args=kept)


def _without_lookups(returned: cst.BaseExpression, name: str) -> cst.BaseExpression | None:
    if _mentions(returned, name) != 1:
        return None
    dropping = _DropLookups(name)
    queryset = returned.visit(dropping)
    if dropping.dropped != 1 or not isinstance(queryset, cst.BaseExpression):
        return None
    return queryset
