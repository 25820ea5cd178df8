"""The marshmallow rule: schemas -> Pydantic models, one test per row of its table."""

import pytest

from codemods.flask.rules.marshmallow_schemas import MarshmallowRule
from codemods.flask.tables.marshmallow import FIELDS, VALIDATORS
from tests.codemods.support import convert


def schema(*fields: str) -> str:
    lines = "\n".join(f"    {f}" for f in fields)
    return f"from marshmallow import Schema, fields, validate\n\nclass S(Schema):\n{lines}\n"


FIELD_ARGUMENTS = {"List": "fields.Integer()", "Nested": "Inner"}


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_every_field_row(field: str) -> None:
    argument = FIELD_ARGUMENTS.get(field)
    arguments = f"{argument}, required=True" if argument else "required=True"
    code, _, _ = convert(schema(f"a = fields.{field}({arguments})"), [MarshmallowRule])
    expected = FIELDS[field][0].replace("{T}", "int" if field == "List" else "Inner")
    assert f"    a: {expected}\n" in code


def test_strict_integers_stay_strict() -> None:
    code, _, _ = convert(
        schema("a = fields.Integer(required=True, strict=True)"), [MarshmallowRule]
    )
    assert "a: StrictInt" in code


def test_load_default_and_optional_fields() -> None:
    code, _, _ = convert(
        schema("a = fields.String(load_default='x')", "b = fields.String()"), [MarshmallowRule]
    )
    assert "a: str = 'x'" in code
    assert "b: str | None = None" in code


VALIDATOR_CASES = {
    "Range": ("validate.Range(min=1, max=99)", "Field(ge=1, le=99)"),
    "Length": ("validate.Length(min=1, max=50)", "Field(min_length=1, max_length=50)"),
    "OneOf": ("validate.OneOf(['a', 'b'])", "a: Literal['a', 'b']"),
    "Regexp": ("validate.Regexp(r'^x$')", "Field(pattern=r'^x$')"),
    "Email": ("validate.Email()", "a: str"),
    "URL": ("validate.URL()", "a: str"),
}


@pytest.mark.parametrize("validator", sorted(VALIDATORS))
def test_every_validator_row(validator: str) -> None:
    check, expected = VALIDATOR_CASES[validator]
    code, _, _ = convert(
        schema(f"a = fields.String(required=True, validate={check})"), [MarshmallowRule]
    )
    assert expected in code


def test_nested_lists_of_schemas() -> None:
    code, _, _ = convert(
        schema("lines = fields.List(fields.Nested(Line), required=True)"), [MarshmallowRule]
    )
    assert "lines: list[Line]" in code


@pytest.mark.parametrize(
    ("member", "named"),
    [
        (
            "@post_dump(pass_many=True)\n    def wrap(self, data, many):\n        return data",
            "@post_dump",
        ),
        ("def under(self, data):\n        return data", "def under"),
        ("__envelope__ = True", "__envelope__ = True"),
    ],
)
def test_a_schema_with_behaviour_of_its_own_stays_marshmallow(member: str, named: str) -> None:
    # lemur's LemurSchema: envelopes, key casing and hooks are what its loads and dumps answer
    code, findings, _ = convert(schema("a = fields.String()", member), [MarshmallowRule])
    assert "class S(Schema):" in code
    assert "BaseModel" not in code
    assert any(named in reason for reason in findings[0].reasons)


def test_a_schema_of_fields_and_meta_still_converts() -> None:
    code, _, _ = convert(
        schema("a = fields.String(required=True)", "class Meta:\n        ordered = True"),
        [MarshmallowRule],
    )
    assert "class S(BaseModel):" in code
