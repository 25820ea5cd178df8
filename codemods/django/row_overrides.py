"""A generic view's own override of a method that handles its object (`delete`, `post`, ...)
that SQLAlchemy rows can still run: it looks its object up with `self.get_object()`, reads it
only for what the generated row has as Django's instance has it (a column, a kept method or
property of the model that queries nothing: template_reads.ModelFacts), touches no other ORM,
and ends handing on to Django's method, `return super().delete(request, *args, **kwargs)`, which
the row mixin (generic.SelectedDeletion) answers on the session. django-sql-explorer's
`DatabaseConnectionDeleteView`:

    def delete(self, request, *args, **kwargs):
        connection = self.get_object()
        if connection.is_upload:
            delete_from_s3(connection.host)
        return super().delete(request, *args, **kwargs)

Anything else (the object passed whole to a function, a method of it that queries or writes,
`self.object`, a model or manager named, no `super()` call last) keeps the view's objects
Django's, with the reason.
"""

from __future__ import annotations

import ast
from typing import Any

from codemods.django.template_reads import QUERY_METHODS


def _super_call(statement: ast.stmt, method: str) -> bool:
    """`return super().<method>(...)`."""
    if not isinstance(statement, ast.Return) or not isinstance(statement.value, ast.Call):
        return False
    func = statement.value.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == method
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
        and not func.value.args
    )


def _object_names(body: list[ast.stmt]) -> set[str]:
    """The names `name = self.get_object()` binds at the top of the body."""
    found = set()
    for statement in body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and ast.unparse(statement.value) == "self.get_object()"
        ):
            found.add(statement.targets[0].id)
    return found


def override_problem(
    function: ast.FunctionDef, models: frozenset[str], facts: Any | None
) -> str | None:
    """Why the override `function` keeps Django's objects (None: rows can run it); `facts`: the
    ModelFacts of the view's model (None: not known)."""
    method = function.name
    why = f"{method}() is overridden: it may use the objects as Django's"
    body = function.body
    if facts is None or not body or not _super_call(body[-1], method):
        return why
    rows = _object_names(body[:-1])
    last = body[-1]
    assert isinstance(last, ast.Return) and isinstance(last.value, ast.Call)
    given = [*last.value.args, *(k.value for k in last.value.keywords)]
    if any(isinstance(n, ast.Name) and n.id in rows for a in given for n in ast.walk(a)):
        return why  # the row handed on to Django's method
    parents = {
        id(child): node for statement in body[:-1] for node in ast.walk(statement)
        for child in ast.iter_child_nodes(node)
    }  # fmt: skip
    readable = facts.columns | facts.methods
    for statement in body[:-1]:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id in models:
                return why
            if isinstance(node, ast.Attribute) and (
                node.attr in {"objects", "object", "object_list"}
                or (node.attr in QUERY_METHODS and node.attr != "get")
            ):
                return why
            if isinstance(node, ast.Name) and node.id in rows and isinstance(node.ctx, ast.Load):
                read = parents.get(id(node))
                if not isinstance(read, ast.Attribute) or read.attr not in readable:
                    return f"{method}() is overridden: it reads {ast.unparse(read or node)}"
                called = parents.get(id(read))
                if (
                    isinstance(called, ast.Call)
                    and called.func is read
                    and read.attr not in facts.methods
                ):
                    return f"{method}() is overridden: it calls {ast.unparse(called)}"
    return None
