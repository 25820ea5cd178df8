"""The forms rule: WTForms / Flask-WTF -> Pydantic, one test per row of docs/mappings.md's table."""

import pytest

from codemods.engine.findings import Status
from codemods.flask.rules.forms import FormsRule
from codemods.flask.tables.wtforms import FIELDS, VALIDATORS
from tests.codemods.support import convert


def form(*fields: str) -> str:
    lines = "\n".join(f"    {f}" for f in fields)
    return f"from flask_wtf import FlaskForm\n\nclass F(FlaskForm):\n{lines}\n"


FIELD_CASES = {
    "StringField": ("StringField('a')", "a: str | None = None"),
    "TextAreaField": ("TextAreaField('a')", "a: str | None = None"),
    "HiddenField": ("HiddenField('a')", "a: str | None = None"),
    "SearchField": ("SearchField('a')", "a: str | None = None"),
    "TelField": ("TelField('a')", "a: str | None = None"),
    "PasswordField": ("PasswordField('a')", "a: SecretStr | None = None"),
    "EmailField": ("EmailField('a')", "a: EmailStr | None = None"),
    "URLField": ("URLField('a')", "a: AnyUrl | None = None"),
    "IntegerField": ("IntegerField('a')", "a: int | None = None"),
    "IntegerRangeField": ("IntegerRangeField('a')", "a: int | None = None"),
    "FloatField": ("FloatField('a')", "a: float | None = None"),
    "DecimalField": (
        "DecimalField('a', places=2)",
        "a: Annotated[Decimal | None, Field(decimal_places=2)] = None",
    ),
    "BooleanField": ("BooleanField('a')", "a: bool = False"),
    "DateField": ("DateField('a')", "a: date | None = None"),
    "DateTimeField": ("DateTimeField('a')", "a: datetime | None = None"),
    "TimeField": ("TimeField('a')", "a: time | None = None"),
    "MonthField": ("MonthField('a')", "a: date | None = None"),
    "SelectField": (
        "SelectField('a', choices=[('x', 'X'), ('y', 'Y')])",
        'a: Literal["x", "y"] | None = None',
    ),
    "RadioField": ("RadioField('a', choices=['x', 'y'])", 'a: Literal["x", "y"] | None = None'),
    "SelectMultipleField": (
        "SelectMultipleField('a', choices=[(1, 'one')], coerce=int)",
        "a: list[Literal[1]] = []",
    ),
    "FileField": ("FileField('a')", "a: UploadFile | None = None"),
    "MultipleFileField": ("MultipleFileField('a')", "a: list[UploadFile] = []"),
    "FieldList": (
        "FieldList(StringField('t'), min_entries=1, max_entries=3)",
        "a: Annotated[list[str], Field(min_length=1, max_length=3)] = []",
    ),
    "FormField": ("FormField(Address)", "a: Address"),
}


def test_the_field_table_has_a_case_per_row() -> None:
    assert set(FIELD_CASES) == set(FIELDS)


@pytest.mark.parametrize("field", sorted(FIELD_CASES))
def test_every_field_row(field: str) -> None:
    source, expected = FIELD_CASES[field]
    code, findings, _ = convert(form(f"a = {source}"), [FormsRule])
    assert f"    {expected}\n" in code
    assert "class F(BaseModel):" in code
    assert findings[0].kind == "form"


