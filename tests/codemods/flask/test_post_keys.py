"""What a Flask view reads of the form it is posted: found in its code, carried by its route
entry (`post_keys`), and posted by verification to a route taking POST only."""

from __future__ import annotations

import urllib.parse
from textwrap import dedent

from codemods.engine.submission_keys import TYPED_TEXT
from codemods.flask.post_keys import post_keys
from codemods.flask.rules.routes import RoutesRule
from codemods.flask.verify_legacy import post_body
from tests.codemods.support import convert

VIEWS = dedent(
    """
    import flask
    from flask import Blueprint, request

    bp = Blueprint("api", __name__)

    @bp.route("/find", methods=["POST"])
    def find():
        lang = request.values.get("lang") or "en"
        if "strict" in request.form:
            pass
        return search(request.form["q"], flask.request.values.getlist("alt"), lang)

    @bp.route("/edit", methods=["GET", "POST"])
    def edit():
        return request.form.get("title")
    """
)


def test_the_keys_a_view_reads_of_the_form_and_the_values_are_found() -> None:
    assert set(post_keys(VIEWS, "find")) == {"lang", "strict", "q", "alt"}


def test_a_view_not_found_or_a_module_that_does_not_parse_reads_nothing() -> None:
    assert post_keys(VIEWS, "missing") == []
    assert post_keys("def find(:\n", "find") == []


def test_a_route_taking_post_only_carries_the_keys_its_view_reads() -> None:
    _, findings, _ = convert(VIEWS, [RoutesRule], legacy_source=VIEWS)

    details = {finding.symbol: finding.details for finding in findings}

    assert details["find"]["post_keys"] == {"lang": None, "strict": None, "q": None, "alt": None}
    assert "post_keys" not in details["edit"]  # a page's form: posted after its GET


def test_verification_posts_each_key_typed_as_a_browser_posts_a_form() -> None:
    call = {"method": "POST", "post_keys": [["q", None], ["lang", None]]}

    body, content_type = post_body(None, call, "") or (b"", "")

    assert urllib.parse.parse_qsl(body.decode()) == [("q", TYPED_TEXT), ("lang", TYPED_TEXT)]
    assert content_type == "application/x-www-form-urlencoded"


def test_verification_posts_no_body_to_a_view_reading_no_key() -> None:
    assert post_body(None, {"method": "POST"}, "") is None
