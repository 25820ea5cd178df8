"""The SQL of a Django `CheckConstraint`'s condition, for SQLAlchemy's `CheckConstraint`: a `Q` of
field lookups on literals or `F()` of other fields, combined with `&`, `|` and `~`.

    Q(price__gte=0) & ~Q(code="")      ->  (price >= 0) AND NOT (code = '')
    Q(end__gt=F("start"))              ->  "end" > "start"

Anything else (other lookups, expressions, function calls) is None: the constraint is then
reported rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.engine.nodes import dotted_name, string_value

OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
Columns = Callable[[str], str]  # a field name -> its column


def condition_sql(node: cst.BaseExpression, column: Columns) -> str | None:
    """The SQL of a condition, with each field named by its column (`column`)."""
    if isinstance(node, cst.BinaryOperation):
        joiner = {cst.BitAnd: "AND", cst.BitOr: "OR"}.get(type(node.operator))
        left, right = condition_sql(node.left, column), condition_sql(node.right, column)
        if joiner is None or left is None or right is None:
            return None
        return f"({left}) {joiner} ({right})"
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.BitInvert):
        inner = condition_sql(node.expression, column)
        return None if inner is None else f"NOT ({inner})"
    if isinstance(node, cst.Call) and _last(node.func) == "Q":
        if any(a.keyword is None for a in node.args) or not node.args:
            return None
        terms = [_lookup(a.keyword.value, a.value, column) for a in node.args if a.keyword]
        if any(t is None for t in terms):
            return None
        return " AND ".join(f"({t})" if len(terms) > 1 else str(t) for t in terms)
    return None


def _lookup(key: str, value: cst.BaseExpression, column: Columns) -> str | None:
    field, _, lookup = key.partition("__")
    if "__" in lookup:  # a lookup across a relation
        return None
    name = f'"{column(field)}"'
    if lookup == "isnull":
        if not isinstance(value, cst.Name) or value.value not in ("True", "False"):
            return None
        return f"{name} IS NULL" if value.value == "True" else f"{name} IS NOT NULL"
    if lookup == "in":
        if not isinstance(value, cst.List | cst.Tuple) or not value.elements:
            return None
        items = [_literal(e.value, column) for e in value.elements]
        if any(i is None for i in items):
            return None
        return f"{name} IN ({', '.join(str(i) for i in items)})"
    operator = OPERATORS.get(lookup or "exact")
    literal = _literal(value, column)
    if operator is None or literal is None:
        return None
    return f"{name} {operator} {literal}"


def _literal(node: cst.BaseExpression, column: Columns) -> str | None:
    """SQL for a number, a string, a boolean or `F("field")`."""
    text = string_value(node)
    if text is not None:
        return "'" + text.replace("'", "''") + "'"
    if isinstance(node, cst.Integer | cst.Float):
        return node.value
    if (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, cst.Integer | cst.Float)
    ):
        return "-" + node.expression.value
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value.upper()
    if isinstance(node, cst.Call) and _last(node.func) == "F" and len(node.args) == 1:
        field = string_value(node.args[0].value)
        return None if field is None or "__" in field else f'"{column(field)}"'
    return None


def _last(node: cst.BaseExpression) -> str:
    return (dotted_name(node) or "").rsplit(".", 1)[-1]
