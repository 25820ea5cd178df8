"""Infer a Pydantic model of a view's JSON body from the keys the view reads and the casts it
applies (`data["name"]` required, `data.get("note")` optional, `int(data["qty"])` an int)."""

from __future__ import annotations

import libcst as cst

from codemods.engine.nodes import dotted_name, positional, string_value
from codemods.engine.pydantic_model import ModelField, ModelSource
from codemods.engine.walk import in_order

CASTS = {"int": "int", "float": "float", "str": "str", "bool": "bool", "Decimal": "Decimal"}


class KeyReads(cst.CSTVisitor):
    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.required: dict[str, str] = {}
        self.optional: dict[str, str] = {}
        self._cast: list[str] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        # `data = json_payload` makes `data` the body too
        if dotted_name(node.value) in self.names:
            for target in node.targets:
                name = dotted_name(target.target)
                if name:
                    self.names.add(name)

    def visit_Call(self, node: cst.Call) -> None:
        callee = dotted_name(node.func)
        first = positional(node, 0)
        if callee in CASTS and first is not None and len(node.args) == 1:
            self._cast.append(CASTS[callee])
            return
        self._cast.append("")
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "get"
            and dotted_name(node.func.value) in self.names
            and first is not None
        ):
            key = string_value(first.value)
            if key is not None:
                self.optional.setdefault(key, self.current_cast())

    def leave_Call(self, original_node: cst.Call) -> None:
        self._cast.pop()

    def current_cast(self) -> str:
        return self._cast[-2] if len(self._cast) >= 2 and self._cast[-2] else "Any"

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if dotted_name(node.value) not in self.names or len(node.slice) != 1:
            return
        index = node.slice[0].slice
        key = string_value(index.value) if isinstance(index, cst.Index) else None
        if key is not None:
            cast = self._cast[-1] if self._cast and self._cast[-1] else "Any"
            if self.required.get(key, "Any") == "Any":
                self.required[key] = cast


def infer_body_model(
    function: cst.FunctionDef, payload: str, model_name: str
) -> ModelSource | None:
    reads = KeyReads({payload})
    in_order(function.body, reads)
    keys = {
        **reads.required,
        **{k: v for k, v in reads.optional.items() if k not in reads.required},
    }
    if not keys or not all(k.isidentifier() for k in keys):
        return None
    model = ModelSource(
        model_name,
        "The JSON body the legacy view reads (inferred from its keys; OpenAPI only).",
    )
    for key, annotation in keys.items():
        if key in reads.required:
            model.fields.append(ModelField(key, annotation))
        else:
            model.fields.append(
                ModelField(key, annotation, optional=annotation != "Any", default="None")
            )
    return model
