"""Reading libcst nodes: dotted names, literals, call arguments, parameters, descendants."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from codemods.engine.kinds import LEAF_BITS, add_children


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, otherwise None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        owner = dotted_name(node.value)
        return f"{owner}.{node.attr.value}" if owner else None
    return None


def name_code(node: cst.BaseExpression) -> str:
    """`cst.Module(body=[]).code_for_node(node)` for the dotted name of an import (`a.b.c`),
    without a code generator when it holds no parenthesis nor space."""
    if type(node) is cst.Name:
        if not node.lpar and not node.rpar:
            return node.value
    elif type(node) is cst.Attribute:
        dot = node.dot
        if (
            not node.lpar
            and not node.rpar
            and not node.attr.lpar
            and not node.attr.rpar
            and type(dot.whitespace_before) is cst.SimpleWhitespace
            and type(dot.whitespace_after) is cst.SimpleWhitespace
            and not dot.whitespace_before.value
            and not dot.whitespace_after.value
        ):
            return f"{name_code(node.value)}.{node.attr.value}"
    return cst.Module(body=[]).code_for_node(node)


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain string literal (no f-string), otherwise None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        joined = node.evaluated_value
        return joined if isinstance(joined, str) else None
    return None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call, index: int) -> cst.Arg | None:
    args = [a for a in call.args if a.keyword is None and not a.star]
    return args[index] if index < len(args) else None


def param_names(params: cst.Parameters) -> set[str]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    names = {p.name.value for p in every}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names


def descendants(root: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`root` and every node below it (a read-only search, no tree rebuilt)."""
    pending = [root]
    while pending:
        node = pending.pop()
        yield node
        if type(node) not in LEAF_BITS:
            add_children(node, pending)


def uses_name(node: cst.CSTNode, name: str) -> bool:
    """Whether `name` is read anywhere under `node` (a plain syntactic check: not as an attribute
    of something else, nor as a parameter)."""
    pending = [node]
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind is cst.Name:
            if node.value == name:  # type: ignore[attr-defined]
                return True
        elif kind is cst.Attribute:
            pending.append(node.value)  # type: ignore[attr-defined]
        elif kind is not cst.Param and kind not in LEAF_BITS:
            add_children(node, pending)
    return False


def called_names(function: cst.FunctionDef) -> set[str]:
    """The plain names the function's body calls (`helper()`, not `obj.method()`)."""
    return {
        node.func.value
        for node in descendants(function.body)
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name)
    }


def name_assignment(statement: cst.CSTNode) -> tuple[str, cst.BaseExpression] | None:
    """`(name, value)` for a statement line that is one plain `name = value`, else None."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if isinstance(target, cst.Name):
                return target.value, small.value
    return None


# The node types that bind a name, and the field holding it (`Name` when it is a plain name).
_BINDERS: dict[type[cst.CSTNode], str] = {
    cst.Param: "name",
    cst.NameItem: "name",
    cst.AsName: "name",
    cst.AssignTarget: "target",
    cst.For: "target",
    cst.AnnAssign: "target",
    cst.AugAssign: "target",
}


def binds_name(function: cst.FunctionDef, name: str) -> bool:
    """Whether the function has its own `name` (a parameter, an assignment, a loop or `with`
    target, a `global`/`nonlocal` declaration)."""
    binders, plain = _BINDERS, cst.Name
    pending: list[cst.CSTNode] = [function]
    while pending:
        node = pending.pop()
        kind = type(node)
        field = binders.get(kind)
        if field is not None:
            bound = getattr(node, field)
            if type(bound) is plain and bound.value == name:
                return True
        if kind not in LEAF_BITS:
            add_children(node, pending)
    return False
