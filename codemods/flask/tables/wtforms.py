"""WTForms / Flask-WTF fields and validators -> Pydantic (docs/mappings.md, "WTForms")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldType:
    python_type: str  # the annotation; `{T}` is replaced by the choices' Literal
    imports: tuple[tuple[str, str], ...] = ()
    note: str | None = None


FIELDS: dict[str, FieldType] = {
    "StringField": FieldType("str"),
    "TextAreaField": FieldType("str"),
    "HiddenField": FieldType("str"),
    "SearchField": FieldType("str"),
    "TelField": FieldType("str"),
    "PasswordField": FieldType("SecretStr", (("pydantic", "SecretStr"),)),
    "EmailField": FieldType("EmailStr", (("pydantic", "EmailStr"),)),
    "URLField": FieldType("AnyUrl", (("pydantic", "AnyUrl"),)),
    "IntegerField": FieldType("int"),
    "IntegerRangeField": FieldType("int"),
    "FloatField": FieldType("float"),
    "DecimalField": FieldType("Decimal", (("decimal", "Decimal"),)),
    "BooleanField": FieldType("bool", note="a missing checkbox is False"),
    "DateField": FieldType("date", (("datetime", "date"),), "format: parse with the form's format"),
    "DateTimeField": FieldType(
        "datetime",
        (("datetime", "datetime"),),
        'format: WTForms defaults to "%Y-%m-%d %H:%M:%S" (a space, not ISO T)',
    ),
    "TimeField": FieldType("time", (("datetime", "time"),)),
    "MonthField": FieldType("date", (("datetime", "date"),), "format: WTForms reads %Y-%m"),
    "SelectField": FieldType("{T}"),
    "RadioField": FieldType("{T}"),
    "SelectMultipleField": FieldType("list[{T}]"),
    "FileField": FieldType("UploadFile | None", (("fastapi", "UploadFile"),)),
    "MultipleFileField": FieldType("list[UploadFile]", (("fastapi", "UploadFile"),)),
    "FieldList": FieldType("list[{T}]"),
    "FormField": FieldType("{T}"),
}

# Fields that carry no data.
NOT_DATA = {"SubmitField", "csrf_token"}

# validator -> how it is expressed; the rule reads the arguments.
VALIDATORS: dict[str, str] = {
    "InputRequired": "required",
    "DataRequired": "required; truthy: strings need a non-blank character (pattern \\S), 0 fails",
    "Optional": "T | None = None; empty string -> None",
    "Length": "min_length / max_length (-1 unbounded)",
    "NumberRange": "ge / le",
    "Email": "EmailStr",
    "URL": "AnyUrl",
    "UUID": "UUID",
    "IPAddress": "IPvAnyAddress",
    "MacAddress": "pattern",
    "Regexp": "pattern",
    "AnyOf": "Literal",
    "NoneOf": "field_validator",
    "EqualTo": "model_validator(mode='after')",
    "FileAllowed": "field_validator on the file name",
    "FileRequired": "required",
}

MAC_PATTERN = r"^(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$"

# validator -> the position of its `message` argument, for the validators whose message the forms
# runtime shows from the model's `legacy_messages` (EqualTo's and FileAllowed's are written into
# their generated field validators; NoneOf is not converted).
MESSAGE_POSITIONS: dict[str, int] = {
    "InputRequired": 0,
    "DataRequired": 0,
    "FileRequired": 0,
    "Length": 2,
    "NumberRange": 2,
    "Email": 0,
    "URL": 4,
    "UUID": 0,
    "IPAddress": 2,
    "MacAddress": 0,
    "Regexp": 2,
    "AnyOf": 1,
}

# Default messages the runtime cannot tell from the Pydantic error alone (a Literal may be a
# SelectField's choices or AnyOf; a pattern may be a Regexp or MacAddress): kept like own ones.
DEFAULT_MESSAGES: dict[str, str] = {
    "AnyOf": "Invalid value, must be one of: %(values)s.",
    "MacAddress": "Invalid Mac address.",
}
