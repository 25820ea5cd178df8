"""Flask-WTF / WTForms forms -> Pydantic models, per the WTForms table of docs/mappings.md.
A plain WTForms form (on `wtforms.Form`, handed its data by its caller) is kept as it is
(codemods/flask/plain_forms.py).

Where Pydantic cannot say exactly what the validator said, the closest form is generated and
the difference is reported (`partial`); nothing is dropped silently.
"""

from __future__ import annotations

import json

import libcst as cst

from codemods.engine.context import ModuleContext
from codemods.engine.edit import block_statements
from codemods.engine.findings import Finding, Status
from codemods.engine.nodes import dotted_name, keyword, positional, string_value
from codemods.engine.pydantic_model import ModelField, ModelSource
from codemods.engine.rule import ClassLevelRule
from codemods.flask import inline_validators
from codemods.flask.analysis import legacy_plain_forms
from codemods.flask.tables.wtforms import (
    DEFAULT_MESSAGES,
    FIELDS,
    MAC_PATTERN,
    MESSAGE_POSITIONS,
    NOT_DATA,
    VALIDATORS,
)

FORM_BASES = {"FlaskForm", "Form", "flask_wtf.FlaskForm", "wtforms.Form"}


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


class FormsRule(ClassLevelRule):
    name = "forms"
    DESCRIPTION = "WTForms / Flask-WTF forms -> Pydantic models."
    triggers = ("Form",)

    def __init__(self, context: ModuleContext) -> None:
        super().__init__(context)
        self.constants: dict[str, cst.BaseExpression] = {}
        self.forms: set[str] = set()
        self.labels: dict[str, str] = {}  # field -> label, of the form being converted
        self.messages: dict[str, dict[str, str]] = {}  # field -> validator -> message code
        self.skip_empty: set[str] = set()  # fields with WTForms' Optional()
        self.plain: set[str] = set()  # plain WTForms forms, kept
        # Validators of the form being converted, in Pydantic code, added to its model.
        self._pending_validators: list[str] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.plain = legacy_plain_forms(self.state, node)
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine):
                small = statement.body[0]
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    name = dotted_name(small.targets[0].target)
                    if name:
                        self.constants[name] = small.value

    def is_form(self, node: cst.ClassDef) -> bool:
        if node.name.value in self.plain:
            return False  # a plain WTForms form runs as it is (codemods/flask/plain_forms.py)
        return any(
            dotted_name(b.value) in FORM_BASES or dotted_name(b.value) in self.forms
            for b in node.bases
        )

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement:
        if not self.is_form(original_node):
            return updated_node
        form = original_node.name.value
        self.forms.add(form)
        finding = self.findings.add("form", form)
        model = ModelSource(form, f"The fields of the legacy {form}.")
        legacy = self.legacy_path(form)
        if legacy is not None:
            # Views render the page with the legacy WTForms class (runtime/flask/html_forms.py).
            self.use("typing", "ClassVar")
            model.fields.append(ModelField("legacy_form", "ClassVar[str]", default=f'"{legacy}"'))
        else:
            finding.note(
                "legacy_form: the legacy package is not known; set it to package.module.Class"
                " for views to render this form"
            )
        self.labels.clear()
        self.messages.clear()
        self.skip_empty.clear()
        extra: list[cst.BaseStatement] = []
        inline: list[cst.FunctionDef] = []
        for statement in block_statements(original_node.body):
            if _is_not_data(statement):
                continue
            if isinstance(statement, cst.FunctionDef) and statement.name.value.startswith(
                "validate_"
            ):
                inline.append(statement)
                continue
            converted = self.form_field(statement, finding)
            if converted is not None:
                model.fields.append(converted)
            elif not _is_docstring(statement):
                extra.append(statement)
        model.validators.extend(self._pending_validators)
        self._pending_validators.clear()
        if self.messages:
            self.use("typing", "ClassVar")
            model.fields.insert(
                1 if legacy is not None else 0,
                ModelField(
                    "legacy_messages",
                    "ClassVar[dict[str, dict[str, str]]]",
                    default=_messages_code(self.messages),
                ),
            )
        validators = [self.inline_validator(m, model.fields, finding) for m in inline]
        for item in extra:
            finding.note(f"not converted: {code_of(item).strip().splitlines()[0]}")
        self.use("pydantic", "BaseModel")
        if model.needs_field:
            self.use("pydantic", "Field")
            self.use("typing", "Annotated")
        statement = cst.parse_statement(model.code())
        assert isinstance(statement, cst.ClassDef)
        methods = [v.with_changes(leading_lines=[cst.EmptyLine(indent=False)]) for v in validators]
        statement = statement.with_changes(
            body=statement.body.with_changes(body=[*statement.body.body, *methods])
        )
        return statement.with_changes(leading_lines=updated_node.leading_lines)

    def inline_validator(
        self, method: cst.FunctionDef, fields: list[ModelField], finding: Finding
    ) -> cst.FunctionDef:
        """`validate_<field>(form, field)` -> a field validator, or a stub saying why not."""
        target = method.name.value.removeprefix("validate_")
        shapes = [
            inline_validators.FormField(
                f.name,
                f"{f.annotation} | None" if f.optional else f.annotation,
                skips_empty=f.name in self.skip_empty,
            )
            for f in fields
            if not f.annotation.startswith("ClassVar")
        ]
        shape = next((s for s in shapes if s.name == target), None)
        self.use("pydantic", "field_validator")
        if shape is None:
            finding.note(f"validate_{target}: {target} is not a field of the form")
            missing = inline_validators.FormField(target, "object")
            return inline_validators.stub(method, missing, ["no such field"])
        converted = inline_validators.convert(method, shape, shapes)
        if converted.reasons:
            finding.note(
                f"validate_{target}(form, field) -> field_validator stub, port it by hand: "
                + "; ".join(converted.reasons),
                Status.partial,
            )
            return converted.method
        if converted.uses_info:
            self.use("pydantic", "ValidationInfo")
        finding.note(
            f"validate_{target} -> field_validator: it runs only when the field's own"
            " validators passed (WTForms runs it after them too, adding its message to theirs)",
            Status.converted,
        )
        for note in converted.notes:
            finding.note(note, Status.converted)
        return converted.method

    def legacy_path(self, form: str) -> str | None:
        """`package.module.Form` of the legacy class, when the run knows the package."""
        package = self.state.source_package
        parts = self.state.module_path
        if package is None or not parts:
            return None
        names = [*parts[:-1], parts[-1].removesuffix(".py")]
        if names[-1] == "__init__":
            names.pop()
        return ".".join([package, *names, form])

    def form_field(self, statement: cst.BaseStatement, finding: Finding) -> ModelField | None:
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        small = statement.body[0]
        if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
            return None
        name = dotted_name(small.targets[0].target)
        kind = dotted_name(small.value.func)
        kind = kind.rsplit(".", 1)[-1] if kind else None
        if name is None or kind is None:
            return None
        if kind in NOT_DATA:
            return None
        entry = FIELDS.get(kind)
        if entry is None:
            finding.note(f"field {name}: {kind} is not in the WTForms table", Status.partial)
            self.use("typing", "Any")
            return ModelField(name, "Any", default="None")
        for module, imported in entry.imports:
            self.use(module, imported)
        if entry.note:
            finding.note(f"field {name}: {entry.note}")
        annotation = entry.python_type
        if "{T}" in annotation:
            annotation = annotation.replace(
                "{T}", self.inner_type(kind, small.value, name, finding)
            )
        result = ModelField(name, annotation)
        call = small.value
        label = keyword(call, "label") or positional(call, 0)
        self.labels[name] = (string_value(label.value) if label else None) or name
        default = keyword(call, "default")
        if default is not None:
            result.default = code_of(default.value)
        elif kind == "BooleanField":
            result.default = "False"
        elif kind in ("SelectMultipleField", "FieldList", "MultipleFileField"):
            result.default = "[]"
        elif kind == "FileField":
            result.default = "None"
        places = keyword(call, "places")
        if kind == "DecimalField" and places is not None:
            result.constraints["decimal_places"] = code_of(places.value)
        if kind == "FieldList":
            for source, target in (("min_entries", "min_length"), ("max_entries", "max_length")):
                arg = keyword(call, source)
                if arg is not None:
                    result.constraints[target] = code_of(arg.value)
        validators = keyword(call, "validators")
        if validators is not None and isinstance(validators.value, cst.List | cst.Tuple):
            for element in validators.value.elements:
                self.validator(element.value, result, finding, entry.python_type)
        elif validators is not None:
            finding.note(f"field {name}: validators= is not a literal list")
        if result.default is None and not result.optional and kind not in ("FormField",):
            # WTForms fields without a required validator accept a missing value.
            required = validators is not None and any(
                dotted_name(e.value.func if isinstance(e.value, cst.Call) else e.value)
                in ("DataRequired", "InputRequired", "FileRequired")
                for e in (
                    validators.value.elements
                    if isinstance(validators.value, cst.List | cst.Tuple)
                    else []
                )
            )
            if not required:
                result.optional = True
        return result

    def inner_type(self, kind: str, call: cst.Call, name: str, finding: Finding) -> str:
        if kind in ("FieldList", "FormField"):
            first = positional(call, 0)
            inner = first.value if first else None
            if isinstance(inner, cst.Call) and kind == "FieldList":
                inner_kind = (dotted_name(inner.func) or "").rsplit(".", 1)[-1]
                entry = FIELDS.get(inner_kind)
                return entry.python_type if entry and "{T}" not in entry.python_type else "str"
            return dotted_name(inner) or "dict[str, object]" if inner is not None else "str"
        choices = keyword(call, "choices")
        coerce = keyword(call, "coerce")
        coerce_name = dotted_name(coerce.value) if coerce else "str"
        values = self.choice_values(choices.value if choices else None)
        if values is None:
            if choices is None:
                finding.note(f"field {name}: choices are set at run time; typed as {coerce_name}")
            else:
                finding.note(f"field {name}: choices are not literal; typed as {coerce_name}")
            return coerce_name or "str"
        self.use("typing", "Literal")
        if coerce_name == "int":
            literals = []
            for value in values:
                try:
                    literals.append(str(int(value)))
                except ValueError:
                    finding.note(f"field {name}: choice {value!r} does not coerce to int")
            return f"Literal[{', '.join(literals)}]"
        return f"Literal[{', '.join(repr(v).replace(chr(39), chr(34)) for v in values)}]"

    def choice_values(self, node: cst.BaseExpression | None) -> list[str] | None:
        if isinstance(node, cst.Name):
            node = self.constants.get(node.value)
        if not isinstance(node, cst.List | cst.Tuple):
            return None
        values: list[str] = []
        for element in node.elements:
            item = element.value
            if isinstance(item, cst.Tuple) and item.elements:
                item = item.elements[0].value
            if isinstance(item, cst.Integer):
                values.append(item.value)
                continue
            value = string_value(item)
            if value is None:
                return None
            values.append(value)
        return values

    def validator(
        self, node: cst.BaseExpression, field: ModelField, finding: Finding, base_type: str
    ) -> None:
        call = node if isinstance(node, cst.Call) else None
        name = dotted_name(call.func if call else node)
        name = name.rsplit(".", 1)[-1] if name else None
        if name is None or name not in VALIDATORS:
            finding.note(f"field {field.name}: validator {name} is not converted", Status.partial)
            return
        self.keep_message(name, call, field.name)

        def arg(key: str, index: int) -> str | None:
            if call is None:
                return None
            found = keyword(call, key) or positional(call, index)
            return code_of(found.value) if found else None

        is_text = base_type in ("str", "SecretStr", "EmailStr")
        if name == "DataRequired":
            field.optional = False
            if is_text:
                field.constraints.setdefault("min_length", "1")
                if base_type == "str":
                    field.constraints["pattern"] = r'r"\S"'
                finding.note(
                    f"field {field.name}: DataRequired also rejects whitespace-only (pattern"
                    " \\S) and falsy values like 0"
                )
            else:
                finding.note(f"field {field.name}: DataRequired also rejects 0/False")
        elif name in ("InputRequired", "FileRequired"):
            field.optional = False
        elif name == "Optional":
            field.optional = True
            self.skip_empty.add(field.name)
            finding.note(f"field {field.name}: Optional turns an empty string into None")
        elif name == "Length":
            low, high = arg("min", 0), arg("max", 1)
            if low not in (None, "-1"):
                field.constraints["min_length"] = low
            if high not in (None, "-1"):
                field.constraints["max_length"] = high
        elif name == "NumberRange":
            low, high = arg("min", 0), arg("max", 1)
            if low not in (None, "None"):
                field.constraints["ge"] = low
            if high not in (None, "None"):
                field.constraints["le"] = high
        elif name == "Email":
            self.use("pydantic", "EmailStr")
            field.annotation = "EmailStr"
        elif name == "URL":
            self.use("pydantic", "AnyUrl")
            field.annotation = "AnyUrl"
        elif name == "UUID":
            self.use("uuid", "UUID")
            field.annotation = "UUID"
        elif name == "IPAddress":
            self.use("pydantic", "IPvAnyAddress")
            field.annotation = "IPvAnyAddress"
        elif name == "MacAddress":
            field.constraints["pattern"] = f'r"{MAC_PATTERN}"'
        elif name == "Regexp":
            pattern = arg("regex", 0)
            if pattern is not None:
                field.constraints["pattern"] = pattern
            if arg("flags", 1) is not None:
                finding.note(f"field {field.name}: Regexp flags are not expressible in pattern")
        elif name == "AnyOf":
            values = arg("values", 0)
            if values and values.startswith(("[", "(")):
                self.use("typing", "Literal")
                field.annotation = f"Literal[{values[1:-1].rstrip(',')}]"
            else:
                finding.note(f"field {field.name}: AnyOf values are not literal")
        elif name == "NoneOf":
            finding.note(f"field {field.name}: NoneOf needs a field_validator", Status.partial)
        elif name == "EqualTo":
            other_arg = (keyword(call, "fieldname") or positional(call, 0)) if call else None
            other = string_value(other_arg.value) if other_arg else None
            if other is None or not other.isidentifier():
                finding.note(f"field {field.name}: EqualTo target is not a literal field name")
                return
            label = self.labels.get(other, other)
            message = arg("message", 1) or json.dumps(f"Field must be equal to {label}.")
            if other in self.labels:
                # The other field is validated first: the error belongs to this field, as in
                # WTForms (a model validator's error would belong to no field).
                finding.note(
                    f"field {field.name}: EqualTo({other!r}) is checked only when {other} is"
                    " valid (WTForms also compares an invalid value)"
                )
                self.use("pydantic", "field_validator")
                self.use("pydantic", "ValidationInfo")
                self._pending_validators.append(
                    f'    @field_validator("{field.name}")\n'
                    "    @classmethod\n"
                    f"    def _{field.name}_equals_{other}(\n"
                    "        cls, value: object, info: ValidationInfo\n"
                    "    ) -> object:\n"
                    f'        if "{other}" in info.data and value != info.data["{other}"]:\n'
                    f"            raise ValueError({message})\n"
                    "        return value\n"
                )
                return
            self.use("pydantic", "model_validator")
            self.use("typing", "Self")
            self._pending_validators.append(
                '    @model_validator(mode="after")\n'
                f"    def _{field.name}_equals_{other}(self) -> Self:\n"
                f"        if self.{field.name} != self.{other}:\n"
                f"            raise ValueError({message})\n"
                "        return self\n"
            )
        elif name == "FileAllowed":
            self.file_allowed(call, field, finding)

    def keep_message(self, validator: str, call: cst.Call | None, field: str) -> None:
        """The validator's own `message=` (or a default the runtime cannot tell apart), which
        the forms runtime shows from the model's `legacy_messages`."""
        position = MESSAGE_POSITIONS.get(validator)
        if position is None:
            return
        found = (keyword(call, "message") or positional(call, position)) if call else None
        message = code_of(found.value) if found is not None else "None"
        if message == "None" and validator in DEFAULT_MESSAGES:
            message = json.dumps(DEFAULT_MESSAGES[validator])
        if message != "None":
            self.messages.setdefault(field, {})[validator] = message

    def file_allowed(self, call: cst.Call | None, field: ModelField, finding: Finding) -> None:
        """Flask-WTF's `FileAllowed(extensions)`: the file name must end with one of them."""
        found = (keyword(call, "upload_set") or positional(call, 0)) if call else None
        values = found.value if found else None
        extensions = (
            [string_value(e.value) for e in values.elements]
            if isinstance(values, cst.List | cst.Tuple)
            else None
        )
        if not extensions or any(e is None for e in extensions):
            finding.note(f"field {field.name}: FileAllowed needs a field_validator", Status.partial)
            return
        message_arg = (keyword(call, "message") or positional(call, 1)) if call else None
        message = (
            code_of(message_arg.value)
            if message_arg
            else json.dumps(
                f"File does not have an approved extension: {', '.join(map(str, extensions))}"
            )
        )
        self.use("pydantic", "field_validator")
        suffixes = ", ".join(json.dumps(f".{e}") for e in extensions)
        self._pending_validators.append(
            f'    @field_validator("{field.name}")\n'
            "    @classmethod\n"
            f"    def _{field.name}_allowed(cls, value: object) -> object:\n"
            '        name = str(getattr(value, "filename", None) or "").lower()\n'
            f"        if name and not name.endswith(({suffixes},)):\n"
            f"            raise ValueError({message})\n"
            "        return value\n"
        )


def _messages_code(messages: dict[str, dict[str, str]]) -> str:
    """`{"name": {"Length": "Too short"}}`, the messages being code as written in the form."""
    per_field = (
        f"{json.dumps(name)}: {{{', '.join(f'{json.dumps(v)}: {m}' for v, m in own.items())}}}"
        for name, own in messages.items()
    )
    return "{" + ", ".join(per_field) + "}"


def _is_not_data(statement: cst.BaseStatement) -> bool:
    """`submit = SubmitField(...)`: no data to validate (the legacy class still renders it)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    small = statement.body[0]
    if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
        return False
    kind = dotted_name(small.value.func) or ""
    return kind.rsplit(".", 1)[-1] in NOT_DATA


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
