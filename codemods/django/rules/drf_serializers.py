"""Django REST framework `Serializer`s -> Pydantic models that accept and refuse what the
serializer does, with DRF's messages (`codemods/runtime/django/drf_validation.py`):

    class Echo(serializers.Serializer):
        text = serializers.CharField(max_length=10)
        n = serializers.IntegerField(required=False)

        def validate_text(self, value): ...
->
    class Echo(DrfModel):
        text: Annotated[str, drf_char(max_length=10)]
        n: Annotated[int | None, drf_integer()] = None

        @field_validator("text")
        @classmethod
        def validate_text(cls, value): ...

Each field is in `codemods/django/tables/drf_serializers.py`. `validate_<f>` becomes a
`field_validator` and `validate(data)` a `model_validator` calling it with the validated fields
(`non_field_errors`); `serializers.ValidationError` becomes the runtime's `ValidationError`.

The routes do not use these models yet: a DRF view keeps running DRF's serializer, imported
from the legacy module (`codemods/django/drf.py`). They are the request models a person moves
the view onto. A serializer the table does not cover (a ModelSerializer, a nested serializer, a
field or option not listed, another method, `self` in a validator, a subclass in its module) is
kept as written and reported `manual` with the reason.
"""

from __future__ import annotations

import re

import libcst as cst

from codemods.django.tables.drf_serializers import (
    COMMON_OPTIONS,
    FIELDS,
    MODEL_FIELDS,
    MODEL_OPTIONS,
    MODEL_READ_ONLY,
    OUTPUT_ONLY,
    READ_ONLY_OPTIONS,
    SERIALIZER_BASES,
    TEXT_MODEL_FIELDS,
)
from codemods.engine.context import remove_import
from codemods.engine.edit import block_statements
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name
from codemods.engine.parsed import parse_legacy
from codemods.engine.rule import ClassLevelRule

RUNTIME = "codemods.runtime.django.drf_validation"
DRF_VALIDATION_ERROR = "serializers.ValidationError"
BARE_VALIDATION_ERROR = re.compile(r"(?<!serializers\.)\bValidationError\b")
_CODE = cst.Module(body=[])


class NotConverted(Exception):
    """Why a serializer is kept as written."""


def code_of(node: cst.CSTNode) -> str:
    return _CODE.code_for_node(node)


