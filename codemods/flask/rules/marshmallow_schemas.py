"""marshmallow schemas -> Pydantic models (fields, required/load_default, allow_none, strict,
Range/Length/OneOf/Regexp validators, Nested and List)."""

from __future__ import annotations

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import block_statements
from codemods.engine.findings import Finding, Status
from codemods.engine.nodes import dotted_name, keyword, positional
from codemods.engine.pydantic_model import ModelField, ModelSource
from codemods.engine.rule import ClassLevelRule
from codemods.flask.tables.marshmallow import FIELDS


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def own_behaviour(node: cst.ClassDef) -> str | None:
    """The first member of a schema class that is neither a field, a docstring nor `class Meta`:
    a method, a decorated hook, a class attribute (`__envelope__ = True`)."""
    for statement in block_statements(node.body):
        if isinstance(statement, cst.FunctionDef):
            decorators = [code_of(d.decorator) for d in statement.decorators]
            return f"@{decorators[0]}" if decorators else f"def {statement.name.value}"
        if isinstance(statement, cst.ClassDef):
            if statement.name.value != "Meta":
                return f"class {statement.name.value}"
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            return code_of(statement).strip().splitlines()[0]
        small = statement.body[0]
        if isinstance(small, cst.Expr):
            continue
        if (
            isinstance(small, cst.Assign)
            and isinstance(small.value, cst.Call)
            and (dotted_name(small.value.func) or "").startswith("fields.")
        ):
            continue
        return code_of(statement).strip().splitlines()[0]
    return None


class MarshmallowRule(ClassLevelRule):
    name = "marshmallow"
    DESCRIPTION = "marshmallow schemas -> Pydantic models."
    triggers = ("marshmallow",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.schemas: set[str] = set()

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement:
        bases = {dotted_name(b.value) for b in original_node.bases}
        if not bases & {"Schema", "marshmallow.Schema", *self.schemas}:
            return updated_node
        schema = original_node.name.value
        behaviour = own_behaviour(original_node)
        if behaviour:
            # Its methods and hooks (envelopes, key casing, `@pre_load`/`@post_dump`) are what
            # its loads and dumps answer: marshmallow keeps running them on the new side.
            finding = self.findings.add("schema", schema)
            finding.note(
                f"kept as a marshmallow schema: {behaviour} has no Pydantic twin",
                Status.partial,
            )
            return updated_node
        self.schemas.add(schema)
        finding = self.findings.add("schema", schema)
        model = ModelSource(schema, f"The body the legacy {schema} loads.")
        for statement in block_statements(original_node.body):
            field = self.schema_field(statement, finding)
            if field is not None:
                model.fields.append(field)
            elif not (
                isinstance(statement, cst.SimpleStatementLine)
                and isinstance(statement.body[0], cst.Expr)
            ):
                finding.note(f"not converted: {code_of(statement).strip().splitlines()[0]}")
        self.use("pydantic", "BaseModel")
        if model.needs_field:
            self.use("pydantic", "Field")
            self.use("typing", "Annotated")
        finding.note(
            "marshmallow errors are {field: [messages]} with 400 by the view; Pydantic's differ",
            Status.partial,
        )
        return cst.parse_statement(model.code()).with_changes(
            leading_lines=updated_node.leading_lines
        )

    def field_type(self, call: cst.Call, finding: Finding, name: str) -> str:
        kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
        entry = FIELDS.get(kind)
        if entry is None:
            finding.note(f"field {name}: fields.{kind} is not in the marshmallow table")
            self.use("typing", "Any")
            return "Any"
        plain, strict_type, imports = entry
        strict = keyword(call, "strict")
        chosen = (
            strict_type if strict is not None and dotted_name(strict.value) == "True" else plain
        )
        for module, imported in imports:
            if imported in chosen:
                self.use(module, imported)
        if "{T}" in chosen:
            inner_arg = positional(call, 0)
            inner = inner_arg.value if inner_arg else None
            if (isinstance(inner, cst.Call) and kind == "List") or (
                isinstance(inner, cst.Call) and kind == "Nested"
            ):
                inner_type = self.field_type(inner, finding, name)
            elif kind == "Nested" and isinstance(inner, cst.Name):
                inner_type = inner.value
            elif kind == "Nested" and isinstance(inner, cst.Call):
                inner_type = dotted_name(inner.func) or "Any"
            else:
                inner_type = "Any"
                self.use("typing", "Any")
            if kind == "Nested" and isinstance(inner, cst.Call):
                inner_type = dotted_name(inner.func) or inner_type
            chosen = chosen.replace("{T}", inner_type)
        return chosen

    def schema_field(self, statement: cst.BaseStatement, finding: Finding) -> ModelField | None:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        small = statement.body[0]
        if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
            return None
        name = dotted_name(small.targets[0].target)
        call = small.value
        if name is None or not (dotted_name(call.func) or "").startswith("fields."):
            return None
        field = ModelField(name, self.field_type(call, finding, name))
        required = keyword(call, "required")
        load_default = keyword(call, "load_default") or keyword(call, "missing")
        allow_none = keyword(call, "allow_none")
        if load_default is not None:
            field.default = code_of(load_default.value)
        elif required is None or dotted_name(required.value) != "True":
            field.optional = True
            finding.note(f"field {name}: not required: absent -> None (marshmallow omits it)")
        if allow_none is not None and dotted_name(allow_none.value) == "True":
            field.annotation = f"{field.annotation} | None"
        validate = keyword(call, "validate")
        if validate is not None:
            checks = (
                [e.value for e in validate.value.elements]
                if isinstance(validate.value, cst.List | cst.Tuple)
                else [validate.value]
            )
            for check in checks:
                self.validator(check, field, finding)
        return field

    def validator(self, node: cst.BaseExpression, field: ModelField, finding: Finding) -> None:
        if not isinstance(node, cst.Call):
            finding.note(f"field {field.name}: validator {code_of(node)} is not converted")
            return
        kind = (dotted_name(node.func) or "").rsplit(".", 1)[-1]

        def arg(key: str, index: int) -> str | None:
            found = keyword(node, key) or positional(node, index)
            return code_of(found.value) if found else None

        if kind in ("Range", "Length"):
            low, high = arg("min", 0), arg("max", 1)
            names = ("ge", "le") if kind == "Range" else ("min_length", "max_length")
            if low is not None and low != "None":
                field.constraints[names[0]] = low
            if high is not None and high != "None":
                field.constraints[names[1]] = high
        elif kind == "OneOf":
            choices = arg("choices", 0)
            if choices and choices.startswith(("[", "(")):
                self.use("typing", "Literal")
                field.annotation = f"Literal[{choices[1:-1].rstrip(',')}]"
            else:
                finding.note(f"field {field.name}: OneOf choices are not literal")
        elif kind == "Regexp":
            pattern = arg("regex", 0)
            if pattern:
                field.constraints["pattern"] = pattern
        else:
            finding.note(f"field {field.name}: validate.{kind} is not converted")
