"""Small libcst edits several rules need: parameters, annotations, statement blocks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

import libcst as cst

from codemods.engine.kinds import LEAF_BITS, add_children


@lru_cache(maxsize=4096)
def expr(code: str) -> cst.BaseExpression:
    """The expression `code` parsed. Rules ask for the same few texts many times, and parsing
    costs more than all their other work on a node: the same (immutable) node is handed out again,
    so it may stand at several places of a tree (nothing here keys data by the identity of an
    expression node)."""
    return cst.parse_expression(code)


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


def param_names(params: cst.Parameters) -> set[str]:
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    names = {p.name.value for p in every}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names


def add_keyword_params(
    function: cst.FunctionDef, additions: Sequence[tuple[str, str, str | None]]
) -> cst.FunctionDef:
    """Append keyword-only parameters `(name, annotation, default)` that are not there yet."""
    params = function.params
    present = param_names(params)
    new = [
        cst.Param(
            name=cst.Name(name),
            annotation=cst.Annotation(expr(annotation)),
            default=expr(default) if default is not None else None,
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(" "),
                whitespace_after=cst.SimpleWhitespace(" "),
            )
            if default is not None
            else cst.MaybeSentinel.DEFAULT,
        )
        for name, annotation, default in additions
        if name not in present
    ]
    if not new:
        return function
    # Parameters without a default first: keyword-only ones may come in any order, but it reads
    # better this way.
    new.sort(key=lambda p: p.default is not None)
    star_arg = params.star_arg
    if isinstance(star_arg, cst.MaybeSentinel):
        star_arg = cst.ParamStar()
    return function.with_changes(
        params=params.with_changes(star_arg=star_arg, kwonly_params=[*params.kwonly_params, *new])
    )


def annotate_params(function: cst.FunctionDef, types: dict[str, str]) -> cst.FunctionDef:
    """Give the named parameters an annotation where they have none."""
    changed = [
        p.with_changes(annotation=cst.Annotation(expr(types[p.name.value])))
        if p.name.value in types and p.annotation is None
        else p
        for p in function.params.params
    ]
    return function.with_changes(params=function.params.with_changes(params=changed))


def block_statements(body: cst.BaseSuite) -> list[cst.BaseStatement]:
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    assert isinstance(body, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(body=body.body)]


def non_empty(statements: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    return statements or [cst.SimpleStatementLine(body=[cst.Pass()])]


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


def without_imported_names(
    body: Sequence[cst.BaseStatement], module: str, names: set[str]
) -> list[cst.BaseStatement]:
    """Remove `names` from every `from module import ...` (the whole import when none is left)."""
    result: list[cst.BaseStatement] = []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and "." * len(small.relative) + name_code(small.module) == module
                and not isinstance(small.names, cst.ImportStar)
            ):
                kept = [
                    a
                    for a in small.names
                    if a.asname is not None
                    or not isinstance(a.name, cst.Name)
                    or a.name.value not in names
                ]
                if not kept:
                    continue
                if len(kept) != len(small.names):
                    kept = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
                    small = small.with_changes(names=kept, lpar=None, rpar=None)
                    statement = statement.with_changes(body=[small])
        result.append(statement)
    return result


def with_commented_out(
    body: Sequence[cst.BaseStatement], marked: dict[int, str], module: cst.Module
) -> list[cst.BaseStatement]:
    """Replace the statements whose id is in `marked` by TODO comments carrying their code."""
    from codemods.engine.rule import commented_out

    result: list[cst.BaseStatement] = []
    pending: list[cst.EmptyLine] = []
    for statement in body:
        reason = marked.get(id(statement))
        if reason is not None:
            pending.extend(getattr(statement, "leading_lines", ()))
            pending.extend(commented_out(statement, reason, module))
            continue
        if pending:
            leading = getattr(statement, "leading_lines", ())
            statement = statement.with_changes(leading_lines=[*pending, *leading])
            pending = []
        result.append(statement)
    if pending:
        result.append(cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=pending))
    return result


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """`name=value` spelled without spaces around `=`."""
    return cst.Arg(
        value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
