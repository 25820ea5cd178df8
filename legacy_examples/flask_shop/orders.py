"""Placing an order: shared by the JSON API and the checkout page."""

from decimal import Decimal

from .extensions import db
from .models import Order, OrderLine, Product


class OrderError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def place_order(user, quantities, **details):
    """Create an order for `user` from {product_id: quantity}, taking the items out of stock."""
    if not quantities:
        raise OrderError("the order has no lines")
    products = {
        p.id: p for p in Product.query.filter(Product.id.in_(quantities)).with_for_update().all()
    }
    missing = sorted(set(quantities) - set(products))
    if missing:
        raise OrderError(f"unknown products: {', '.join(map(str, missing))}")
    order = Order(user=user, total=Decimal("0.00"), **details)
    for product_id, quantity in quantities.items():
        product = products[product_id]
        if product.stock < quantity:
            db.session.rollback()
            raise OrderError(f"not enough stock for {product.name}", status=409)
        product.stock -= quantity
        order.lines.append(OrderLine(product=product, quantity=quantity, unit_price=product.price))
        order.total += product.price * quantity
    db.session.add(order)
    db.session.commit()
    return order
