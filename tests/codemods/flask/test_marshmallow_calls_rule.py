"""The marshmallow-calls rule: Schema().load(data) and ValidationError -> runtime validation."""

from codemods.engine.findings import Status
from codemods.flask.registry import REGISTRY
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, jsonify, request
from marshmallow import ValidationError
from .schemas import QuoteSchema

bp = Blueprint("api", __name__)

@bp.route("/quote", methods=["POST"])
def quote():
    try:
        data = QuoteSchema().load(request.get_json())
    except ValidationError as error:
        return jsonify(fields=error.messages), 400
    return jsonify(lines=len(data["lines"]))
"""


def test_load_calls_the_runtime_with_the_generated_model() -> None:
    code, _, _ = convert(SOURCE, REGISTRY.rules)
    assert "data = load(QuoteSchema, json_payload)" in code
    assert "from codemods.runtime.validation import load, ValidationError" in code
    assert "marshmallow" not in code


def test_the_view_is_partial_because_some_message_texts_differ() -> None:
    _, findings, _ = convert(SOURCE, REGISTRY.rules)
    route = next(f for f in findings if f.kind == "route")
    assert route.status == Status.partial
    assert any("Range/Length texts are Pydantic's" in r for r in route.reasons)
