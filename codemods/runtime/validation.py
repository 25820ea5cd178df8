"""marshmallow call sites on the Pydantic models the marshmallow rule generates.

`Schema().load(data)` -> `load(Schema, data)`: a plain dict, like marshmallow's; a failure raises
`ValidationError` whose `.messages` has marshmallow's shape (`{"lines": {"0": {"quantity":
[...]}}}`, `_schema` for a body that is not an object). The texts are marshmallow's for missing
fields, wrong types, unknown fields, `OneOf` and `Length`; other texts are Pydantic's.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from pydantic_core import ErrorDetails

M = TypeVar("M", bound=pydantic.BaseModel)

TYPE_MESSAGES = {
    "missing": "Missing data for required field.",
    "int_type": "Not a valid integer.",
    "int_parsing": "Not a valid integer.",
    "int_from_float": "Not a valid integer.",
    "string_type": "Not a valid string.",
    "list_type": "Not a valid list.",
    "bool_type": "Not a valid boolean.",
    "float_type": "Not a valid number.",
    "decimal_type": "Not a valid number.",
    "extra_forbidden": "Unknown field.",
    "model_type": "Invalid input type.",
    "model_attributes_type": "Invalid input type.",
    "dict_type": "Invalid input type.",
}


class ValidationError(Exception):
    """marshmallow's `ValidationError`: `.messages` maps fields to lists of messages."""

    def __init__(self, messages: dict[str, Any]) -> None:
        super().__init__(messages)
        self.messages = messages


def message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in TYPE_MESSAGES:
        return TYPE_MESSAGES[kind]
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"Must be one of: {expected}."
    if kind in ("too_short", "too_long") and "min_length" in ctx and "max_length" in ctx:
        return f"Length must be between {ctx['min_length']} and {ctx['max_length']}."
    if kind == "too_short" and "min_length" in ctx:
        return f"Shorter than minimum length {ctx['min_length']}."
    if kind == "too_long" and "max_length" in ctx:
        return f"Longer than maximum length {ctx['max_length']}."
    if kind == "greater_than_equal":
        return f"Must be greater than or equal to {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"Must be less than or equal to {ctx.get('le')}."
    return error["msg"]


def messages_of(error: pydantic.ValidationError) -> dict[str, Any]:
    """Pydantic's errors in marshmallow's nested shape."""
    messages: dict[str, Any] = {}
    for detail in error.errors():
        path = [str(part) for part in detail["loc"]]
        text = message(detail)
        if detail["type"] in ("model_type", "model_attributes_type", "dict_type"):
            path.append("_schema")
        node = messages
        for part in path[:-1] if path else []:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            node.setdefault(path[-1] if path else "_schema", []).append(text)
    return messages


def load(model: type[M], data: Any) -> dict[str, Any]:
    """`Schema().load(data)`."""
    try:
        return model.model_validate(data).model_dump()
    except pydantic.ValidationError as error:
        raise ValidationError(messages_of(error)) from None
