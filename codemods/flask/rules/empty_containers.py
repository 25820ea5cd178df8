"""Empty containers assigned in functions get an annotation, so the generated code type-checks:
`values, errors = {}, {}` -> `values: dict[Any, Any] = {}` and `errors: dict[Any, Any] = {}`
(mypy would take the type of the first item stored for the whole dict, or ask for one)."""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import expr
from codemods.engine.rule import Rule

EMPTY = {cst.Dict: "dict[Any, Any]", cst.List: "list[Any]"}


def empty_type(node: cst.BaseExpression) -> str | None:
    for kind, annotation in EMPTY.items():
        if isinstance(node, kind) and not node.elements:
            return annotation
    return None


class EmptyContainersRule(Rule):
    name = "empty-containers"
    DESCRIPTION = "Annotate empty dict/list literals assigned in functions (mypy)."
    triggers = ("= {}", "= []", "{}, {}", "[], []")

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.annotated: list[set[str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.annotated.append(set())

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.annotated.pop()
        return updated_node

    def pairs(self, assign: cst.Assign) -> list[tuple[str, str, cst.BaseExpression]] | None:
        """(name, annotation, value) for each target of an all-empty assignment, else None."""
        if len(assign.targets) != 1:
            return None
        target, value = assign.targets[0].target, assign.value
        if isinstance(target, cst.Name):
            annotation = empty_type(value)
            return [(target.value, annotation, value)] if annotation else None
        if not (isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple)):
            return None
        if len(target.elements) != len(value.elements):
            return None
        found = []
        for name, item in zip(target.elements, value.elements, strict=True):
            annotation = empty_type(item.value)
            if not isinstance(name.value, cst.Name) or annotation is None:
                return None
            found.append((name.value.value, annotation, item.value))
        return found

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if not self.annotated or len(updated_node.body) != 1:
            return updated_node
        small = updated_node.body[0]
        pairs = self.pairs(small) if isinstance(small, cst.Assign) else None
        if not pairs or any(name in self.annotated[-1] for name, _, _ in pairs):
            return updated_node
        self.use("typing", "Any")
        lines: list[cst.BaseStatement] = []
        for index, (name, annotation, value) in enumerate(pairs):
            self.annotated[-1].add(name)
            statement = cst.AnnAssign(
                target=cst.Name(name), annotation=cst.Annotation(expr(annotation)), value=value
            )
            line = updated_node.with_changes(body=[statement])
            lines.append(line if index == 0 else line.with_changes(leading_lines=[]))
        return cst.FlattenSentinel(lines)
