"""A model's own `save()` that compares the row with the row as stored before writing it
(django-newsletter's `Subscription.save`), read with `ast`, rewritten with libcst:

    def save(self, *args, **kwargs):
        assert self.user or self.email_field, _('Neither an email nor a username is set.')
        if self.pk:
            assert(Subscription.objects.filter(pk=self.pk).count() == 1)
            subscription = Subscription.objects.get(pk=self.pk)
            old_subscribed = subscription.subscribed
            if self.subscribed and not old_subscribed:
                self._subscribe()
        else:
            if self.subscribed:
                self._subscribe()
        super().save(*args, **kwargs)

Besides what a plain save does (own_save.py), it may assert, log, bind locals, test a foreign
key for truth (`self.user`: the row has its key, `self.user_id is not None`), call methods of
its model that only set fields and log (`self._subscribe()`), and read the stored row by its
primary key: `Model.objects.get(pk=self.pk)` and `Model.objects.filter(pk=self.pk).count()`
become the runtime's `stored_row(self)` and `stored_count(self)` (instances.py), which read the
database on the row's session without flushing the row's pending changes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from codemods.django.own_save import (
    _is_parent_save,
    _plain_value,
    field_assignments,
    model_fields,
)

STORED_ROW = "stored_row"
STORED_COUNT = "stored_count"
LOGGER = "logger"
# what an assertion's message may call: the translation functions, given literals
MESSAGE_CALLS = frozenset({"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy"})


@dataclass(frozen=True)
class Model:
    name: str
    fields: frozenset[str]  # columns
    keys: frozenset[str]  # foreign keys (their column is `<key>_id`)
    helpers: frozenset[str]  # methods that only set fields and log


def foreign_keys(node: ast.ClassDef) -> frozenset[str]:
    return frozenset(name for name, kind in field_assignments(node) if kind == "ForeignKey")


def _stored_read(node: ast.expr, model: str) -> str | None:
    """`Model.objects.get(pk=self.pk)` -> stored_row, `...filter(pk=self.pk).count()` ->
    stored_count, else None."""
    if not (isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute)):
        return None
    if node.func.attr == "count" and not node.keywords:
        inner = node.func.value
        if isinstance(inner, ast.Call) and _by_own_pk(inner, model, "filter"):
            return STORED_COUNT
        return None
    return STORED_ROW if _by_own_pk(node, model, "get") else None


def _by_own_pk(node: ast.Call, model: str, method: str) -> bool:
    return (
        not node.args
        and len(node.keywords) == 1
        and node.keywords[0].arg == "pk"
        and ast.unparse(node.keywords[0].value) == "self.pk"
        and ast.unparse(node.func) == f"{model}.objects.{method}"
    )


def _logging(statement: ast.stmt) -> bool:
    """`logger.debug("...", self)`: a call of the module's logger given no calls."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    return (
        isinstance(call.func, ast.Attribute)
        and ast.unparse(call.func.value) == LOGGER
        and not any(isinstance(n, ast.Call) for a in call.args for n in ast.walk(a))
        and not any(isinstance(n, ast.Call) for k in call.keywords for n in ast.walk(k.value))
    )


def _helper(function: ast.FunctionDef, fields: frozenset[str]) -> bool:
    """A method taking only `self` whose body sets fields from plain values and logs."""
    if [a.arg for a in function.args.args] != ["self"] or function.decorator_list:
        return False
    for statement in function.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if _logging(statement):
            continue
        if not (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and _own(statement.targets[0], fields)
            and _plain_value(statement.value, fields)
        ):
            return False
    return True


def _own(target: ast.expr, names: frozenset[str]) -> bool:
    return (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
        and target.attr in names
    )


def _message(node: ast.expr | None) -> bool:
    if node is None:
        return True
    for item in ast.walk(node):
        if isinstance(item, ast.Call):
            if not (
                isinstance(item.func, ast.Name)
                and item.func.id in MESSAGE_CALLS
                and all(isinstance(a, ast.Constant) for a in item.args)
                and not item.keywords
            ):
                return False
        elif isinstance(item, ast.Attribute | ast.Lambda | ast.NamedExpr | ast.Await):
            return False
    return True


def _test(node: ast.expr, model: Model, stored: set[str]) -> bool:
    """A condition reading the row's columns, keys (for truth), pk, locals and stored counts."""
    pending: list[ast.AST] = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, ast.Call):
            if _stored_read(item, model.name) != STORED_COUNT:
                return False
            continue
        if isinstance(item, ast.Attribute):
            if not (
                isinstance(item.value, ast.Name)
                and (
                    (item.value.id == "self" and item.attr in model.fields | model.keys | {"pk"})
                    or (item.value.id in stored and item.attr in model.fields)
                )
            ):
                return False
            continue
        if isinstance(item, ast.Lambda | ast.comprehension | ast.NamedExpr | ast.Await):
            return False
        pending.extend(ast.iter_child_nodes(item))
    return True


def _block(body: list[ast.stmt], model: Model, stored: set[str]) -> bool:
    for statement in body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if _logging(statement):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            if call.args or call.keywords or not _own(call.func, model.helpers):
                return False
        elif isinstance(statement, ast.Assert):
            if not (_test(statement.test, model, stored) and _message(statement.msg)):
                return False
        elif isinstance(statement, ast.If):
            if not (
                _test(statement.test, model, stored)
                and _block(statement.body, model, stored)
                and _block(statement.orelse, model, stored)
            ):
                return False
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
            if _own(target, model.fields):
                if not _plain_value(value, model.fields):
                    return False
            elif isinstance(target, ast.Name):
                if _stored_read(value, model.name) == STORED_ROW:
                    stored.add(target.id)
                elif not (
                    isinstance(value, ast.Attribute)
                    and isinstance(value.value, ast.Name)
                    and value.value.id in stored
                    and value.attr in model.fields
                ):
                    return False
            else:
                return False
        else:
            return False
    return True


def model_of(node: ast.ClassDef) -> Model:
    fields = model_fields(node)
    helpers = frozenset(
        item.name
        for item in node.body
        if isinstance(item, ast.FunctionDef) and item.name != "save" and _helper(item, fields)
    )
    return Model(node.name, fields, foreign_keys(node), helpers)


def stored_save(function: ast.FunctionDef, node: ast.ClassDef) -> bool:
    """`function` (the model `node`'s `save`) runs on its generated row once rewritten: what it
    reads is the row, its stored twin by primary key and plain values, and it ends by calling
    the parent's `save()` once."""
    body = function.body
    if not body or not _is_parent_save(body[-1]):
        return False
    return _block(body[:-1], model_of(node), set())


class _Rewrite(cst.CSTTransformer):
    def __init__(self, model: Model) -> None:
        self.model = model

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        code = cst.Module(body=[]).code_for_node(original)
        read = _stored_read(ast.parse(code, mode="eval").body, self.model.name)
        if read is None:
            return updated
        return cst.parse_expression(f"{read}(self)")

    def leave_Attribute(
        self, original: cst.Attribute, updated: cst.Attribute
    ) -> cst.BaseExpression:
        if (
            isinstance(original.value, cst.Name)
            and original.value.value == "self"
            and original.attr.value in self.model.keys
        ):
            return cst.parse_expression(f"(self.{original.attr.value}_id is not None)")
        return updated


def rewritten(function: cst.FunctionDef, node: ast.ClassDef) -> cst.FunctionDef:
    """The save kept on the generated row: its stored reads on the runtime, its keys' truth
    read from their columns."""
    result = function.visit(_Rewrite(model_of(node)))
    assert isinstance(result, cst.FunctionDef)
    return result
