"""The calls that hand a queryset to infinite-scroll-pagination's seek paginator.

The library's `paginate(query_set=..., ...)` and `SeekPaginator(query_set, ...)` assert a Django
`QuerySet`, filter it with `Q` lookups on its key fields, order it and slice it. A converted view
giving them its rows (a list) fails that assertion; given `seek_rows(session, stmt)`
(codemods/runtime/django/seek_rows.py) the library runs unchanged on the statement. The callees
are the library's two entry points, imported by the view, and the functions of SRC that pass
one of their parameters on to them as `query_set` (spirit's `infinite_paginator.paginate(request,
query_set, lookup_field, ...)`): `seek_callables` names them with the argument holding the rows.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

LIBRARY = "infinite_scroll_pagination.paginator"
ENTRIES = frozenset({f"{LIBRARY}.paginate", f"{LIBRARY}.SeekPaginator"})
QUERY_SET = "query_set"
SEEK_ROWS = ("codemods.runtime.django.seek_rows", "seek_rows")

Resolve = Callable[[str], tuple[ast.Module, dict[str, str]] | None]


@dataclass(frozen=True)
class SeekArgument:
    """Where a callee takes the rows: its positional index and its keyword."""

    position: int
    keyword: str


LIBRARY_ARGUMENT = SeekArgument(0, QUERY_SET)


def _callee(func: ast.expr, imports: dict[str, str]) -> str | None:
    if isinstance(func, ast.Name):
        return imports.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = imports.get(func.value.id)
        return f"{owner}.{func.attr}" if owner is not None else None
    return None


def _given_rows(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == QUERY_SET:
            return keyword.value
    return call.args[0] if call.args else None


def _passed_on(function: ast.FunctionDef, imports: dict[str, str]) -> SeekArgument | None:
    """The parameter of `function` it gives the library as its queryset, if one is."""
    positional = [*function.args.posonlyargs, *function.args.args]
    names = [arg.arg for arg in positional]
    for node in ast.walk(function):
        if not isinstance(node, ast.Call) or _callee(node.func, imports) not in ENTRIES:
            continue
        given = _given_rows(node)
        if isinstance(given, ast.Name) and given.id in names:
            return SeekArgument(names.index(given.id), given.id)
    return None


def seek_callables(names: dict[str, str], resolve: Resolve) -> dict[str, SeekArgument]:
    """The module's names (`names`: local name -> dotted name) calling into the seek
    paginator, each with the argument holding the rows; `resolve` gives a module of SRC's tree
    and imports by dotted name."""
    found: dict[str, SeekArgument] = {}
    for local, target in names.items():
        if target in ENTRIES:
            found[local] = LIBRARY_ARGUMENT
            continue
        module, _, name = target.rpartition(".")
        resolved = resolve(module) if module else None
        if resolved is None:
            continue
        tree, imports = resolved
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                argument = _passed_on(node, imports)
                if argument is not None:
                    found[local] = argument
    return found
