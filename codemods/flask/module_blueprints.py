"""The blueprints a Flask module defines at its top level."""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name

BLUEPRINT_CALLS = ("Blueprint", "flask.Blueprint")


def blueprint_names(module: cst.Module) -> set[str]:
    """The module-level variables holding a `Blueprint(...)`."""
    return {
        target.target.value
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
        if isinstance(small, cst.Assign)
        and isinstance(small.value, cst.Call)
        and dotted_name(small.value.func) in BLUEPRINT_CALLS
        for target in small.targets
        if isinstance(target.target, cst.Name)
    }