class DrfSerializersRule(ClassLevelRule):
    name = "drf-serializers"
    DESCRIPTION = "Django REST framework Serializers -> Pydantic models with DRF's messages."
    triggers = ("rest_framework",)

    def visit_Module(self, node: cst.Module) -> None:
        self.models: dict[str, cst.ClassDef] = {}
        sources = [node]
        for text in getattr(self.state.analysis, "models_sources", None) or []:
            try:
                sources.append(parse_legacy(text, self.state.analysis))  # parsed once a run
            except cst.ParserSyntaxError:
                continue
        for module in sources:
            for statement in module.body:
                if isinstance(statement, cst.ClassDef) and any(
                    dotted_name(b.value) in ("models.Model", "Model") for b in statement.bases
                ):
                    self.models.setdefault(statement.name.value, statement)
        classes = [s for s in node.body if isinstance(s, cst.ClassDef)]
        serializers = {c.name.value for c in classes if _serializer_base(c)}
        # classes on another serializer (HyperlinkedModelSerializer, a serializer of the
        # module): reported, kept as written
        self.other_serializers = {
            c.name.value: base
            for c in classes
            if not _serializer_base(c)
            for base in [_other_serializer_base(c, serializers)]
            if base is not None
        }
        # a subclass in the module would be left on a Pydantic parent: keep both as written
        self.parents = {
            dotted_name(base.value) or ""
            for c in classes
            for base in c.bases
            if dotted_name(base.value) in serializers
        }

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement:
        if self.current_function is not None:
            return updated_node
        name = original_node.name.value
        other = getattr(self, "other_serializers", {}).get(name)
        if other is not None:
            finding = self.findings.add("serializer", name)
            reason = f"serializer {name} kept as written: its base {other} is not converted"
            finding.note(reason, Status.manual)
            return updated_node
        if not _serializer_base(original_node):
            return updated_node
        finding = self.findings.add("serializer", name)
        finding.target_symbol = name
        try:
            if name in getattr(self, "parents", set()):
                raise NotConverted("a serializer of its module subclasses it")
            lines = self.model_lines(original_node)
        except NotConverted as why:
            finding.note(f"serializer {name} kept as written: {why}", Status.manual)
            return updated_node
        remove_import(self.context, "rest_framework", "serializers")
        statement = cst.parse_statement("\n".join(lines) + "\n")
        assert isinstance(statement, cst.ClassDef)
        return statement.with_changes(leading_lines=original_node.leading_lines)

    def model_lines(self, node: cst.ClassDef) -> list[str]:
        name = node.name.value
        fields: list[str] = []
        names: list[str] = []
        optional: list[str] = []  # left out of validated_data when absent
        methods: list[cst.FunctionDef] = []
        docstring = None
        declared_names = {d[0] for st in block_statements(node.body) if (d := _declared(st))}
        for statement in block_statements(node.body):
            if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
                for field_name, kind, options in self.model_fields(statement, declared_names):
                    line = self.field_line(field_name, kind, options)
                    if line is not None:
                        fields.append(line)
                        names.append(field_name)
                        if line.endswith("= None") and "default" not in options:
                            optional.append(field_name)
                continue
            if isinstance(statement, cst.FunctionDef):
                methods.append(statement)
            elif _is_docstring(statement):
                docstring = code_of(statement).strip()
            elif (declared := _declared(statement)) is not None:
                line = self.field_line(declared[0], declared[1], _options(declared))
                if line is not None:
                    fields.append(line)
                    names.append(declared[0])
                    if line.endswith("= None") and "default=" not in code_of(declared[2]):
                        optional.append(declared[0])
            else:
                raise NotConverted(f"{code_of(statement).strip()!r} is not a field")
        body = [
            docstring or f'"""The fields of the DRF serializer {name}, validated as it does."""'
        ]
        if optional:
            self.use("typing", "ClassVar")
            listed = "".join(f"{n!r}, " for n in optional).rstrip(" ")
            fields.append(f"drf_optional: ClassVar[tuple[str, ...]] = ({listed})")
        body += ["", *fields]
        for method in methods:
            body += ["", *self.method_lines(method, name, names)]
        self.use(RUNTIME, "DrfModel")
        return [f"class {name}(DrfModel):", *(f"    {line}" if line else "" for line in body)]

    def model_fields(
        self, meta: cst.ClassDef, declared: set[str]
    ) -> list[tuple[str, str, dict[str, str]]]:
        """The fields a ModelSerializer takes from its model, as DRF's `build_standard_field`
        gives them: (name, DRF field, options as code)."""
        found = {}
        for statement in block_statements(meta.body):
            if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
                small = statement.body[0]
                if isinstance(small, cst.Assign) and isinstance(small.targets[0].target, cst.Name):
                    found[small.targets[0].target.value] = small.value
        unknown = set(found) - {"model", "fields", "read_only_fields"}
        if unknown:
            raise NotConverted(f"Meta.{sorted(unknown)[0]} is not converted yet")
        model_name = (dotted_name(found["model"]) or "") if "model" in found else ""
        model = self.models.get(model_name.rsplit(".", 1)[-1])
        if model is None:
            raise NotConverted(f"its model {model_name or '(none)'} was not found")
        columns = _model_columns(model)
        wanted = found.get("fields")
        if isinstance(wanted, cst.List | cst.Tuple):
            names = [_string(e.value) or "" for e in wanted.elements]
        elif wanted is not None and _string(wanted) == "__all__":
            names = ["id", *columns]
        else:
            raise NotConverted("Meta.fields is not a literal list or '__all__'")
        read_only_node = found.get("read_only_fields")
        read_only = (
            {_string(e.value) or "" for e in read_only_node.elements}
            if isinstance(read_only_node, cst.List | cst.Tuple)
            else set()
        )
        fields = []
        for name in names:
            if name in declared or name in read_only or name in ("id", "pk"):
                continue  # declared on the serializer, or never read from the input
            call = columns.get(name)
            if call is None:
                raise NotConverted(f"{name} is not a field of {model_name} the rule reads")
            built = _from_model_field(name, call)
            if built is not None:
                fields.append((name, *built))
        return fields

    def field_line(self, name: str, kind: str, options: dict[str, str]) -> str | None:
        """`name: Annotated[T, helper(options)] [= None]`, or None for an output-only field."""
        if kind in OUTPUT_ONLY or options.get("read_only") == "True":
            return None
        spec = FIELDS.get(kind)
        if spec is None:
            raise NotConverted(f"field {name} is a {kind}, not in the serializer table")
        unknown = set(options) - spec.options - set(COMMON_OPTIONS) - READ_ONLY_OPTIONS
        if unknown:
            raise NotConverted(f"field {name}: option(s) {', '.join(sorted(unknown))} not mapped")
        for module, imported in spec.imports:
            self.use(module, imported)
        self.use(RUNTIME, spec.helper)
        self.use("typing", "Annotated")
        if spec.python_type == "Any":
            self.use("typing", "Any")
        passed = {k: v for k, v in options.items() if k in spec.options}
        null = options.get("allow_null") == "True"
        if null:
            passed["allow_null"] = "True"
        python_type = spec.python_type + (" | None" if null and spec.python_type != "Any" else "")
        arguments = ", ".join(f"{k}={v}" for k, v in passed.items())
        line = f"{name}: Annotated[{python_type}, {spec.helper}({arguments})]"
        if "default" in options:
            return f"{line} = {options['default']}"
        if options.get("required") == "False":
            if not null and spec.python_type != "Any":
                line = line.replace(f"[{python_type},", f"[{python_type} | None,", 1)
            return f"{line} = None"
        return line

    def method_lines(self, method: cst.FunctionDef, model: str, fields: list[str]) -> list[str]:
        name = method.name.value
        params = [p.name.value for p in method.params.params]
        text = code_of(method.with_changes(leading_lines=[])).strip("\n")
        if BARE_VALIDATION_ERROR.search(text):
            raise NotConverted(f"{name} raises a ValidationError not spelled serializers.*")
        if DRF_VALIDATION_ERROR in text:
            self.use(RUNTIME, "ValidationError")
            text = text.replace(DRF_VALIDATION_ERROR, "ValidationError")
        body_uses_self = "self" in code_of(method.body)
        if name.startswith("validate_") and name.removeprefix("validate_") in fields:
            if body_uses_self or len(params) != 2:
                raise NotConverted(f"{name} uses self (the serializer's context or instance)")
            self.use("pydantic", "field_validator")
            header = f"def {name}(self, {params[1]}"
            text = text.replace(header, f"def {name}(cls, {params[1]}", 1)
            field = name.removeprefix("validate_")
            return [f'@field_validator("{field}")', "@classmethod", *text.splitlines()]
        if name == "validate" and len(params) == 2:
            body_text = code_of(method.body)
            if "self." in body_text:
                raise NotConverted("validate uses self (the serializer's context or instance)")
            self.use("pydantic", "model_validator")
            text = text.replace("def validate(self,", "def drf_validate(self,", 1)
            return [
                '@model_validator(mode="after")',
                f'def validate_fields(self) -> "{model}":',
                '    """DRF\'s validate(data): the validated fields, refused as a whole."""',
                "    self.drf_validate(self.validated_data())",
                "    return self",
                "",
                *text.splitlines(),
            ]
        raise NotConverted(f"method {name} is not a validate_<field> or validate")


