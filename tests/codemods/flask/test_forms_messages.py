"""The forms rule keeps each validator's own `message=` (positional or keyword) in the model's
`legacy_messages`, where the forms runtime reads it (`tests/codemods/test_form_messages_runtime.py`
shows the pages)."""

import inspect

import flask_wtf.file
import pytest
import wtforms.validators

from codemods.flask.rules.forms import FormsRule
from codemods.flask.tables.wtforms import MESSAGE_POSITIONS
from tests.codemods.support import convert

MESSAGES = "legacy_messages: ClassVar[dict[str, dict[str, str]]] = "


def model(field: str) -> str:
    source = f"from flask_wtf import FlaskForm\n\nclass F(FlaskForm):\n    a = {field}\n"
    code, _, _ = convert(source, [FormsRule])
    return code


POSITIONAL_CASES = {
    "InputRequired": "InputRequired('m')",
    "DataRequired": "DataRequired('m')",
    "FileRequired": "FileRequired('m')",
    "Length": "Length(1, 5, 'm')",
    "NumberRange": "NumberRange(1, 5, 'm')",
    "Email": "Email('m')",
    "URL": "URL(True, True, False, ('http',), 'm')",
    "UUID": "UUID('m')",
    "IPAddress": "IPAddress(True, False, 'm')",
    "MacAddress": "MacAddress('m')",
    "Regexp": "Regexp('^a', 0, 'm')",
    "AnyOf": "AnyOf(['a', 'b'], 'm')",
}


@pytest.mark.parametrize("validator", sorted(MESSAGE_POSITIONS))
def test_the_message_positions_are_the_validators_own(validator: str) -> None:
    legacy = getattr(wtforms.validators, validator, None) or getattr(flask_wtf.file, validator)
    parameters = list(inspect.signature(legacy).parameters)
    assert parameters.index("message") == MESSAGE_POSITIONS[validator]


def test_there_is_a_positional_case_per_validator_with_a_message() -> None:
    assert set(POSITIONAL_CASES) == set(MESSAGE_POSITIONS)


@pytest.mark.parametrize("validator", sorted(POSITIONAL_CASES))
def test_a_positional_message_is_kept(validator: str) -> None:
    code = model(f"StringField('a', validators=[{POSITIONAL_CASES[validator]}])")
    assert f'{MESSAGES}{{"a": {{"{validator}": \'m\'}}}}\n' in code


def test_a_keyword_message_is_kept_as_written() -> None:
    code = model("StringField('a', validators=[Length(min=3, message=TOO_SHORT)])")
    assert f'{MESSAGES}{{"a": {{"Length": TOO_SHORT}}}}\n' in code


def test_the_messages_of_several_validators_and_fields() -> None:
    source = (
        "class F(FlaskForm):\n"
        "    a = StringField('a', validators=[DataRequired('Say a'), Length(-1, 3, 'Short')])\n"
        "    b = IntegerField('b', validators=[NumberRange(min=1, message='Positive')])\n"
    )
    code, _, _ = convert(source, [FormsRule])
    assert (
        f'{MESSAGES}{{"a": {{"DataRequired": \'Say a\', "Length": \'Short\'}},'
        f' "b": {{"NumberRange": \'Positive\'}}}}\n'
    ) in code


def test_without_a_message_there_are_no_legacy_messages() -> None:
    assert "legacy_messages" not in model("StringField('a', validators=[Length(max=3)])")


def test_message_none_is_wtforms_default() -> None:
    assert "legacy_messages" not in model("StringField('a', validators=[Length(3, message=None)])")


def test_any_of_keeps_its_default_message_the_runtime_cannot_tell_from_a_choice() -> None:
    code = model("StringField('a', validators=[AnyOf(['x', 'y'])])")
    assert f'{MESSAGES}{{"a": {{"AnyOf": "Invalid value, must be one of: %(values)s."}}}}' in code


def test_the_messages_follow_the_legacy_class_name() -> None:
    code, _, _ = convert(
        "class F(FlaskForm):\n    a = StringField('a', validators=[Length(3, 9, 'm')])\n",
        [FormsRule],
        **{"source_package": "shop", "module_path": ("forms.py",)},
    )
    assert '    legacy_form: ClassVar[str] = "shop.forms.F"\n    legacy_messages: ' in code
