"""Django form fields -> Pydantic types (docs/mappings.md, "Django form field -> Pydantic")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FormField:
    python_type: str  # the annotation; `{T}` is the Literal of the choices
    imports: tuple[tuple[str, str], ...] = ()
    text: bool = False  # a text input: stripped, `required=False` means "" (not None)
    pattern: str | None = None
    note: str | None = None  # reported as `partial` for review


FIELDS: dict[str, FormField] = {
    "CharField": FormField("str", text=True),
    "SlugField": FormField("str", text=True, pattern=r"^[-a-zA-Z0-9_]+$"),
    "RegexField": FormField("str", text=True),
    "EmailField": FormField("EmailStr", (("pydantic", "EmailStr"),), text=True),
    "URLField": FormField("AnyUrl", (("pydantic", "AnyUrl"),), text=True),
    "IntegerField": FormField("int"),
    "FloatField": FormField("float"),
    "DecimalField": FormField("Decimal", (("decimal", "Decimal"),)),
    "BooleanField": FormField("bool"),
    "NullBooleanField": FormField("bool | None"),
    "UUIDField": FormField("UUID", (("uuid", "UUID"),)),
    "GenericIPAddressField": FormField("IPvAnyAddress", (("pydantic", "IPvAnyAddress"),)),
    "JSONField": FormField("JsonValue", (("pydantic", "JsonValue"),)),
    "DateField": FormField("date", (("datetime", "date"),), note="input_formats: ISO only"),
    "DateTimeField": FormField(
        "datetime", (("datetime", "datetime"),), note="input_formats: ISO only"
    ),
    "TimeField": FormField("time", (("datetime", "time"),), note="input_formats: ISO only"),
    "DurationField": FormField("timedelta", (("datetime", "timedelta"),)),
    "ChoiceField": FormField("{T}"),
    "TypedChoiceField": FormField("{T}"),
    "MultipleChoiceField": FormField("list[{T}]"),
    "TypedMultipleChoiceField": FormField("list[{T}]"),
    "FileField": FormField("UploadFile", (("fastapi", "UploadFile"),)),
    "ImageField": FormField("UploadFile", (("fastapi", "UploadFile"),), note="image check"),
    "ModelChoiceField": FormField("int", note="the row must exist: check it in the view"),
    "ModelMultipleChoiceField": FormField(
        "list[int]", note="the rows must exist: check them in the view"
    ),
}

# Field options -> what they become; options not listed are reported `partial`.
OPTIONS: dict[str, str] = {
    "required": 'required=False: a default ("" for text, False for a checkbox, else None)',
    "max_length": "max_length",
    "min_length": "min_length",
    "strip": "strip_whitespace (Django strips by default)",
    "empty_value": "the default of an optional text field",
    "min_value": "ge",
    "max_value": "le",
    "step_size": "multiple_of",
    "max_digits": "max_digits",
    "decimal_places": "decimal_places",
    "choices": "Literal of the values",
    "regex": "pattern",
    "initial": "the default",
    "label": "dropped (display only)",
    "help_text": "dropped (display only)",
    "widget": "dropped (display only)",
    "label_suffix": "dropped (display only)",
    "queryset": "the rows must exist",
    "coerce": "the Literal holds the values",
    "input_formats": "ISO formats only",
}

# Django model field -> the form field a ModelForm gives it (Django's `formfield()`).
MODEL_FORM_FIELDS: dict[str, str] = {
    "CharField": "CharField",
    "TextField": "CharField",
    "SlugField": "SlugField",
    "EmailField": "EmailField",
    "URLField": "URLField",
    "IntegerField": "IntegerField",
    "BigIntegerField": "IntegerField",
    "SmallIntegerField": "IntegerField",
    "PositiveIntegerField": "IntegerField",
    "PositiveSmallIntegerField": "IntegerField",
    "PositiveBigIntegerField": "IntegerField",
    "FloatField": "FloatField",
    "DecimalField": "DecimalField",
    "BooleanField": "BooleanField",
    "DateField": "DateField",
    "DateTimeField": "DateTimeField",
    "TimeField": "TimeField",
    "DurationField": "DurationField",
    "UUIDField": "UUIDField",
    "GenericIPAddressField": "GenericIPAddressField",
    "JSONField": "JSONField",
    "FileField": "FileField",
    "ImageField": "ImageField",
    "ForeignKey": "ModelChoiceField",
    "OneToOneField": "ModelChoiceField",
    "ManyToManyField": "ModelMultipleChoiceField",
}

# Django's error codes' messages, kept for the generated constraints.
REQUIRED_MESSAGE = "This field is required."
