"""The marshmallow-calls rule: Schema().load(data) and ValidationError -> runtime validation."""

from pathlib import Path

from codemods.engine.findings import Status
from codemods.flask.registry import REGISTRY
from codemods.flask.rules.marshmallow_calls import text_gaps
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
    assert "from codemods.runtime.common.validation import load, ValidationError" in code
    assert "marshmallow" not in code


def test_without_the_schemas_to_read_the_view_is_partial() -> None:
    _, findings, _ = convert(SOURCE, REGISTRY.rules)
    route = next(f for f in findings if f.kind == "route")
    assert route.status == Status.partial
    assert any("schemas could not be read" in r for r in route.reasons)


def test_schema_constructs_whose_texts_differ_are_named(tmp_path: Path) -> None:
    (tmp_path / "schemas.py").write_text(
        "from marshmallow import Schema, fields, validate\n"
        "class QuoteSchema(Schema):\n"
        "    email = fields.Email(validate=validate.Regexp('x'))\n"
    )
    assert text_gaps(tmp_path) == ("fields.Email", "validate.Regexp")


def test_schemas_using_only_matched_texts_leave_no_gap(tmp_path: Path) -> None:
    (tmp_path / "schemas.py").write_text(
        "from marshmallow import Schema, fields, validate\n"
        "class QuoteSchema(Schema):\n"
        "    n = fields.Integer(validate=validate.Range(min=1))\n"
    )
    assert text_gaps(tmp_path) == ()
