"""Django's `F()` in the values of a queryset's `update()` -> the SQLAlchemy column it names.

    Choice.objects.filter(pk=pk).update(votes=F("votes") + 1)
->  update_rows(session, select(tables.Choice).where(tables.Choice.id == pk),
                votes=tables.Choice.votes + 1)

Both run one `UPDATE ... SET votes = votes + 1`: the database adds, so concurrent requests lose
no increment. Only `+`, `-` and `*` of `F("field")` of the model itself, numbers and the view's
own names convert; `/` stays on Django's ORM (SQLAlchemy 2.0 divides integers as true
division, Django's SQL as the database does), as do `F("rel__field")`, `F()` inside another
expression (`Coalesce`, `Value`, ...) and `F()` outside `update()`.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.engine.walk import in_order

OPERATORS: dict[type[cst.BaseBinaryOp], str] = {
    cst.Add: "+",
    cst.Subtract: "-",
    cst.Multiply: "*",
}


class NotAColumnExpression(Exception):
    """The value uses `F()` in a way this module does not convert."""


def _source(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def is_f(node: cst.BaseExpression) -> bool:
    """A call of Django's `F` (`F(...)` or `models.F(...)`)."""
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    return (isinstance(func, cst.Name) and func.value == "F") or (
        isinstance(func, cst.Attribute) and func.attr.value == "F"
    )


def contains_f(node: cst.CSTNode) -> bool:
    class Finder(cst.CSTVisitor):
        found = False

        def visit_Call(self, call: cst.Call) -> bool:
            if is_f(call):
                self.found = True
            return not self.found

    finder = Finder()
    in_order(node, finder)
    return finder.found


def _field(call: cst.Call) -> str:
    if len(call.args) != 1 or call.args[0].keyword is not None:
        raise NotAColumnExpression(f"{_source(call)}: F() takes one field name")
    value = call.args[0].value
    name = value.evaluated_value if isinstance(value, cst.SimpleString) else None
    if not isinstance(name, str) or not name.isidentifier() or "__" in name:
        raise NotAColumnExpression(f"{_source(call)}: only a field of the model itself")
    return name


def column_expression(node: cst.BaseExpression, column: Callable[[str], str]) -> str:
    """The SQLAlchemy code of an update value holding `F()`; `column(field)` spells a column
    (`tables.Choice.votes`)."""
    if node.lpar:
        return f"({column_expression(node.with_changes(lpar=[], rpar=[]), column)})"
    if is_f(node):
        assert isinstance(node, cst.Call)
        return column(_field(node))
    if isinstance(node, cst.BinaryOperation):
        operator = OPERATORS.get(type(node.operator))
        if operator is None:
            raise NotAColumnExpression(f"{_source(node)}: only +, - and * of F() convert")
        left = column_expression(node.left, column)
        right = column_expression(node.right, column)
        return f"{left} {operator} {right}"
    if isinstance(node, cst.Integer | cst.Float | cst.Name | cst.Attribute):
        if contains_f(node):
            raise NotAColumnExpression(f"{_source(node)}: F() inside another expression")
        return _source(node)
    raise NotAColumnExpression(f"{_source(node)}: F() inside another expression")
