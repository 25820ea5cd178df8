"""marshmallow call sites -> the Pydantic models the marshmallow rule made of the schemas
(codemods/runtime/common/validation.py).

`OrderSchema().load(data)` -> `load(OrderSchema, data)` (a plain dict, as marshmallow returns);
`from marshmallow import ValidationError` -> the runtime's, whose `.messages` has marshmallow's
nested shape and texts for required, type, unknown-field, `OneOf`, `Range` and `Length` errors.
The legacy package's schemas are read: when one uses a field or validator whose texts are
Pydantic's (`Email`, `Regexp`, dates, ...), or they cannot be read, the view is `partial`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import without_imported_names
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.rule import Rule

VALIDATION = "codemods.runtime.common.validation"
# Fields and validators whose error texts the runtime does not reproduce.
TEXT_GAPS = re.compile(
    r"\bfields\.(Email|Url|URL|Date|DateTime|Time|UUID|Decimal|Float|Dict|Raw|Boolean|Bool)\b"
    r"|\bvalidate\.(Regexp|Email|URL|Equal|ContainsOnly|NoneOf|Predicate)\b"
    r"|@validates"
)


@cache
def text_gaps(folder: Path) -> tuple[str, ...]:
    """The constructs of the package's marshmallow schemas whose texts differ; `("?",)` when the
    package cannot be read."""
    if not folder.is_dir():
        return ("?",)
    found: set[str] = set()
    for path in folder.glob("*.py"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "marshmallow" in text:
            found.update(match.group(0) for match in TEXT_GAPS.finditer(text))
    return tuple(sorted(found))


def gaps_note(gaps: tuple[str, ...]) -> str:
    if gaps == ("?",):
        return "marshmallow call site: the schemas could not be read to compare error texts"
    return f"marshmallow call site: error texts of {', '.join(gaps)} are Pydantic's"


class MarshmallowCallsRule(Rule):
    name = "marshmallow-calls"
    DESCRIPTION = "Schema().load(data) and marshmallow's ValidationError -> runtime validation."
    triggers = ("from marshmallow import",)
    gated = (cst.ImportFrom, cst.ClassDef, cst.Call)
    gate_names = ("ValidationError", "load")

    def __init__(self, context: ModuleContext) -> None:
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
        source = Path(self.context.filename or "")
        gaps = text_gaps(source.parent) if source.is_file() else ("?",)
        if gaps:
            self.findings.note(self.current_function, gaps_note(gaps), Status.partial)
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
