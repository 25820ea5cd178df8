"""A model's own `save()` that queries, as a twin the session runs (model_methods.py translates
its queries):

    def save(self, *args, **kwargs):
        if self.default:
            with transaction.atomic():
                DatabaseConnection.objects.filter(default=True).update(default=False)
        super().save(*args, **kwargs)

becomes, on the generated class,

    def save_with_session(self, *args, session: Session, **kwargs):
        if self.default:
            update_rows(session, select(DatabaseConnection).where(...), default=False)
        write_row(session, self)

The parent's `save()` must be the last statement, called once; it becomes the row's write
(`write_row`, runtime instances.py, which writes every column, as Django's save does). A
`with transaction.atomic():` holding one statement is that statement (the runtime commits each
write, as Django's autocommit does; one statement is its own transaction). The runtime's
`save(session, row)` runs the twin before the row's pending changes reach the database, so its
queries see the table as Django's do (the row not yet written).
"""

from __future__ import annotations

import libcst as cst

WRITE = ("codemods.runtime.django.instances", "write_row")
ATOMIC = frozenset({"transaction.atomic", "atomic"})


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def is_parent_save(statement: cst.BaseStatement) -> bool:
    """`super().save(...)` / `super(Model, self).save(...)` as a statement of its own."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expression = statement.body[0]
    if not isinstance(expression, cst.Expr) or not isinstance(expression.value, cst.Call):
        return False
    func = expression.value.func
    return (
        isinstance(func, cst.Attribute)
        and func.attr.value == "save"
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
    )


class _Unwrapped(cst.CSTTransformer):
    """`with transaction.atomic():` holding one statement -> that statement; `refused` names
    what else the body holds that the twin cannot keep."""

    def __init__(self) -> None:
        self.refused = ""

    def leave_With(
        self, original_node: cst.With, updated_node: cst.With
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        items = updated_node.items
        atomic = (
            len(items) == 1
            and items[0].asname is None
            and isinstance(items[0].item, cst.Call)
            and _code(items[0].item.func) in ATOMIC
            and not items[0].item.args
        )
        if not atomic:
            return updated_node
        body = updated_node.body
        statements = list(body.body) if isinstance(body, cst.IndentedBlock) else [body]
        if len(statements) != 1 or not isinstance(statements[0], cst.BaseStatement):
            self.refused = "a transaction.atomic() block of more than one statement"
            return updated_node
        return cst.FlattenSentinel([statements[0].with_changes(leading_lines=[])])

    def visit_Call(self, node: cst.Call) -> None:
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "save"
            and isinstance(node.func.value, cst.Call)
            and _code(node.func.value.func) == "super"
        ):
            self.refused = "it calls the parent's save() other than once, last"


def save_body(function: cst.FunctionDef) -> tuple[cst.FunctionDef | None, str]:
    """The model's `save` without its last statement, the parent's save, and with its one-statement
    `transaction.atomic()` blocks unwrapped, for its queries to be translated; or None and why
    the twin cannot run it."""
    body = function.body
    statements = list(body.body) if isinstance(body, cst.IndentedBlock) else []
    if not statements or not is_parent_save(statements[-1]):
        return None, "its last statement is not the parent's save()"
    stripped = function.with_changes(body=body.with_changes(body=statements[:-1] or [_PASS]))
    unwrapping = _Unwrapped()
    unwrapped = stripped.visit(unwrapping)
    if unwrapping.refused:
        return None, unwrapping.refused
    assert isinstance(unwrapped, cst.FunctionDef)
    return unwrapped, ""


_PASS = cst.SimpleStatementLine(body=[cst.Pass()])


def with_write(function: cst.FunctionDef) -> cst.FunctionDef:
    """The twin ending in the row's write, where the legacy save called its parent's."""
    write = cst.parse_statement("write_row(session, self)\n")
    body = function.body
    assert isinstance(body, cst.IndentedBlock)
    kept = [s for s in body.body if not _is_pass(s)]
    return function.with_changes(body=body.with_changes(body=[*kept, write]))


def _is_pass(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Pass)
    )
