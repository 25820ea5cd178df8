"""Django REST framework serializer fields -> Pydantic annotations (docs/mappings.md, "Django
REST framework serializer -> Pydantic"). Each field becomes `Annotated[T, helper(options)]`,
the helper from `codemods/runtime/django/drf_validation.py` doing what the DRF field's
`run_validation` does, with DRF's messages. A serializer with a field or option not listed
here is kept as written (reported)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SerializerField:
    python_type: str  # the annotation of the value DRF's `validated_data` holds
    helper: str  # the runtime's validator factory
    options: frozenset[str]  # the DRF options it takes (passed on as written)
    imports: tuple[tuple[str, str], ...] = ()


TEXT = frozenset({"max_length", "min_length", "allow_blank", "trim_whitespace"})
NUMBER = frozenset({"min_value", "max_value"})
FIELDS: dict[str, SerializerField] = {
    "CharField": SerializerField("str", "drf_char", TEXT),
    "EmailField": SerializerField("str", "drf_email", TEXT),
    "SlugField": SerializerField("str", "drf_slug", TEXT),
    "URLField": SerializerField("str", "drf_url", TEXT),
    "IntegerField": SerializerField("int", "drf_integer", NUMBER),
    "FloatField": SerializerField("float", "drf_float", NUMBER),
    "BooleanField": SerializerField("bool", "drf_boolean", frozenset()),
    "UUIDField": SerializerField("UUID", "drf_uuid", frozenset(), (("uuid", "UUID"),)),
    "ChoiceField": SerializerField("Any", "drf_choice", frozenset({"choices", "allow_blank"})),
}

# Options every field takes: what they become.
COMMON_OPTIONS: dict[str, str] = {
    "required": "required=False: the field defaults to None (DRF leaves it out of validated_data)",
    "allow_null": "allow_null=True: `T | None`, None accepted",
    "default": "the field's default (not required)",
    "label": "dropped (display only)",
    "help_text": "dropped (display only)",
    "style": "dropped (display only)",
    "write_only": "kept as an input field (DRF only hides it from the output)",
}
# Options that leave the field out of the input model (DRF never reads them from the input).
READ_ONLY_OPTIONS = frozenset({"read_only"})
# Fields that never read input (DRF's output-only fields): left out of the model, listed.
OUTPUT_ONLY = frozenset({"ReadOnlyField", "SerializerMethodField", "HiddenField"})
SERIALIZER_BASES = frozenset({"Serializer", "ModelSerializer"})

# ModelSerializer: Django model field -> (the DRF field DRF's `serializer_field_mapping` gives,
# the model field's own default max_length).
MODEL_FIELDS: dict[str, tuple[str, str | None]] = {
    "CharField": ("CharField", None),
    "TextField": ("CharField", None),
    "SlugField": ("SlugField", "50"),
    "EmailField": ("EmailField", "254"),
    "URLField": ("URLField", "200"),
    "BooleanField": ("BooleanField", None),
    "FloatField": ("FloatField", None),
    "UUIDField": ("UUIDField", None),
}
TEXT_MODEL_FIELDS = frozenset({"CharField", "TextField", "SlugField", "EmailField", "URLField"})
# model fields DRF makes read only (never read from the input)
MODEL_READ_ONLY = frozenset({"AutoField", "BigAutoField", "SmallAutoField"})
# model field options DRF's `get_field_kwargs` reads the way the table does; any other keeps
# the serializer as written (choices, validators; unique: DRF checks the table)
MODEL_OPTIONS = frozenset(
    {
        "max_length", "null", "blank", "default", "editable", "auto_now", "auto_now_add",
        "unique", "verbose_name", "help_text", "db_index", "db_column",
    }
)  # fmt: skip
