"""The local-imports rule: Flask imported inside a function is imported with the module's own
Flask imports, so the other rules convert its names (changedetection.io's views import
`jsonify`, `make_response` and `request` in their bodies)."""

from codemods.flask.registry import REGISTRY
from codemods.flask.rules.local_imports import LocalImportsRule
from tests.codemods.support import assert_codemod, convert


def test_a_function_s_flask_import_joins_the_module_s() -> None:
    assert_codemod(
        """
        from flask import Blueprint

        def prompt(uuid):
            # the prompt, at once
            from flask import jsonify
            return jsonify({"prompt": uuid})
        """,
        """
        from flask import Blueprint, jsonify

        def prompt(uuid):
            # the prompt, at once
            return jsonify({"prompt": uuid})
        """,
        [LocalImportsRule],
    )


def test_without_a_module_level_flask_import_one_is_added_after_the_imports() -> None:
    assert_codemod(
        """
        import os

        def feed():
            from flask import make_response, request
            return make_response(request.args.get("q", os.sep))
        """,
        """
        import os
        from flask import make_response, request

        def feed():
            return make_response(request.args.get("q", os.sep))
        """,
        [LocalImportsRule],
    )


def test_a_function_left_empty_gets_a_pass() -> None:
    code, _, _ = convert('def f():\n    """Doc."""\n    from flask import g\n', [LocalImportsRule])
    assert code == 'from flask import g\ndef f():\n    """Doc."""\n    pass\n'


def test_a_name_the_module_binds_otherwise_stays_in_the_function() -> None:
    source = (
        "from .helpers import jsonify\n\ndef f():\n    from flask import jsonify\n    return 1\n"
    )
    code, _, _ = convert(source, [LocalImportsRule])
    assert code == source


def test_a_name_a_function_binds_stays_where_it_is() -> None:
    # moved to the top level, `inner`'s `request` would be `outer`'s argument
    source = (
        "def outer(request):\n    def inner():\n        from flask import request\n"
        "        return request.path\n    return inner\n"
    )
    code, _, _ = convert(source, [LocalImportsRule])
    assert code == source


def test_with_every_rule_the_view_s_local_jsonify_is_converted() -> None:
    code, _, _ = convert(
        """
        from flask import Blueprint

        bp = Blueprint("ui", __name__)

        @bp.route("/prompt/<uuid>")
        def prompt(uuid):
            from flask import jsonify
            return jsonify({"prompt": uuid}), 404
        """,
        REGISTRY.rules,
    )
    assert 'return json_response({"prompt": uuid}, 404)' in code
    assert "from flask" not in code


def test_an_import_in_an_if_moves_and_one_in_a_try_stays() -> None:
    code, _, _ = convert(
        """
        def asset(name):
            if name not in ASSETS:
                from flask import abort
                abort(404)
            try:
                from flask import g
            except ImportError:
                g = None
            return ASSETS[name]
        """,
        [LocalImportsRule],
    )
    assert code.lstrip().startswith("from flask import abort\n")
    assert "    try:\n        from flask import g\n" in code
