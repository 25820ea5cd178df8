"""Small libcst edits several rules need: parameters, annotations, statement blocks."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import libcst as cst

from codemods.engine.nodes import name_code, param_names


@lru_cache(maxsize=4096)
def expr(code: str) -> cst.BaseExpression:
    """The expression `code` parsed. Rules ask for the same few texts many times, and parsing
    costs more than all their other work on a node: the same (immutable) node is handed out again,
    so it may stand at several places of a tree (nothing here keys data by the identity of an
    expression node)."""
    return cst.parse_expression(code)


def string_like(value: str, like: cst.BaseExpression) -> cst.SimpleString:
    """A string literal of `value` quoted as `like` (a string literal) is: valid where `like` was,
    inside an f-string quoted with the other quote character (Python before 3.12)."""
    quote = like.quote if isinstance(like, cst.SimpleString) else '"'
    if quote not in ('"', "'") or quote in value or "\\" in value or "\n" in value:
        return cst.SimpleString(repr(value))
    return cst.SimpleString(f"{quote}{value}{quote}")


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


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """`name=value` spelled without spaces around `=`."""
    return cst.Arg(
        value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def with_last_arg(args: Sequence[cst.Arg], arg: cst.Arg) -> list[cst.Arg]:
    """`args` with `arg` after them (the previous last one given its `, `)."""
    found = list(args)
    if found:
        found[-1] = found[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
    return [*found, arg]
