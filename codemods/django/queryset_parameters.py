"""A parameter of a module's function that every call of it gives a queryset, and that the
function goes on chaining (spirit's admin `_index(request, queryset, template)`, which runs
`queryset.order_by("-date_joined", "-pk")`): the callers pass the `select()` statement, not its
rows, and the function's chains go on from it, as from a queryset variable (view_queries.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import libcst as cst

from codemods.engine.kinds import KindIndex
from codemods.engine.parsed import run_memo
from codemods.engine.walk import in_order


def parameter_names(function: cst.FunctionDef) -> list[str]:
    """The names a call can give by position or keyword, in order (`*args`, `**kwargs` and
    keyword-only parameters apart: those are not positional)."""
    params = function.params
    return [p.name.value for p in [*params.posonly_params, *params.params]]


def keyword_names(function: cst.FunctionDef) -> set[str]:
    params = function.params
    return {p.name.value for p in [*params.params, *params.kwonly_params]}


def passed(call: cst.Call, function: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    """What `call` gives `function`'s parameter `name`: its keyword argument, or the positional
    argument in its place; None when it gives nothing or spreads `*args`/`**kwargs` (which could
    give it)."""
    if any(arg.star for arg in call.args):
        return None
    positional = [arg for arg in call.args if arg.keyword is None]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value if name in keyword_names(function) else None
    names = parameter_names(function)
    if name in names and names.index(name) < len(positional):
        return positional[names.index(name)].value
    return None


class _CallsByName(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: dict[str, list[cst.Call]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.found.setdefault(node.func.value, []).append(node)


def calls_by_name(body: cst.BaseSuite, kinds: KindIndex | None = None) -> dict[str, list[cst.Call]]:
    """The calls by a bare name in `body`, in source order, by that name: read once per body
    within a run (the analysis and the queries rule read the same legacy bodies)."""
    memo = run_memo()
    key = ("calls_by_name", id(body))
    found = memo.get(key) if memo is not None else None
    if isinstance(found, tuple) and found[0] is body:
        return found[1]
    gather = _CallsByName()
    in_order(body, gather, kinds)
    if memo is not None:
        memo[key] = (body, gather.found)
    return gather.found


def calls_of(
    functions: Iterable[cst.FunctionDef], name: str, kinds: KindIndex | None = None
) -> list[cst.Call]:
    """The calls of `name` (by its bare name) in the bodies of `functions` (`kinds`: their
    module's masks, kinds.py)."""
    return [call for f in functions for call in calls_by_name(f.body, kinds).get(name, ())]


def queryset_arguments(
    helper: cst.FunctionDef,
    candidates: Iterable[str],
    calls: list[cst.Call],
    is_statement: Callable[[cst.BaseExpression], bool],
) -> dict[str, list[cst.BaseExpression]]:
    """The parameters of `candidates` (those `helper` chains on) that each of `calls` gives a
    queryset chain `is_statement` accepts -> those chains; none when `helper` has no call."""
    if not calls:
        return {}
    found: dict[str, list[cst.BaseExpression]] = {}
    for name in candidates:
        given = [passed(call, helper, name) for call in calls]
        chains = [value for value in given if value is not None and is_statement(value)]
        if len(chains) == len(calls):
            found[name] = chains
    return found
