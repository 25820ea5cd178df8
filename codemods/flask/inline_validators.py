"""WTForms inline validators -> Pydantic field validators.

WTForms runs a form's `def validate_<field>(form, field)` after the field's own validators. Its
body becomes the body of a `@field_validator("<field>")` classmethod when it only reads the
field's value, fields declared before it and module names:

- `field.data` -> `value` (`value.get_secret_value()` for a `SecretStr`, `str(value)` for a URL);
- `form.<other>.data` -> `info.data.get("<other>")` (there only when `<other>` passed its own
  validators);
- `raise ValidationError(msg)` / `raise StopValidation(msg)` -> `raise ValueError(msg)`: the forms
  runtime shows `msg` as it is, without Pydantic's "Value error, " prefix;
- `raise StopValidation()` without a message (the field is valid, no further check) and a bare
  `return` -> `return value`.

Anything else (a database lookup, Flask's request context, other attributes of the field or the
form, a field declared later) keeps a TODO stub returning the value, with the reason.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import libcst as cst

from codemods.engine.edit import expr
from codemods.engine.nodes import descendants, dotted_name, string_value, uses_name
from codemods.engine.traverse import visit

WTFORMS_ERRORS = {"ValidationError", "StopValidation"}
FLASK_GLOBALS = {"request", "session", "g", "current_user", "current_app"}
TEXT_TYPES = {"str", "EmailStr"}
PARAMETERS = ("cls", "value", "info")


@dataclass(frozen=True)
class FormField:
    """What an inline validator may need of a field of the generated model."""

    name: str
    annotation: str  # the field's type without constraints: "str", "int | None", ...
    skips_empty: bool = False  # WTForms' Optional(): no validator runs on an empty value

    @property
    def base(self) -> str:
        return self.annotation.removesuffix(" | None")

    @property
    def data(self) -> str:
        """What WTForms' `field.data` is, in terms of the validated `value`."""
        if self.base == "SecretStr":
            return "value.get_secret_value()"
        if self.base == "AnyUrl":
            return "str(value)"
        return "value"


@dataclass
class InlineValidator:
    """A form's `validate_<field>` as a field validator: `reasons` say why it is a stub."""

    method: cst.FunctionDef  # a method of the model's class
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    uses_info: bool = False


def convert(method: cst.FunctionDef, target: FormField, fields: list[FormField]) -> InlineValidator:
    """The field validator for `method` (`validate_<target>`), given the model's fields in order."""
    rewrite = BodyRewrite(method, target, fields)
    body = rewrite.body()
    reasons = list(dict.fromkeys(rewrite.reasons))
    if body is None or reasons:
        return InlineValidator(stub(method, target, reasons), reasons)
    params = "cls, value: {T}, info: ValidationInfo" if rewrite.uses_info else "cls, value: {T}"
    header = _function(
        f'@field_validator("{target.name}")\n'
        "@classmethod\n"
        f"def {method.name.value}({params.format(T=target.annotation)}) -> {target.annotation}:\n"
        f"{_guard(target)}"
        "    pass\n"
    )
    guard = list(header.body.body)[:-1]
    converted = header.with_changes(body=body.with_changes(body=[*guard, *body.body]))
    notes = list(dict.fromkeys(rewrite.notes))
    return InlineValidator(converted, notes=notes, uses_info=rewrite.uses_info)


def _guard(target: FormField) -> str:
    if target.skips_empty and target.base in TEXT_TYPES:
        return (
            "    if value is None or not value.strip():\n"
            "        return value  # Optional(): WTForms runs no validator on an empty value\n"
        )
    if target.annotation.endswith(" | None"):
        return "    if value is None:\n        return value\n"
    return ""


