"""The hook-state rule: routes reading g.<name> that an unported hook fills are manual."""

from codemods.engine.findings import Status
from codemods.flask.rules.hook_state import HookStateRule
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, Flask, g, session

app = Flask(__name__)
bp = Blueprint("shop", __name__)

@app.url_value_preprocessor
def load_user(endpoint, values):
    g.user = session.get("user")

@bp.before_app_request
def load_cart():
    g.cart = session.get("cart", {})

def user_name():
    return g.user["name"]

@bp.route("/me")
def me():
    return str(g.user)

@bp.route("/name")
def name():
    return user_name()

@bp.route("/cart")
def cart():
    return str(g.cart)
"""


def statuses() -> dict[str, tuple[Status, list[str]]]:
    _, findings, _ = convert(SOURCE, [HookStateRule])
    return {f.symbol: (f.status, f.reasons) for f in findings if f.kind == "route"}


def test_a_route_reading_what_an_unported_hook_sets_is_manual_with_the_hook_named() -> None:
    status, reasons = statuses()["me"]
    assert status == Status.manual
    assert reasons[0].startswith("g.user is set by the hook load_user(), which is not ported")


def test_reading_it_through_a_module_function_counts() -> None:
    assert statuses()["name"][0] == Status.manual


def test_what_a_blueprint_hook_sets_is_not_concerned_the_hook_is_ported() -> None:
    assert statuses()["cart"] == (Status.converted, [])


def test_what_a_module_level_app_s_before_request_sets_is_not_concerned_it_is_ported() -> None:
    source = SOURCE.replace(
        "@app.url_value_preprocessor\ndef load_user(endpoint, values):",
        "@app.before_request\ndef load_user():",
    )
    _, findings, _ = convert(source, [HookStateRule])
    assert {f.symbol: f.status for f in findings if f.kind == "route"}["me"] == Status.converted
