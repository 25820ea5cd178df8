"""The flask-helpers rule: routes calling module functions that still use Flask are manual."""

from codemods.engine.findings import Status
from codemods.flask.rules.flask_context import FlaskContextRule
from codemods.flask.rules.flask_helpers import FlaskHelpersRule
from codemods.flask.rules.responses import ResponsesRule
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, url_for

bp = Blueprint("auth", __name__)

def home():
    return url_for("shop.index")

@bp.route("/login")
def login():
    return home()

@bp.route("/about")
def about():
    return "about"
"""


def statuses() -> dict[str, tuple[Status, list[str]]]:
    _, findings, _ = convert(SOURCE, [FlaskHelpersRule])
    return {f.symbol: (f.status, f.reasons) for f in findings if f.kind == "route"}


def test_a_route_calling_a_helper_that_uses_flask_is_manual_naming_both() -> None:
    assert statuses()["login"] == (
        Status.manual,
        ["home() still uses flask.url_for, which works only inside Flask: port it"],
    )


def test_routes_that_do_not_call_it_are_not_concerned() -> None:
    assert statuses()["about"] == (Status.converted, [])


def test_a_helper_whose_url_for_and_session_were_converted_no_longer_counts() -> None:
    source = """
from flask import Blueprint, redirect, session, url_for

bp = Blueprint("auth", __name__)

def home():
    session["seen"] = True
    return url_for("shop.index")

@bp.route("/login")
def login():
    return redirect(home())
"""
    _, findings, _ = convert(source, [FlaskContextRule, ResponsesRule, FlaskHelpersRule])
    assert [(f.symbol, f.status) for f in findings if f.kind == "route"] == [
        ("login", Status.converted)
    ]
