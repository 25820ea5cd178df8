"""marshmallow schemas for the order and quote JSON bodies."""

from marshmallow import Schema, fields, validate


class OrderLineSchema(Schema):
    product_id = fields.Integer(required=True, strict=True)
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=99))


class OrderSchema(Schema):
    lines = fields.List(
        fields.Nested(OrderLineSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    shipping = fields.String(
        load_default="standard", validate=validate.OneOf(["standard", "express", "pickup"])
    )


class QuoteSchema(Schema):
    """A price quote for a (possibly very large) basket; nothing is stored."""

    lines = fields.List(
        fields.Nested(OrderLineSchema), required=True, validate=validate.Length(min=1, max=10000)
    )
    currency = fields.String(load_default="EUR", validate=validate.OneOf(["EUR"]))