def _serializer_base(node: cst.ClassDef) -> bool:
    bases = [dotted_name(b.value) or "" for b in node.bases]
    return len(bases) == 1 and bases[0] in {
        spelled for base in SERIALIZER_BASES for spelled in (base, f"serializers.{base}")
    }


def _other_serializer_base(node: cst.ClassDef, serializers: set[str]) -> str | None:
    """The base making `node` a serializer the rule does not convert: DRF's other serializers
    (`serializers.HyperlinkedModelSerializer`, `ListSerializer`) or a serializer of the module."""
    for base in node.bases:
        name = dotted_name(base.value) or ""
        if name in serializers:
            return name
        if name.startswith("serializers.") and name.endswith("Serializer"):
            return name
    return None


def _options(declared: tuple[str, str, cst.Call]) -> dict[str, str]:
    name, _, call = declared
    if any(arg.keyword is None for arg in call.args):
        raise NotConverted(f"field {name} has positional arguments")
    return {arg.keyword.value: code_of(arg.value) for arg in call.args if arg.keyword is not None}


def _model_columns(model: cst.ClassDef) -> dict[str, cst.Call]:
    """The model's `name = models.XField(...)` declarations, in order."""
    columns = {}
    for statement in block_statements(model.body):
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if (
                isinstance(small, cst.Assign)
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
            ):
                columns[small.targets[0].target.value] = small.value
    return columns


def _from_model_field(name: str, call: cst.Call) -> tuple[str, dict[str, str]] | None:
    """DRF's `get_field_kwargs` for a model field: (DRF field, options), None when read only."""
    kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
    options = {a.keyword.value: code_of(a.value) for a in call.args if a.keyword is not None}
    if kind in MODEL_READ_ONLY or options.get("editable") == "False":
        return None
    if options.get("auto_now") == "True" or options.get("auto_now_add") == "True":
        return None
    field = MODEL_FIELDS.get(kind)
    if field is None:
        raise NotConverted(f"model field {name} is a {kind}, not in the serializer table")
    drf_kind, default_length = field
    unread = set(options) - MODEL_OPTIONS
    if unread:
        raise NotConverted(f"model field {name}: option(s) {', '.join(sorted(unread))} not mapped")
    if options.get("unique") == "True":
        raise NotConverted(f"model field {name} is unique: DRF checks the table")
    built: dict[str, str] = {}
    if options.get("null") == "True":
        built["allow_null"] = "True"
    if "default" in options or options.get("blank") == "True" or options.get("null") == "True":
        built["required"] = "False"
    if options.get("blank") == "True" and kind in TEXT_MODEL_FIELDS:
        built["allow_blank"] = "True"
    length = options.get("max_length") or default_length
    if length is not None and kind in TEXT_MODEL_FIELDS:
        built["max_length"] = length
    return drf_kind, built


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _declared(statement: cst.CSTNode) -> tuple[str, str, cst.Call] | None:
    """(name, field class, call) of `name = serializers.XField(...)`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if not isinstance(target, cst.Name) or not isinstance(assign.value, cst.Call):
        return None
    kind = (dotted_name(assign.value.func) or "").rsplit(".", 1)[-1]
    if not kind.endswith("Field"):
        return None
    return target.value, kind, assign.value


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
