"""A model's own `save()` that a generated row can run as Django runs it, read with `ast`:

    def save(self, **kwargs):
        if self.completed:
            self.completed_date = datetime.datetime.now()
        super(Task, self).save()

Its body sets the row's own fields (from values that query nothing) and ends by calling the
parent's `save()` once: the models rule keeps it on the generated class, built on the runtime's
`RowSave` (`codemods/runtime/django/instances.py`), whose `save()` writes the row on its session,
so the runtime's `save(session, task)` runs the model's code, then writes. Anything else (another
call, a loop, a read of a relation or a manager, `delete()` of its own) keeps the model's
`save()`/`delete()` Django's: the views saving such rows stay on the ORM.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

ROW_SAVE = "RowSave"
RELATION_FIELDS = frozenset({"ManyToManyField", "OneToOneField"})
INSTANCES = "codemods.runtime.django.instances"
# calls a plain save may make besides the parent's save(): the current time (`now()`:
# django.utils.timezone's, imported by name)
TIME_CALLS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.now",
        "timezone.now",
        "now",
        "datetime.date.today",
        "date.today",
    }
)


def _is_parent_save(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    func = statement.value.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "save"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def _plain_value(node: ast.expr, fields: frozenset[str]) -> bool:
    """A value read from the row's own columns, constants and the current time."""
    for item in ast.walk(node):
        if isinstance(item, ast.Call) and ast.unparse(item.func) not in TIME_CALLS:
            return False
        if (
            isinstance(item, ast.Attribute)
            and isinstance(item.value, ast.Name)
            and item.value.id == "self"
            and item.attr not in fields
        ):
            return False
        if isinstance(item, ast.Lambda | ast.comprehension | ast.NamedExpr | ast.Await):
            return False
    return True


def _plain_block(body: list[ast.stmt], fields: frozenset[str]) -> bool:
    for statement in body:
        if isinstance(statement, ast.Assign):
            targets_plain = all(
                isinstance(t, ast.Attribute)
                and isinstance(t.value, ast.Name)
                and t.value.id == "self"
                and t.attr in fields
                for t in statement.targets
            )
            if not (targets_plain and _plain_value(statement.value, fields)):
                return False
        elif isinstance(statement, ast.If):
            if not (
                _plain_value(statement.test, fields)
                and _plain_block(statement.body, fields)
                and _plain_block(statement.orelse, fields)
            ):
                return False
        elif not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
            return False  # a docstring is the only other statement
    return True


def plain_save(function: ast.FunctionDef, fields: frozenset[str]) -> bool:
    """`function` (a model's `save`) only sets the row's `fields` from values that query
    nothing, then calls the parent's `save()` once, as its last statement."""
    body = function.body
    if not body or not _is_parent_save(body[-1]):
        return False
    return _plain_block(body[:-1], fields)


def field_assignments(node: ast.ClassDef) -> Iterator[tuple[str, str]]:
    """(name, field class) of each `name = models.SomeField(...)` of the model's body."""
    for item in node.body:
        if (
            isinstance(item, ast.Assign)
            and len(item.targets) == 1
            and isinstance(item.targets[0], ast.Name)
            and isinstance(item.value, ast.Call)
        ):
            yield item.targets[0].id, ast.unparse(item.value.func).rsplit(".", 1)[-1]


def model_fields(node: ast.ClassDef) -> frozenset[str]:
    """The names the model's body assigns a field (`completed = models.BooleanField(...)`)."""
    return frozenset(
        name
        for name, kind in field_assignments(node)
        if kind.endswith("Field") and kind not in RELATION_FIELDS
    )


def own_save(node: ast.ClassDef) -> ast.FunctionDef | None:
    return next((i for i in node.body if isinstance(i, ast.FunctionDef) and i.name == "save"), None)


def runs_on_rows(node: ast.ClassDef) -> bool:
    """The model defines its own `save()` and a generated row can run it (`plain_save`, or
    `stored_save` once rewritten)."""
    from codemods.django.stored_save import stored_save  # it builds on this module

    save = own_save(node)
    return save is not None and (plain_save(save, model_fields(node)) or stored_save(save, node))
