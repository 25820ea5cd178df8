"""marshmallow fields and validators -> Pydantic (issue 4, "marshmallow schemas")."""

from __future__ import annotations

# fields.<name> -> (annotation, strict annotation when strict=True, imports)
FIELDS: dict[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "String": ("str", "StrictStr", (("pydantic", "StrictStr"),)),
    "Str": ("str", "StrictStr", (("pydantic", "StrictStr"),)),
    "Integer": ("int", "StrictInt", (("pydantic", "StrictInt"),)),
    "Int": ("int", "StrictInt", (("pydantic", "StrictInt"),)),
    "Float": ("float", "StrictFloat", (("pydantic", "StrictFloat"),)),
    "Decimal": ("Decimal", "Decimal", (("decimal", "Decimal"),)),
    "Boolean": ("bool", "StrictBool", (("pydantic", "StrictBool"),)),
    "Bool": ("bool", "StrictBool", (("pydantic", "StrictBool"),)),
    "DateTime": ("datetime", "datetime", (("datetime", "datetime"),)),
    "Date": ("date", "date", (("datetime", "date"),)),
    "Time": ("time", "time", (("datetime", "time"),)),
    "Email": ("EmailStr", "EmailStr", (("pydantic", "EmailStr"),)),
    "Url": ("AnyUrl", "AnyUrl", (("pydantic", "AnyUrl"),)),
    "URL": ("AnyUrl", "AnyUrl", (("pydantic", "AnyUrl"),)),
    "UUID": ("UUID", "UUID", (("uuid", "UUID"),)),
    "Dict": ("dict[str, Any]", "dict[str, Any]", (("typing", "Any"),)),
    "Raw": ("Any", "Any", (("typing", "Any"),)),
    "List": ("list[{T}]", "list[{T}]", ()),
    "Nested": ("{T}", "{T}", ()),
}

# validate.<name> -> the Field keywords it becomes (arguments read by the rule)
VALIDATORS: dict[str, str] = {
    "Range": "ge / le",
    "Length": "min_length / max_length",
    "OneOf": "Literal",
    "Regexp": "pattern",
    "Email": "EmailStr",
    "URL": "AnyUrl",
}