VALIDATOR_CASES = {
    "InputRequired": ("StringField('a', validators=[InputRequired()])", "a: str\n"),
    "DataRequired": (
        "StringField('a', validators=[DataRequired()])",
        'a: Annotated[str, Field(min_length=1, pattern=r"\\S")]',
    ),
    "Optional": ("StringField('a', validators=[Optional()])", "a: str | None = None"),
    "Length": (
        "StringField('a', validators=[InputRequired(), Length(min=2, max=-1)])",
        "a: Annotated[str, Field(min_length=2)]",
    ),
    "NumberRange": (
        "IntegerField('a', validators=[InputRequired(), NumberRange(min=0, max=9)])",
        "a: Annotated[int, Field(ge=0, le=9)]",
    ),
    "Email": ("StringField('a', validators=[InputRequired(), Email()])", "a: EmailStr"),
    "URL": ("StringField('a', validators=[InputRequired(), URL()])", "a: AnyUrl"),
    "UUID": ("StringField('a', validators=[InputRequired(), UUID()])", "a: UUID"),
    "IPAddress": (
        "StringField('a', validators=[InputRequired(), IPAddress()])",
        "a: IPvAnyAddress",
    ),
    "MacAddress": (
        "StringField('a', validators=[InputRequired(), MacAddress()])",
        'Field(pattern=r"^(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")',
    ),
    "Regexp": (
        "StringField('a', validators=[InputRequired(), Regexp(r'^[a-z]+$')])",
        "a: Annotated[str, Field(pattern=r'^[a-z]+$')]",
    ),
    "AnyOf": (
        "StringField('a', validators=[InputRequired(), AnyOf(['x', 'y'])])",
        "a: Literal['x', 'y']",
    ),
    "NoneOf": ("StringField('a', validators=[NoneOf(['x'])])", "a: str | None = None"),
    "EqualTo": (
        "PasswordField('a', validators=[EqualTo('b', 'must match')])",
        "    def _a_equals_b(self) -> Self:\n        if self.a != self.b:\n"
        "            raise ValueError('must match')",
    ),
    "FileAllowed": (
        "FileField('a', validators=[FileAllowed(['png', 'jpg'])])",
        '        if name and not name.endswith((".png", ".jpg",)):\n'
        '            raise ValueError("File does not have an approved extension: png, jpg")',
    ),
    "FileRequired": ("FileField('a', validators=[FileRequired()])", "a: UploadFile | None = None"),
}


def test_the_validator_table_has_a_case_per_row() -> None:
    assert set(VALIDATOR_CASES) == set(VALIDATORS)


@pytest.mark.parametrize("validator", sorted(VALIDATOR_CASES))
def test_every_validator_row(validator: str) -> None:
    source, expected = VALIDATOR_CASES[validator]
    code, _, _ = convert(form(f"a = {source}", "b = PasswordField('b')"), [FormsRule])
    assert expected in code


def test_data_required_difference_is_reported() -> None:
    _, findings, _ = convert(form("a = StringField('a', validators=[DataRequired()])"), [FormsRule])
    assert findings[0].status == Status.partial
    assert any("whitespace" in r for r in findings[0].reasons)


def test_submit_fields_and_csrf_are_not_data() -> None:
    code, _, _ = convert(form("go = SubmitField('Go')", "a = StringField('a')"), [FormsRule])
    assert "go:" not in code


def test_choices_from_a_module_constant() -> None:
    code, _, _ = convert(
        "C = [('a', 'A'), ('b', 'B')]\n\n"
        "class F(FlaskForm):\n    s = SelectField('s', choices=C)\n",
        [FormsRule],
    )
    assert 's: Literal["a", "b"] | None = None' in code


def test_equal_to_an_earlier_field_is_a_field_validator_so_the_error_is_the_fields() -> None:
    code, findings, _ = convert(
        form("b = PasswordField('Password')", "a = PasswordField('a', validators=[EqualTo('b')])"),
        [FormsRule],
    )
    assert '    @field_validator("a")\n    @classmethod\n    def _a_equals_b(\n' in code
    assert (
        '        if "b" in info.data and value != info.data["b"]:\n'
        '            raise ValueError("Field must be equal to Password.")\n'
    ) in code
    assert any("EqualTo('b') is checked only when b is valid" in r for r in findings[0].reasons)


def test_the_model_names_the_legacy_class_that_renders_the_page() -> None:
    code, _, _ = convert(
        form("a = StringField('a')"),
        [FormsRule],
        **{"source_package": "shop", "module_path": ("web", "forms.py")},
    )
    assert '    legacy_form: ClassVar[str] = "shop.web.forms.F"\n' in code


def test_submit_fields_are_not_reported() -> None:
    _, findings, _ = convert(form("go = SubmitField('Go')", "a = BooleanField('a')"), [FormsRule])
    assert not any("go" in r for r in findings[0].reasons)


def test_without_the_legacy_package_the_missing_legacy_form_is_reported() -> None:
    code, findings, _ = convert(form("a = StringField('a')"), [FormsRule])
    assert "legacy_form" not in code
    assert any(
        r.startswith("legacy_form: the legacy package is not known") for r in findings[0].reasons
    )
