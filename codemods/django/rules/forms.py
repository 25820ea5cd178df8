"""Django `forms.Form` and `ModelForm` -> Pydantic models that accept and reject what the form
does: text is stripped and an optional text field is "" (not None); a required checkbox must be
ticked; `clean_<field>` becomes a `field_validator` and `clean()` a `model_validator(mode="after")`
raising Django's messages. A ModelForm's fields come from its model, found in the same module or
in the models modules the framework's analysis hands over (`analysis.models_sources`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from codemods.django.tables.forms import FIELDS, MODEL_FORM_FIELDS, OPTIONS
from codemods.django.tables.models import CHOICES_CLASSES
from codemods.engine.comments import todo_line
from codemods.engine.context import remove_import
from codemods.engine.edit import block_statements
from codemods.engine.findings import Status
from codemods.engine.nodes import dotted_name, name_assignment, string_value
from codemods.engine.parsed import parse_legacy
from codemods.engine.rule import ClassLevelRule
from codemods.engine.walk import in_order

_CODE = cst.Module(body=[])
FORM_BASES = {
    "forms.Form": "Form",
    "Form": "Form",
    "forms.ModelForm": "ModelForm",
    "ModelForm": "ModelForm",
}

HELPERS = '''
def _form_text(value: object) -> object:
    """What Django's text fields clean: the string stripped, a missing value as ""."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _form_checkbox(value: object) -> object:
    """Django's BooleanField: "false", "0" and "" are False, anything else its truth."""
    if isinstance(value, str):
        return value.lower() not in ("false", "0", "")
    return bool(value)


