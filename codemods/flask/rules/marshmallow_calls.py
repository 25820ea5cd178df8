"""marshmallow call sites -> the Pydantic models the marshmallow rule made of the schemas
(codemods/runtime/validation.py).

`OrderSchema().load(data)` -> `load(OrderSchema, data)` (a plain dict, as marshmallow returns);
`from marshmallow import ValidationError` -> the runtime's, whose `.messages` has marshmallow's
nested shape. Its texts are marshmallow's for missing fields, types, unknown fields and `OneOf`;
`Range` and `Length` texts are Pydantic's, so the views answering them are `partial`.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.edit import without_imported_names
from codemods.engine.findings import Status
from codemods.engine.rule import Rule, dotted_name

VALIDATION = "codemods.runtime.validation"
MESSAGES_NOTE = (
    "marshmallow call site: error messages keep marshmallow's shape; Range/Length texts are"
    " Pydantic's"
)


class MarshmallowCallsRule(Rule):
    name = "marshmallow-calls"
    DESCRIPTION = "Schema().load(data) and marshmallow's ValidationError -> runtime validation."
    triggers = ("from marshmallow import",)

    def __init__(self, context: cst.codemod.CodemodContext) -> None:
        super().__init__(context)
        self.error_imported = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is None or dotted_name(node.module) != "marshmallow":
            return
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name) and alias.name.value == "ValidationError":
                self.error_imported = alias.asname is None

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.error_imported or not self._functions:
            return updated_node
        func = original_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "load"):
            return updated_node
        schema_call = func.value
        if not (isinstance(schema_call, cst.Call) and not schema_call.args):
            return updated_node
        schema = dotted_name(schema_call.func)
        if schema is None or not schema.split(".")[-1].endswith("Schema"):
            return updated_node
        self.use(VALIDATION, "load")
        self.findings.note(self.current_function, MESSAGES_NOTE, Status.partial)
        return updated_node.with_changes(
            func=cst.Name("load"), args=[cst.Arg(cst.Name(schema)), *updated_node.args]
        )

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.error_imported:
            return updated_node
        self.use(VALIDATION, "ValidationError")
        return updated_node.with_changes(
            body=without_imported_names(updated_node.body, "marshmallow", {"ValidationError"})
        )
