"""marshmallow call sites on the Pydantic models the marshmallow rule generates.

`Schema().load(data)` -> `load(Schema, data)`: a plain dict, like marshmallow's; a failure raises
`ValidationError` whose `.messages` has marshmallow's shape (`{"lines": {"0": {"quantity":
[...]}}}`, `_schema` for a body that is not an object) and marshmallow's texts for missing
fields, wrong types, unknown fields (marshmallow's default `unknown=RAISE`), `OneOf`, `Range`
and `Length` (their bounds are read from the model's field constraints). Other validators keep
Pydantic's texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, get_args

import annotated_types
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


def constraints(model: type[pydantic.BaseModel], loc: Sequence[int | str]) -> dict[str, Any]:
    """The bounds declared on the field at `loc` (`{"ge": 1, "le": 99}`, `{"min_length": 1}`)."""
    annotation: Any = model
    metadata: list[Any] = []
    for part in loc:
        if isinstance(part, int):
            args = get_args(annotation)
            annotation, metadata = (args[0] if args else Any), []
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)):
            return {}
        field = annotation.model_fields.get(part)
        if field is None:
            return {}
        annotation, metadata = field.annotation, list(field.metadata)
    bounds: dict[str, Any] = {}
    for item in metadata:
        for name in ("ge", "gt", "le", "lt"):
            if isinstance(item, getattr(annotated_types, name.title())):
                bounds[name] = getattr(item, name)
        if isinstance(item, annotated_types.MinLen):
            bounds["min_length"] = item.min_length
        if isinstance(item, annotated_types.MaxLen):
            bounds["max_length"] = item.max_length
    return bounds


def range_message(bounds: dict[str, Any]) -> str:
    """marshmallow's `validate.Range` text."""
    low = (
        f"greater than or equal to {bounds['ge']}"
        if "ge" in bounds
        else (f"greater than {bounds['gt']}" if "gt" in bounds else None)
    )
    high = (
        f"less than or equal to {bounds['le']}"
        if "le" in bounds
        else (f"less than {bounds['lt']}" if "lt" in bounds else None)
    )
    return f"Must be {' and '.join(p for p in (low, high) if p)}."


def length_message(bounds: dict[str, Any]) -> str:
    """marshmallow's `validate.Length` text."""
    low, high = bounds.get("min_length"), bounds.get("max_length")
    if low is not None and high is not None:
        return (
            f"Length must be {low}." if low == high else f"Length must be between {low} and {high}."
        )
    if low is not None:
        return f"Shorter than minimum length {low}."
    return f"Longer than maximum length {high}."


def message(error: ErrorDetails, model: type[pydantic.BaseModel] | None = None) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in TYPE_MESSAGES:
        return TYPE_MESSAGES[kind]
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"Must be one of: {expected}."
    bounds = constraints(model, error["loc"]) if model is not None else {}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return range_message(bounds or ctx)
    if kind in ("too_short", "too_long"):
        return length_message(bounds or ctx)
    return error["msg"]


def messages_of(
    error: pydantic.ValidationError, model: type[pydantic.BaseModel] | None = None
) -> dict[str, Any]:
    """Pydantic's errors in marshmallow's nested shape."""
    messages: dict[str, Any] = {}
    for detail in error.errors():
        path = [str(part) for part in detail["loc"]]
        text = message(detail, model)
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


def unknown_fields(model: Any, data: Any, path: tuple[str, ...] = ()) -> list[ErrorDetails]:
    """Keys the model does not declare, at any depth (marshmallow raises for them)."""
    found: list[ErrorDetails] = []
    if isinstance(model, type) and issubclass(model, pydantic.BaseModel):
        if not isinstance(data, dict):
            return found
        for key, value in data.items():
            field = model.model_fields.get(key)
            if field is None:
                found.append(
                    {"type": "extra_forbidden", "loc": (*path, key), "msg": "", "input": value}
                )
            else:
                found += unknown_fields(field.annotation, value, (*path, key))
        return found
    args = get_args(model)
    if args and isinstance(data, list):
        for index, item in enumerate(data):
            found += unknown_fields(args[0], item, (*path, str(index)))
    return found


def load(model: type[M], data: Any) -> dict[str, Any]:
    """`Schema().load(data)`."""
    unknown = unknown_fields(model, data)
    try:
        loaded = model.model_validate(data).model_dump()
    except pydantic.ValidationError as error:
        messages = messages_of(error, model)
    else:
        if not unknown:
            return loaded
        messages = {}
    for detail in unknown:
        node = messages
        for part in detail["loc"][:-1]:
            node = node.setdefault(str(part), {})
        node.setdefault(str(detail["loc"][-1]), []).append(TYPE_MESSAGES["extra_forbidden"])
    raise ValidationError(messages)
