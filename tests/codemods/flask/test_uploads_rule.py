"""The uploads rule: FileStorage.save and send_from_directory in views -> runtime helpers."""

from codemods.engine.findings import Status
from codemods.flask.registry import REGISTRY
from tests.codemods.support import convert

SOURCE = """
from flask import Blueprint, jsonify, request, send_from_directory
from werkzeug.utils import secure_filename

bp = Blueprint("api", __name__)

@bp.route("/image", methods=["POST"])
def upload():
    upload = request.files.get("image")
    if upload is None or upload.filename == "":
        return jsonify(error="no file"), 400
    upload.save("/tmp/" + secure_filename(upload.filename))
    return jsonify(ok=True)

@bp.route("/image/<name>")
def image(name):
    return send_from_directory("/tmp", name)

@bp.route("/mime", methods=["POST"])
def mime():
    return jsonify(type=request.files.get("image").mimetype)
"""


def converted() -> tuple[str, dict[str, tuple[Status, list[str]]]]:
    code, findings, _ = convert(SOURCE, REGISTRY.rules)
    return code, {f.symbol: (f.status, f.reasons) for f in findings}


def test_saving_an_upload_uses_the_runtime() -> None:
    code, statuses = converted()
    assert 'save_upload(upload, "/tmp/" + secure_filename(upload.filename or ""))' in code
    assert statuses["upload"] == (Status.converted, [])


def test_send_from_directory_is_the_runtime_s() -> None:
    code, statuses = converted()
    (line,) = [line for line in code.splitlines() if "from codemods.runtime.flask.files" in line]
    assert {"save_upload", "send_from_directory"} <= set(line.split(" import ")[1].split(", "))
    assert "from flask import" not in code
    assert statuses["image"] == (Status.converted, [])


def test_file_storage_attributes_that_differ_are_marked() -> None:
    _, statuses = converted()
    assert statuses["mime"][0] == Status.partial
    assert "UploadFile.content_type" in statuses["mime"][1][0]


def test_an_upload_s_filename_passed_on_is_a_str() -> None:
    code, _ = converted()
    assert 'secure_filename(upload.filename or "")' in code


def test_send_from_directory_in_a_blueprint_function_s_view_is_the_runtime_s() -> None:
    # changedetection.io: `make_response(send_from_directory(...))` in a construct_blueprint()
    code, _, _ = convert(
        """
        from flask import Blueprint, make_response, send_from_directory

        def construct_blueprint():
            bp = Blueprint("pwa", __name__)

            @bp.route("/sw.js")
            def service_worker():
                return make_response(send_from_directory("static", path="sw.js"))

            return bp

        def helper(name):
            return send_from_directory("static", name)
        """,
        REGISTRY.rules,
    )
    assert "from codemods.runtime.flask.files import send_from_directory" in code
    assert "from flask import" not in code
