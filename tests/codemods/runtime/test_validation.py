"""`load(Model, data)`: marshmallow's return value and the shape of its error messages."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field, StrictInt

from codemods.runtime.common.validation import ValidationError, load


class Line(BaseModel):
    product_id: StrictInt
    quantity: Annotated[StrictInt, Field(ge=1, le=99)]


class Order(BaseModel):
    lines: Annotated[list[Line], Field(min_length=1, max_length=50)]
    shipping: Literal["standard", "express", "pickup"] = "standard"


def messages(data: object) -> Any:
    with pytest.raises(ValidationError) as raised:
        load(Order, data)
    return raised.value.messages


def test_a_valid_body_loads_as_a_plain_dict_with_defaults() -> None:
    loaded = load(Order, {"lines": [{"product_id": 1, "quantity": 2}]})
    assert loaded == {"lines": [{"product_id": 1, "quantity": 2}], "shipping": "standard"}


def test_nested_errors_are_keyed_by_field_and_index_like_marshmallow() -> None:
    found = messages({"lines": [{"product_id": 1, "quantity": 0}]})
    assert list(found) == ["lines"]
    assert list(found["lines"]["0"]) == ["quantity"]


def test_missing_fields_and_choices_use_marshmallow_s_texts() -> None:
    assert messages({"shipping": "teleport"}) == {
        "lines": ["Missing data for required field."],
        "shipping": ["Must be one of: standard, express, pickup."],
    }


def test_a_body_that_is_not_an_object_is_a_schema_error() -> None:
    assert messages([1, 2]) == {"_schema": ["Invalid input type."]}


BODIES = [
    {"lines": [{"product_id": 1, "quantity": 0}]},
    {"lines": [{"product_id": 1, "quantity": 100}]},
    {"lines": [], "shipping": "teleport"},
    {"lines": [{"product_id": "1", "quantity": True}]},
    {"lines": [{"product_id": 1}], "extra": 1},
    {"lines": [{"product_id": 1, "quantity": 1, "note": "x"}]},
    {"lines": [{"product_id": 1, "quantity": 1}] * 51},
    {"lines": "abc"},
    {},
    [1, 2],
]


@pytest.mark.parametrize("body", BODIES, ids=[str(b)[:40] for b in BODIES])
def test_messages_are_marshmallow_s_for_the_shop_s_order_schema(body: Any) -> None:
    from marshmallow import ValidationError as MarshmallowError

    from legacy_examples.flask_shop.schemas import OrderSchema

    with pytest.raises(MarshmallowError) as legacy:
        OrderSchema().load(body)
    expected = json.loads(json.dumps(legacy.value.messages))  # int keys as JSON has them
    assert messages(body) == expected
