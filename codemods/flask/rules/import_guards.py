"""Guarded framework imports are unwrapped, so the rules after this one see them as the plain
module-level imports they convert:

    try:                                         from flask import Flask, request
        from flask import Flask, request    ->
    except ImportError:
        raise RuntimeError("pip install flask")

Only a module-level `try` whose body is nothing but imports, one of them from Flask or a Flask
extension, and whose every handler catches `ImportError` (or `ModuleNotFoundError`) and only
raises: the guard then only changed the error a missing package raises.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule

GUARDED_ERRORS = {"ImportError", "ModuleNotFoundError"}


def is_flask_import(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
            module = dotted_name(small.module) or ""
        elif isinstance(small, cst.Import):
            module = " ".join(dotted_name(alias.name) or "" for alias in small.names)
        else:
            continue
        if any(name == "flask" or name.startswith(("flask.", "flask_")) for name in module.split()):
            return True
    return False


def only_imports(statements: list[cst.BaseStatement]) -> bool:
    return all(
        isinstance(s, cst.SimpleStatementLine)
        and all(isinstance(small, cst.Import | cst.ImportFrom) for small in s.body)
        for s in statements
    )


def only_raises_on_import_error(handler: cst.ExceptHandler) -> bool:
    caught = handler.type
    names = (
        [dotted_name(e.value) for e in caught.elements]
        if isinstance(caught, cst.Tuple)
        else [dotted_name(caught)]
        if caught is not None
        else []
    )
    if not names or not set(names) <= GUARDED_ERRORS:
        return False
    body = handler.body.body if isinstance(handler.body, cst.IndentedBlock) else []
    return len(body) == 1 and (
        isinstance(body[0], cst.SimpleStatementLine)
        and len(body[0].body) == 1
        and isinstance(body[0].body[0], cst.Raise)
    )


class ImportGuardsRule(Rule):
    name = "import-guards"
    DESCRIPTION = "try: from flask import ... except ImportError: raise -> the plain import."
    triggers = ("ImportError", "ModuleNotFoundError")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body: list[cst.BaseStatement] = []
        changed = False
        for statement in updated_node.body:
            if self.unwraps(statement):
                assert isinstance(statement, cst.Try)
                assert isinstance(statement.body, cst.IndentedBlock)
                inner = [s for s in statement.body.body if isinstance(s, cst.SimpleStatementLine)]
                body.append(inner[0].with_changes(leading_lines=statement.leading_lines))
                body.extend(inner[1:])
                changed = True
            else:
                body.append(statement)
        return updated_node.with_changes(body=body) if changed else updated_node

    @staticmethod
    def unwraps(statement: cst.BaseStatement) -> bool:
        if not isinstance(statement, cst.Try) or statement.orelse or statement.finalbody:
            return False
        inner = list(statement.body.body) if isinstance(statement.body, cst.IndentedBlock) else []
        return (
            bool(inner)
            and only_imports(inner)
            and any(is_flask_import(s) for s in inner)
            and bool(statement.handlers)
            and all(only_raises_on_import_error(h) for h in statement.handlers)
        )
