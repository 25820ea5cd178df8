"""The names of a function that can only hold one of a known set of strings: `filter(**{field:
value})` translates when `field` is one of them and each string names a column.

    def _moderate(request, pk, field_name, to_value): ...
    def pin(request, pk):
        return _moderate(request, pk, field_name="is_pinned", to_value=True)

`field_name` is {"is_pinned", ...}: a parameter that every call of the function in its module
gives as a string literal (or leaves to a literal default), when the module names the function
nowhere else; a parameter annotated `Literal["a", "b"]`; or a local name that every assignment
gives a string literal (an if-chain). A name also assigned otherwise is not listed."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.engine.kinds import KindIndex, add_children, name_bit
from codemods.engine.nodes import dotted_name
from codemods.engine.walk import in_order

Keys = dict[str, frozenset[str]]


def _string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class _Assigned(cst.CSTVisitor):
    """Each name assigned in a function: the string literals given it, or None when any
    assignment gives it something else."""

    def __init__(self) -> None:
        self.values: dict[str, set[str] | None] = {}

    def _give(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        for name in _names(target):
            string = _string(value) if isinstance(target, cst.Name) else None
            known = self.values.get(name, set())
            self.values[name] = None if string is None or known is None else {*known, string}

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._give(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._give(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._give(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._give(node.target, None)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._give(node.target, None)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._give(node.name, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._give(node.target, None)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # an inner function's names are its own


def _names(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple | cst.List):
        return [n for e in target.elements for n in _names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return []


def _literal_annotation(param: cst.Param) -> frozenset[str] | None:
    """`Literal["a", "b"]` (or `typing.Literal`): its strings."""
    annotation = param.annotation.annotation if param.annotation is not None else None
    if not isinstance(annotation, cst.Subscript):
        return None
    if (dotted_name(annotation.value) or "").rsplit(".", 1)[-1] != "Literal":
        return None
    values = []
    for element in annotation.slice:
        index = element.slice
        value = _string(index.value) if isinstance(index, cst.Index) else None
        if value is None:
            return None
        values.append(value)
    return frozenset(values) or None


@dataclass
class _Uses:
    """The calls of function `name` in a module, and whether it is named otherwise."""

    name: str
    calls: list[cst.Call] = field(default_factory=list)
    other: bool = False

    def search(self, module: cst.Module, kinds: KindIndex) -> None:
        """Parents before children, in the subtrees spelling the name only."""
        bit = name_bit(self.name)
        callees: set[cst.CSTNode] = set()
        pending: list[cst.CSTNode] = list(module.body)
        while pending:
            node = pending.pop()
            if not kinds.mask(node) & bit:
                continue
            if isinstance(node, cst.Call) and self._spells(node.func):
                self.calls.append(node)
                callees.add(node.func)
            elif isinstance(node, cst.FunctionDef) and self._spells(node.name):
                callees.add(node.name)
            elif self._spells(node) and node not in callees:
                self.other = True
            add_children(node, pending)

    def _spells(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value == self.name


def _called_with(function: cst.FunctionDef, module: cst.Module, kinds: KindIndex) -> Keys:
    """The parameters every call of `function` in `module` gives a string literal."""
    uses = _Uses(function.name.value)
    uses.search(module, kinds)
    if uses.other or not uses.calls:
        return {}
    params = function.params
    positional = [*params.posonly_params, *params.params]
    found: Keys = {}
    for index, param in enumerate([*positional, *params.kwonly_params]):
        name = param.name.value
        values: set[str] = set()
        for call in uses.calls:
            given = [a for a in call.args if a.keyword is not None and a.keyword.value == name]
            if index < len(positional):
                plain = [a for a in call.args if a.keyword is None and not a.star]
                given += plain[index : index + 1]
            if any(a.star for a in call.args):
                break
            value = _string(given[0].value) if given else _string(param.default)
            if value is None:
                break
            values.add(value)
        else:
            found[name] = frozenset(values)
    return found


def literal_keys(
    function: cst.FunctionDef, module: cst.Module | None = None, kinds: KindIndex | None = None
) -> Keys:
    """The names of `function` holding one of a known set of strings (see the module); `kinds`:
    the masks of `module`'s subtrees, when the caller keeps them."""
    assigned = _Assigned()
    for statement in function.body.body:
        in_order(statement, assigned, kinds)
    params = function.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    found: Keys = {}
    for param in every:
        written = _literal_annotation(param)
        if written is not None:
            found[param.name.value] = written
    if module is not None:
        found = {**_called_with(function, module, kinds or KindIndex()), **found}
    found = {name: values for name, values in found.items() if name not in assigned.values}
    parameters = {p.name.value for p in every}
    for name, values in assigned.values.items():
        if values and name not in parameters:
            found[name] = frozenset(values)
    return found