def _form_blank(value: object) -> object:
    """Django's non-text fields: a blank value is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value
'''


def code_of(node: cst.CSTNode) -> str:
    return _CODE.code_for_node(node)


@dataclass
class FormSpec:
    """One field as the form declares it: its kind and options (as source code)."""

    kind: str
    options: dict[str, str] = field(default_factory=dict)
    choices: list[str] | None = None


class DjangoFormsRule(ClassLevelRule):
    name = "django_forms"
    DESCRIPTION = "Django forms and ModelForms -> Pydantic models with their validators."
    triggers = ("Form",)  # forms.Form, forms.ModelForm, or either imported by name

    def visit_Module(self, node: cst.Module) -> None:
        self.helpers_needed = False
        sources = [node]
        for text in getattr(self.state.analysis, "models_sources", None) or []:
            try:
                sources.append(parse_legacy(text, self.state.analysis))  # parsed once a run
            except cst.ParserSyntaxError:
                continue
        self.classes = {s.name.value: s for s in node.body if isinstance(s, cst.ClassDef)}
        self.models: dict[str, cst.ClassDef] = {}
        self.constants: dict[str, dict[str, str]] = {}  # model -> its literal constants
        self.choices: dict[str, list[str]] = {}
        for module in sources:
            module_constants = _literal_constants(module.body)
            for statement in module.body:
                if isinstance(statement, cst.ClassDef) and any(
                    dotted_name(b.value) in ("models.Model", "Model") for b in statement.bases
                ):
                    self.models.setdefault(statement.name.value, statement)
                    self.constants.setdefault(
                        statement.name.value,
                        {**module_constants, **_literal_constants(statement.body.body)},
                    )
                    for inner in block_statements(statement.body):
                        if isinstance(inner, cst.ClassDef) and _is_choices(inner):
                            key = f"{statement.name.value}.{inner.name.value}"
                            self.choices[key] = _choice_values(inner)
                            self.choices.setdefault(inner.name.value, self.choices[key])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not getattr(self, "helpers_needed", False):
            return updated_node
        body = list(updated_node.body)
        index = next(
            (i for i, s in enumerate(body) if isinstance(s, cst.ClassDef | cst.FunctionDef)),
            len(body),
        )
        helpers = cst.parse_module(HELPERS).body
        first = helpers[0].with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
        return updated_node.with_changes(body=[*body[:index], first, *helpers[1:], *body[index:]])

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.BaseStatement:
        kind = self.form_kind(original_node)
        if kind is None:
            return updated_node
        name = original_node.name.value
        for module, imported in (("django", "forms"), ("django.forms", kind)):
            remove_import(self.context, module, imported)
        finding = self.findings.add("form", name)
        finding.target_symbol = name
        todos: list[str] = []
        specs = self.form_specs(original_node, kind, todos)
        base = self.pydantic_base(original_node, kind, specs, todos)
        methods: list[cst.FunctionDef] = []
        kept: list[cst.BaseStatement] = []
        for statement in block_statements(original_node.body):
            if isinstance(statement, cst.FunctionDef):
                if statement.name.value != "__init__":
                    methods.append(statement)
                continue
            if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
                continue
            if _conditional_fields(statement):
                continue
            if _declared_field(statement) is None and not _is_docstring(statement):
                kept.append(self.class_attribute(statement))
        lines = [f"class {name}({base}):"]
        docstring = next(
            (s for s in block_statements(original_node.body) if _is_docstring(s)), None
        )
        lines.append(
            f"    {code_of(docstring).strip()}"
            if docstring is not None
            else f'    """The fields of the Django {kind} {name}, validated as it does."""'
        )
        lines.append("")
        for field_name, spec in specs.items():
            lines.append(f"    {self.field_line(field_name, spec, todos)}")
        for method in methods:
            converted = self.method(method, name, specs, todos)
            lines.append("")
            lines.extend(f"    {line}" if line else "" for line in converted.splitlines())
        if base == "BaseModel":
            self.use("pydantic", "BaseModel")
        try:
            statement = cst.parse_statement("\n".join(lines) + "\n")
        except cst.ParserSyntaxError as error:
            self.findings.note(name, f"could not convert the form: {error}", Status.manual)
            return updated_node
        assert isinstance(statement, cst.ClassDef)
        body = [*statement.body.body, *kept]
        for reason in todos:
            self.findings.note(name, reason, Status.partial)
        return statement.with_changes(
            body=statement.body.with_changes(body=body),
            leading_lines=[*original_node.leading_lines, *(todo_line(r) for r in todos)],
        )

    def class_attribute(self, statement: cst.BaseStatement) -> cst.BaseStatement:
        """`error_css_class = "error"` (a form option, not a field) as `name: ClassVar = value`:
        Pydantic refuses an attribute with no annotation, and takes an annotated one for a field."""
        assigned = name_assignment(statement)
        if assigned is None or not isinstance(statement, cst.SimpleStatementLine):
            return statement
        self.use("typing", "ClassVar")
        annotated = cst.AnnAssign(
            target=cst.Name(assigned[0]),
            annotation=cst.Annotation(cst.Name("ClassVar")),
            value=assigned[1],
        )
        return statement.with_changes(body=[annotated])

    # -- form inheritance ------------------------------------------------------------------------
    def form_kind(self, node: cst.ClassDef, seen: tuple[str, ...] = ()) -> str | None:
        """ "Form" or "ModelForm": of its Django base, else of the form of this module it
        subclasses (converted too, so a subclass is never left on a Pydantic model)."""
        for base in node.bases:
            name = dotted_name(base.value) or ""
            if name in FORM_BASES:
                return FORM_BASES[name]
        parent = self.form_parent(node, seen)
        return self.form_kind(parent, (*seen, node.name.value)) if parent is not None else None

    def form_parent(self, node: cst.ClassDef, seen: tuple[str, ...] = ()) -> cst.ClassDef | None:
        """The class of this module the form subclasses, when that class is a form."""
        seen = (*seen, node.name.value)
        for base in node.bases:
            parent = self.classes.get(dotted_name(base.value) or "")
            if parent is None or parent.name.value in seen:
                continue
            if self.form_kind(parent, seen):
                return parent
        return None

    def lineage(self, node: cst.ClassDef) -> list[cst.ClassDef]:
        """The forms of this module `node` inherits from, the topmost first, then `node`."""
        chain = [node]
        while (parent := self.form_parent(chain[0])) is not None and parent not in chain:
            chain.insert(0, parent)
        return chain

    def form_specs(self, node: cst.ClassDef, kind: str, todos: list[str]) -> dict[str, FormSpec]:
        """The fields as Django builds them: the model's (a ModelForm's Meta, each subclass's
        Meta overriding its parent's), then the fields declared along the lineage, then what the
        `__init__` methods set on them."""
        chain = self.lineage(node)
        specs: dict[str, FormSpec] = {}
        if kind == "ModelForm":
            meta: dict[str, cst.BaseExpression] = {}
            for form in chain:
                meta.update(_meta(form))
            specs.update(self.model_fields(meta, todos))
        for form in chain:
            for statement in block_statements(form.body):
                declared = _declared_field(statement)
                if declared is not None:
                    specs[declared[0]] = _spec(declared[1], declared[2])
                for field_name, kind_name, call in _conditional_fields(statement):
                    spec = _spec(kind_name, call)
                    spec.options["required"] = "False"
                    specs[field_name] = spec
                    if form is node:
                        todos.append(
                            f"field {field_name} is declared under a condition: it is always "
                            "declared here, optional"
                        )
        for form in chain:
            for statement in block_statements(form.body):
                if isinstance(statement, cst.FunctionDef) and statement.name.value == "__init__":
                    self.init(statement, specs, todos if form is node else [])
        return specs

    def pydantic_base(
        self, node: cst.ClassDef, kind: str, specs: dict[str, FormSpec], todos: list[str]
    ) -> str:
        """The converted parent form when the subclass keeps all its fields (its validators are
        inherited), else BaseModel: a Pydantic model cannot drop a field of its base."""
        parent = self.form_parent(node)
        if parent is None:
            return "BaseModel"
        if set(self.form_specs(parent, kind, [])) <= set(specs):
            return parent.name.value
        todos.append(
            f"the fields of {parent.name.value} narrowed by Meta.fields: its validators and "
            "methods are not inherited, review them"
        )
        return "BaseModel"

    # -- fields ----------------------------------------------------------------------------------
    def model_fields(
        self, meta: dict[str, cst.BaseExpression], todos: list[str]
    ) -> dict[str, FormSpec]:
        model_name = dotted_name(meta["model"]) if "model" in meta else None
        model = self.models.get((model_name or "").rsplit(".", 1)[-1])
        if model is None:
            todos.append(f"ModelForm model {model_name} was not found: declare its fields")
            return {}
        declared: dict[str, cst.Call] = {}
        for statement in block_statements(model.body):
            assigned = name_assignment(statement)
            if assigned is not None and isinstance(assigned[1], cst.Call):
                declared[assigned[0]] = assigned[1]
        wanted_node = meta.get("fields")
        wanted = (
            [string_value(e.value) or "" for e in wanted_node.elements]
            if isinstance(wanted_node, cst.List | cst.Tuple)
            else None
        )
        if wanted is None and wanted_node is not None and string_value(wanted_node) is None:
            # computed (`(["cc"] if copies else []) + ["subject"]`): the names it can give
            wanted = _strings_in(wanted_node)
            todos.append(f"Meta.fields is computed: every field it can name is taken: {wanted}")
        excluded_node = meta.get("exclude")
        excluded = (
            {string_value(e.value) or "" for e in excluded_node.elements}
            if isinstance(excluded_node, cst.List | cst.Tuple)
            else set()
        )
        specs: dict[str, FormSpec] = {}
        for field_name in wanted if wanted is not None else list(declared):
            call = declared.get(field_name)
            if call is None:
                todos.append(f"ModelForm field {field_name} is not a field of {model_name}")
                continue
            if field_name in excluded:
                continue
            constants = self.constants.get(model.name.value, {})
            spec = self.from_model_field(field_name, call, model_name or "", todos, constants)
            if spec is not None:
                specs[field_name] = spec
        return specs

    def from_model_field(
        self,
        name: str,
        call: cst.Call,
        model: str,
        todos: list[str],
        constants: dict[str, str] | None = None,
    ) -> FormSpec | None:
        """The form field of a model field; an option naming a constant of the model or of its
        module (`max_length=SUBJECT_MAX_LENGTH`) is that constant's value, as the form module
        may not have the name."""
        kind = (dotted_name(call.func) or "").rsplit(".", 1)[-1]
        args = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if any(dotted_name(args.get(k, cst.Name("x"))) == "False" for k in ("editable",)):
            return None
        if _true(args.get("auto_now")) or _true(args.get("auto_now_add")):
            return None  # not editable: Django leaves them out of the form
        form_kind = MODEL_FORM_FIELDS.get(kind)
        if form_kind is None:
            todos.append(f"model field {name} ({kind}) has no form field mapping")
            return None
        options: dict[str, str] = {}
        if kind == "BooleanField":
            options["required"] = "False"  # Django: a checkbox of a model is never required
        elif _true(args.get("blank")):
            options["required"] = "False"
        for option in ("max_length", "max_digits", "decimal_places"):
            if option in args:
                value = code_of(args[option])
                options[option] = (constants or {}).get(value, value)
        spec = FormSpec(form_kind, options)
        if "choices" in args:
            spec.kind = "TypedChoiceField"
            spec.choices = self.choice_values(args["choices"], model)
        if _true(args.get("unique")):
            todos.append(f"{name} is unique: Django's ModelForm checks the table, the view must")
        return spec

    def choice_values(self, node: cst.BaseExpression, model: str) -> list[str] | None:
        if isinstance(node, cst.Attribute) and node.attr.value == "choices":
            enum = dotted_name(node.value) or ""
            return self.choices.get(f"{model}.{enum}") or self.choices.get(enum)
        if isinstance(node, cst.List | cst.Tuple):
            values = []
            for element in node.elements:
                pair = element.value
                if not isinstance(pair, cst.Tuple | cst.List) or not pair.elements:
                    return None
                values.append(code_of(pair.elements[0].value))
            return values
        return None

    def init(self, node: cst.FunctionDef, specs: dict[str, FormSpec], todos: list[str]) -> None:
        pattern = re.compile(r"""self\.fields\[(["'])(\w+)\1\]\.(\w+)\s*=\s*(.+)""")
        for statement in block_statements(node.body):
            text = code_of(statement).strip()
            if text.startswith("super().__init__(") or _is_docstring(statement):
                continue
            found = pattern.fullmatch(text)
            if found and found.group(2) in specs and found.group(3) in OPTIONS:
                specs[found.group(2)].options[found.group(3)] = found.group(4)
            else:
                todos.append(f"__init__: `{text.splitlines()[0]}` is not converted")

    def field_line(self, name: str, spec: FormSpec, todos: list[str]) -> str:
        entry = FIELDS.get(spec.kind)
        if entry is None:
            todos.append(f"field {name}: forms.{spec.kind} is not in the table (typed Any)")
            self.use("typing", "Any")
            return f"{name}: Any = None"
        for module, imported in entry.imports:
            self.use(module, imported)
        if entry.note:
            todos.append(f"field {name} ({spec.kind}): {entry.note}")
        for option in spec.options:
            if option not in OPTIONS:
                todos.append(f"field {name}: option {option}= is not converted")
        options = spec.options
        required = options.get("required", "True") != "False"
        self.helpers_needed = True
        self.use("typing", "Annotated")
        self.use("pydantic", "BeforeValidator")
        if "{T}" in entry.python_type:
            values = spec.choices or _literal_choices(options.get("choices"))
            if values is None:
                todos.append(f"field {name}: choices are not literal (typed str)")
                literal = "str"
            else:
                self.use("typing", "Literal")
                literal = f"Literal[{', '.join(values)}]"
            python_type = entry.python_type.replace("{T}", literal)
        else:
            python_type = entry.python_type
        if spec.kind == "BooleanField":
            if required:
                self.use("typing", "Literal")
                return f"{name}: Annotated[Literal[True], BeforeValidator(_form_checkbox)]"
            return f"{name}: Annotated[bool, BeforeValidator(_form_checkbox)] = False"
        if python_type.startswith("list["):
            default = "" if required else " = []"
            if required:
                self.use("pydantic", "Field")
                return f"{name}: Annotated[{python_type}, Field(min_length=1)]"
            return f"{name}: {python_type}{default}"
        if entry.text or python_type.startswith("Literal["):
            return self.text_line(name, python_type, entry.pattern, required, options)
        constraints = _number_constraints(options)
        if constraints:
            self.use("pydantic", "Field")
            python_type = f"Annotated[{python_type}, Field({constraints})]"
        if required:
            return f"{name}: Annotated[{python_type}, BeforeValidator(_form_blank)]"
        return f"{name}: Annotated[{python_type} | None, BeforeValidator(_form_blank)] = None"

    def text_line(
        self, name: str, python_type: str, pattern: str | None, required: bool,
        options: dict[str, str],
    ) -> str:  # fmt: skip
        bounds = []
        if "regex" in options:
            pattern = string_value(cst.parse_expression(options["regex"])) or pattern
        if python_type == "str":
            minimum = options.get("min_length")
            if required:
                bounds.append(f"min_length={minimum or 1}")
            elif minimum:
                bounds.append(f"min_length={minimum}")
            if "max_length" in options and options["max_length"] != "None":
                bounds.append(f"max_length={options['max_length']}")
            if pattern:
                bounds.append(f"pattern={pattern!r}")
        if bounds:
            self.use("pydantic", "StringConstraints")
            python_type = f"Annotated[{python_type}, StringConstraints({', '.join(bounds)})]"
        empty = options.get("empty_value", '""')
        before = "" if options.get("strip") == "False" else ", BeforeValidator(_form_text)"
        empty_type = "None" if empty == "None" else f"Literal[{empty}]"
        annotated = python_type if required else f"{python_type} | {empty_type}"
        if not required and empty != "None":
            self.use("typing", "Literal")
        if before:
            annotated = f"Annotated[{annotated}{before}]"
        return f"{name}: {annotated}" if required else f"{name}: {annotated} = {empty}"

    # -- clean methods ---------------------------------------------------------------------------
    def method(
        self, node: cst.FunctionDef, form: str, specs: dict[str, FormSpec], todos: list[str]
    ) -> str:
        name = node.name.value
        text = code_of(node.with_changes(leading_lines=[])).strip("\n")
        text = text.replace("forms.ValidationError(", "ValueError(").replace(
            "ValidationError(", "ValueError("
        )
        if name.startswith("clean_") and name[6:] in specs:
            field_name = name[6:]
            self.use("pydantic", "field_validator")
            self.use("pydantic", "ValidationInfo")
            self.use("typing", "Any")
            own = re.compile(rf"""self\.cleaned_data\[(["']){re.escape(field_name)}\1\]""")
            text = own.sub("value", text)
            text = text.replace("self.cleaned_data", "info.data")
            text = re.sub(
                rf"def {name}\(self\):",
                f"def {name}(cls, value: Any, info: ValidationInfo) -> Any:",
                text,
                count=1,
            )
            text = f'@field_validator("{field_name}")\n@classmethod\n{text}'
            if "self." in text:
                todos.append(f"{name} uses the form instance (self): review it")
            return text
        if name == "clean":
            self.use("pydantic", "model_validator")
            self.use("typing", "Any")
            text = re.sub(r"super\(\)\.clean\(\)", "self.__dict__", text)
            text = text.replace("self.cleaned_data", "self.__dict__")
            text = re.sub(r"def clean\(self\):", f'def clean(self) -> "{form}":', text, count=1)
            adds = re.compile(r"self\.add_error\(\s*([\"']\w+[\"']|None)\s*,\s*(.+?)\)\s*$", re.M)
            if adds.search(text):
                todos.append("clean(): add_error becomes an error of the whole form")
                text = adds.sub(r"raise ValueError(\2)", text)
            returned = re.search(r"^\s*return (\w+)\s*$", text, re.M)
            if returned:
                text = re.sub(
                    rf"^(\s*)return {returned.group(1)}\s*$", r"\1return self", text, flags=re.M
                )
            return f'@model_validator(mode="after")\n{text}'
        todos.append(f"method {name} is kept as is")
        return text


def _literal_constants(statements: Sequence[cst.CSTNode]) -> dict[str, str]:
    """`NAME = 120` / `NAME = "x"` among `statements`: the name and the literal's code."""
    found = {}
    for statement in statements:
        assigned = name_assignment(statement)
        if assigned is not None and isinstance(assigned[1], cst.Integer | cst.SimpleString):
            found[assigned[0]] = code_of(assigned[1])
    return found


def _conditional_fields(statement: cst.CSTNode) -> list[tuple[str, str, cst.Call]]:
    """The fields an `if` of the class body declares, when it declares nothing else."""
    if not isinstance(statement, cst.If):
        return []
    branches: list[cst.BaseSuite] = [statement.body]
    orelse = statement.orelse
    while orelse is not None:
        branches.append(orelse.body)
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    found = []
    for branch in branches:
        for inner in block_statements(branch):
            declared = _declared_field(inner)
            if declared is None:
                return []
            found.append(declared)
    return found


def _strings_in(node: cst.BaseExpression) -> list[str]:
    found: list[str] = []

    class Collect(cst.CSTVisitor):
        def visit_SimpleString(self, string: cst.SimpleString) -> None:
            value = string_value(string)
            if value is not None and value not in found:
                found.append(value)

    in_order(node, Collect())
    return found


def _declared_field(statement: cst.CSTNode) -> tuple[str, str, cst.Call] | None:
    """(name, kind, call) of a field the form declares: `email = forms.EmailField(...)`."""
    assigned = name_assignment(statement)
    if assigned is None or not isinstance(assigned[1], cst.Call):
        return None
    field_kind = (dotted_name(assigned[1].func) or "").rsplit(".", 1)[-1]
    if field_kind in FIELDS or field_kind.endswith("Field"):
        return assigned[0], field_kind, assigned[1]
    return None


def _spec(kind: str, call: cst.Call) -> FormSpec:
    options = {a.keyword.value: code_of(a.value) for a in call.args if a.keyword is not None}
    return FormSpec(kind, options)


def _literal_choices(code: str | None) -> list[str] | None:
    if code is None:
        return None
    node = cst.parse_expression(code)
    if not isinstance(node, cst.List | cst.Tuple):
        return None
    values = []
    for element in node.elements:
        pair = element.value
        if not isinstance(pair, cst.Tuple | cst.List) or not pair.elements:
            return None
        values.append(code_of(pair.elements[0].value))
    return values


def _number_constraints(options: dict[str, str]) -> str:
    names = {"min_value": "ge", "max_value": "le", "step_size": "multiple_of",
             "max_digits": "max_digits", "decimal_places": "decimal_places"}  # fmt: skip
    return ", ".join(f"{names[k]}={v}" for k, v in options.items() if k in names)


def _is_choices(node: cst.ClassDef) -> bool:
    return any(
        (dotted_name(b.value) or "").rsplit(".", 1)[-1] in CHOICES_CLASSES for b in node.bases
    )


def _choice_values(node: cst.ClassDef) -> list[str]:
    values = []
    for statement in block_statements(node.body):
        assigned = name_assignment(statement)
        if assigned is None:
            continue
        value = assigned[1]
        if isinstance(value, cst.Tuple) and value.elements:
            value = value.elements[0].value
        values.append(code_of(value))
    return values


def _meta(node: cst.ClassDef) -> dict[str, cst.BaseExpression]:
    for statement in block_statements(node.body):
        if isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
            found = {}
            for inner in block_statements(statement.body):
                assigned = name_assignment(inner)
                if assigned is not None:
                    found[assigned[0]] = assigned[1]
            return found
    return {}


def _true(node: cst.BaseExpression | None) -> bool:
    return node is not None and dotted_name(node) == "True"


def _is_docstring(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        small = statement.body[0]
        return isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
    return False