class BodyRewrite(cst.CSTTransformer):
    """The method's body in terms of the field validator's `value` and `info`; `reasons` say
    what cannot be said that way."""

    def __init__(self, method: cst.FunctionDef, target: FormField, fields: list[FormField]) -> None:
        super().__init__()
        self.method = method
        self.target = target
        self.fields = {f.name: f for f in fields}
        self.order = [f.name for f in fields]
        self.reasons: list[str] = []
        self.notes: list[str] = []
        self.uses_info = False
        params = method.params
        names = [p.name.value for p in params.params]
        plain = not (
            isinstance(params.star_arg, cst.Param | cst.ParamStar)
            or params.kwonly_params
            or params.star_kwarg
            or params.posonly_params
        )
        self.form, self.field = (names[0], names[1]) if len(names) == 2 and plain else ("", "")

    def body(self) -> cst.IndentedBlock | None:
        """The rewritten body (None when the method's shape is not convertible)."""
        method = self.method
        if not self.form:
            self.reasons.append("its signature is not (form, field)")
        if method.decorators or method.asynchronous:
            self.reasons.append("it is decorated or async")
        if self.reasons:
            return None
        block = method.body
        if isinstance(block, cst.SimpleStatementSuite):  # `def validate_x(self, field): ...`
            block = cst.IndentedBlock([cst.SimpleStatementLine(block.body)])
        assert isinstance(block, cst.IndentedBlock)
        self.check_names(block)
        body = visit(block, self)
        assert isinstance(body, cst.IndentedBlock)
        if uses_name(body, self.form):
            self.reasons.append(f"it reads {self.form} other than {self.form}.<field>.data")
        if uses_name(body, self.field):
            self.reasons.append(f"it reads {self.field} other than {self.field}.data")
        statements = list(body.body)
        if not _ends_the_function(statements[-1]):
            statements.append(cst.SimpleStatementLine([cst.Return(cst.Name("value"))]))
        return body.with_changes(body=statements)

    def check_names(self, body: cst.IndentedBlock) -> None:
        for node in descendants(body):
            if isinstance(node, cst.Attribute) and node.attr.value == "query":
                lookup = dotted_name(node) or "query"
                self.reasons.append(
                    f"it looks the database up ({lookup}): a field validator has no database"
                    " session; check it in the view"
                )
            elif isinstance(node, cst.Attribute) and dotted_name(node) == "db.session":
                self.reasons.append(
                    "it uses db.session: a field validator has no database session;"
                    " check it in the view"
                )
            elif isinstance(node, cst.FunctionDef | cst.ClassDef):
                self.reasons.append("it defines a function or class inside")
        for name in sorted(FLASK_GLOBALS):
            if uses_name(body, name):
                self.reasons.append(f"it uses Flask's {name}")
        for name in PARAMETERS:
            if uses_name(body, name):
                self.reasons.append(f"it uses the name {name}, a parameter of field validators")

    # -- field.data and form.<other>.data -------------------------------------------------------
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self.data_of(node) is None

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        name = self.data_of(original_node)
        if name is None:
            return updated_node
        if name == self.target.name:
            return expr(self.target.data)
        other = self.fields.get(name)
        if other is None:
            self.reasons.append(f"it reads {self.form}.{name}, which is not a field of the model")
        elif self.order.index(name) > self.order.index(self.target.name):
            self.reasons.append(
                f"it reads {name}, declared after {self.target.name}: info.data holds only the"
                " fields before it (check both in a model_validator)"
            )
        elif other.data != "value":
            self.reasons.append(f"it reads {name}, a {other.base} in the model")
        else:
            self.uses_info = True
            self.notes.append(
                f"validate_{self.target.name} reads {name} from info.data: there only when"
                f" {name} passed its own validators (None otherwise); WTForms gives its data"
                " either way"
            )
            return expr(f'info.data.get("{name}")')
        return updated_node

    def data_of(self, node: cst.Attribute) -> str | None:
        """The field whose `.data` the node reads: `field.data`, `form.<name>.data`."""
        if node.attr.value != "data":
            return None
        owner = node.value
        if isinstance(owner, cst.Name) and owner.value == self.field:
            return self.target.name
        if (
            isinstance(owner, cst.Attribute)
            and isinstance(owner.value, cst.Name)
            and owner.value.value == self.form
        ):
            return owner.attr.value
        return None

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        written = self.data_of(target) if isinstance(target, cst.Attribute) else None
        if written is not None and (written != self.target.name or self.target.data != "value"):
            self.reasons.append(f"it sets {code(target)}")

    # -- raise and return ------------------------------------------------------------------------
    def leave_Raise(
        self, original_node: cst.Raise, updated_node: cst.Raise
    ) -> cst.Raise | cst.Return:
        error = updated_node.exc
        call = error if isinstance(error, cst.Call) else None
        kind = (dotted_name(call.func if call else error) or "") if error else ""
        kind = kind.rsplit(".", 1)[-1]
        if kind == "ValueError":
            self.reasons.append("it raises ValueError, which WTForms does not catch (a 500)")
        if kind not in WTFORMS_ERRORS:
            return updated_node
        # ValueError takes no keywords: `message=` is WTForms' first argument.
        args = (
            [a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) for a in call.args]
            if call
            else []
        )
        if kind == "StopValidation" and (not args or string_value(args[0].value) == ""):
            return cst.Return(cst.Name("value"))
        value_error = cst.Call(cst.Name("ValueError"), args or [cst.Arg(cst.SimpleString('""'))])
        return updated_node.with_changes(exc=value_error)

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        returned = updated_node.value
        if returned is not None and not (
            isinstance(returned, cst.Name) and returned.value == "None"
        ):
            self.reasons.append("it returns a value (WTForms ignores it)")
        return cst.Return(cst.Name("value"), semicolon=updated_node.semicolon)


def code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _ends_the_function(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and isinstance(
        statement.body[-1], cst.Return | cst.Raise
    )


def _function(source: str) -> cst.FunctionDef:
    function = cst.parse_statement(source)
    assert isinstance(function, cst.FunctionDef)
    return function


def stub(method: cst.FunctionDef, target: FormField, reasons: list[str]) -> cst.FunctionDef:
    original = "\n".join(f"    # {line}" for line in code(method).strip().splitlines())
    because = "\n".join(
        line
        for reason in reasons
        for line in textwrap.wrap(
            reason, 80, initial_indent="    # - ", subsequent_indent="    #   "
        )
    )
    return _function(
        f'@field_validator("{target.name}")\n'
        "@classmethod\n"
        f"def {method.name.value}(cls, value: object) -> object:\n"
        "    # TODO(strangler): port the legacy validator by hand:\n"
        f"{because}\n"
        f"{original}\n"
        "    return value\n"
    )
