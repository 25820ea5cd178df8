"""The flask-json rule: `flask.json` imports become forms the other rules convert."""

from codemods.flask.rules.flask_json import FlaskJsonRule
from tests.codemods.support import assert_codemod, convert

RULES = [FlaskJsonRule]


def test_jsonify_from_flask_json_is_flask_s_jsonify() -> None:
    assert_codemod(
        "from flask.json import jsonify\n",
        "from flask import jsonify\n",
        RULES,
    )


def test_flask_s_json_used_only_to_load_is_the_standard_library_s() -> None:
    code, _, _ = convert(
        "from flask import jsonify, request, json\n\n"
        "def view():\n"
        "    return json.loads(request.data)['data']\n",
        RULES,
    )
    assert "from flask import jsonify, request\n" in code
    assert "import json\n" in code


def test_flask_s_json_dumping_keeps_flask_s_module() -> None:
    legacy = "from flask import json\n\ndef view(value):\n    return json.dumps(value)\n"
    code, _, _ = convert(legacy, RULES)
    assert code == legacy


def test_a_helper_from_flask_helpers_is_imported_from_flask() -> None:
    assert_codemod(
        "from flask.helpers import send_from_directory\n",
        "from flask import send_from_directory\n",
        RULES,
    )


def test_a_name_flask_does_not_reexport_keeps_its_submodule() -> None:
    assert_codemod(
        "from flask.helpers import send_from_directory, get_root_path\n",
        "from flask.helpers import send_from_directory, get_root_path\n",
        RULES,
    )
