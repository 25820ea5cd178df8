"""The hook-state rule: routes reading g.<name> that an unported hook fills are manual."""

from codemods.engine.findings import Status
from codemods.flask.rules.hook_state import HookStateRule
from codemods.flask.rules.routes import RoutesRule
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, g, session

bp = Blueprint("shop", __name__)

@bp.before_app_request
def load_cart():
    g.cart = session.get("cart", {})

def cart_size():
    return len(g.cart)

@bp.route("/cart")
def cart():
    return str(g.cart)

@bp.route("/size")
def size():
    return str(cart_size())

@bp.route("/about")
def about():
    return "about"
"""


def statuses() -> dict[str, tuple[Status, list[str]]]:
    _, findings, _ = convert(SOURCE, [RoutesRule, HookStateRule])
    return {f.symbol: (f.status, f.reasons) for f in findings if f.kind == "route"}


def test_a_route_reading_what_the_hook_sets_is_manual_with_the_hook_named() -> None:
    status, reasons = statuses()["cart"]
    assert status == Status.manual
    assert reasons[0].startswith("g.cart is set by the hook load_cart(), which is not ported")


def test_reading_it_through_a_module_function_counts() -> None:
    assert statuses()["size"][0] == Status.manual


def test_other_routes_are_not_concerned() -> None:
    assert statuses()["about"] == (Status.converted, [])
