"""The `# TODO(strangler): reason` comments rules leave where a person must finish the port."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods.engine.findings import TODO_PREFIX


def todo_line(reason: str) -> cst.EmptyLine:
    return cst.EmptyLine(comment=cst.Comment(f"# {TODO_PREFIX} {reason}"))


def with_todo_comments(
    node: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode],
    reasons: Sequence[str],
) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
    """Prepend one TODO comment per reason to a statement (the first one of a flattened result)."""
    if isinstance(node, cst.FlattenSentinel):
        nodes = list(node.nodes)
        if not nodes:
            return node
        first = with_todo_comments(nodes[0], reasons)
        assert isinstance(first, cst.CSTNode)
        return cst.FlattenSentinel([first, *nodes[1:]])
    if isinstance(node, cst.RemovalSentinel):
        return node
    leading = getattr(node, "leading_lines", None)
    if leading is None:
        return node
    existing = {line.comment.value for line in leading if line.comment is not None}
    added = [todo_line(r) for r in reasons if f"# {TODO_PREFIX} {r}" not in existing]
    return node.with_changes(leading_lines=[*leading, *added])


def commented_out(
    statement: cst.BaseStatement, reason: str, module: cst.Module | None = None
) -> list[cst.EmptyLine]:
    """Comment lines that stand for a statement a person must port by hand."""
    code = (module or cst.Module(body=[])).code_for_node(statement).strip("\n")
    lines = [todo_line(reason)]
    for text in code.splitlines():
        if text.strip():
            lines.append(cst.EmptyLine(comment=cst.Comment(f"# {text.strip()}")))
    return lines


def with_commented_out(
    body: Sequence[cst.BaseStatement], marked: dict[int, str], module: cst.Module
) -> list[cst.BaseStatement]:
    """Replace the statements whose id is in `marked` by TODO comments carrying their code."""
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
