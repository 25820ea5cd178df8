"""The responses rule: Flask return values and helpers -> Starlette responses."""

from codemods.engine.findings import Status
from codemods.flask.rules.responses import ResponsesRule
from tests.codemods.support import assert_codemod, convert

RULES = [ResponsesRule]


def view(body: str, imports: str = "jsonify") -> str:
    lines = "\n".join(f"    {line}" for line in body.strip().splitlines())
    return (
        f"from flask import Blueprint, {imports}\n"
        'bp = Blueprint("shop", __name__)\n\n'
        '@bp.route("/x")\n'
        f"def x():\n{lines}\n"
    )


def test_jsonify_with_a_status_becomes_json_response() -> None:
    code, _, _ = convert(view('return jsonify({"a": 1}), 201'), RULES)
    assert 'return json_response({"a": 1}, 201)' in code
    assert "from flask import" not in code.split("bp =")[0].replace(
        "from flask import Blueprint", ""
    )


def test_jsonify_alone_keeps_its_name_from_the_runtime() -> None:
    code, _, _ = convert(view("return jsonify(a=1)"), RULES)
    assert "return jsonify(a=1)" in code
    assert "from codemods.runtime.flask.compat import jsonify" in code
    assert "def x() -> Response:" in code


def test_empty_string_with_204_keeps_flask_content_type() -> None:
    code, _, _ = convert(view('return "", 204'), RULES)
    assert 'return text_response("", 204)' in code


def test_a_dict_is_json_like_in_flask() -> None:
    code, _, _ = convert(view('return {"ok": True}'), RULES)
    assert 'return json_response({"ok": True})' in code


def test_body_status_headers_tuple() -> None:
    code, _, _ = convert(view('return jsonify(a), 201, {"Location": "/a"}'), RULES)
    assert 'json_response(a, 201, {"Location": "/a"})' in code


def test_unknown_return_values_go_through_make_response() -> None:
    code, _, _ = convert(view("return thing"), RULES)
    assert "return make_response(thing)" in code


def test_abort_keeps_werkzeugs_body_through_the_runtime() -> None:
    code, _, _ = convert(view("abort(404)\nreturn 'x'", "abort"), RULES)
    assert "abort(404)" in code
    assert "from codemods.runtime.flask.compat import abort" in code
    assert "from flask import Blueprint, abort" not in code


def test_redirect_to_a_relative_endpoint() -> None:
    code, _, _ = convert(view('return redirect(url_for(".x", page=2))', "redirect, url_for"), RULES)
    assert 'return redirect(url_for(request, "shop.x", page=2))' in code


def test_streaming_response_from_a_generator() -> None:
    code, _, _ = convert(
        view(
            'return Response(stream_with_context(gen()), mimetype="text/csv")',
            "Response, stream_with_context",
        ),
        RULES,
    )
    assert 'return StreamingResponse(gen(), media_type="text/csv")' in code
    assert "from fastapi.responses import StreamingResponse" in code


def test_render_template_is_partial_with_the_reason() -> None:
    code, findings, _ = convert(
        view('return render_template("a.html", n=1)', "render_template"),
        RULES,
        **{"source_package": "legacy.app"},
    )
    assert 'return templates.TemplateResponse(request, "a.html", {"n": 1})' in code
    assert 'templates = flask_templates("legacy.app")' in code
    assert findings[0].status == Status.partial
    assert "template" in findings[0].reasons[0]


def test_send_file_becomes_file_response_with_disposition() -> None:
    code, findings, _ = convert(
        view('return send_file(p, mimetype="text/plain", as_attachment=True)', "send_file"),
        RULES,
    )
    assert 'FileResponse(p, media_type="text/plain", content_disposition_type="attachment")' in code
    assert findings[0].status == Status.partial


def test_url_for_outside_a_view_takes_the_bound_request() -> None:
    assert_codemod(
        """
        from flask import url_for

        def home():
            return url_for("shop.index", page=2)
        """,
        """
        from codemods.runtime.flask.compat import url_for
        from codemods.runtime.flask.context import current_request

        def home():
            return url_for(current_request(), "shop.index", page=2)
        """,
        RULES,
    )


def test_url_for_with_a_computed_endpoint_is_resolved_by_the_runtime() -> None:
    assert_codemod(
        """
        from flask import url_for

        def helper(name):
            return url_for(name + ".login", next="/")
        """,
        """
        from codemods.runtime.flask.compat import url_for
        from codemods.runtime.flask.context import current_request

        def helper(name):
            return url_for(current_request(), name + ".login", next="/")
        """,
        RULES,
    )


def test_render_template_in_an_error_handler_renders_for_the_bound_request() -> None:
    code, _, notes = convert(
        """
        from flask import render_template

        def not_found(error):
            return render_template("errors/404.html", error=error), 404
        """,
        RULES,
        **{"source_package": "shop"},
    )
    assert (
        'return templates.TemplateResponse(current_request(), "errors/404.html", '
        '{"error": error}), 404'
    ) in code
    assert 'templates = flask_templates("shop")' in code
    assert any("render_template() outside a view" in n for n in notes)


JSON_DECORATOR = (
    "from functools import wraps\n"
    "from flask import Blueprint, jsonify as flask_jsonify\n"
    'bp = Blueprint("rq", __name__)\n\n'
    "def jsonify(f):\n"
    "    @wraps(f)\n"
    "    def _wrapped(*args, **kwargs):\n"
    "        result = f(*args, **kwargs)\n"
    '        return flask_jsonify(**result), {"Cache-Control": "no-store"}\n'
    "    return _wrapped\n\n"
    '@bp.route("/queues.json")\n'
    "@jsonify\n"
    "def queues():\n"
    "    return dict(queues=[])\n"
)


def test_a_view_whose_decorator_consumes_its_return_value_keeps_it() -> None:
    code, _, _ = convert(JSON_DECORATOR, RULES)
    assert "    return dict(queues=[])\n" in code
    assert "def queues():" in code  # no `-> Response`: the decorator makes the response


def test_a_decorator_passing_the_views_answer_on_leaves_the_returns_converted() -> None:
    passing = JSON_DECORATOR.replace(
        "        result = f(*args, **kwargs)\n"
        '        return flask_jsonify(**result), {"Cache-Control": "no-store"}\n',
        "        return f(*args, **kwargs)\n",
    )
    code, _, _ = convert(passing, RULES)
    assert "return json_response(dict(queues=[]))" in code or "make_response(dict(" in code


def test_headers_set_becomes_item_assignment() -> None:
    code, _, _ = convert(
        view(
            'r = make_response("x")\nr.headers.set("Cache-Control", "no-store")\nreturn r',
            "make_response",
        ),
        RULES,
    )
    assert 'r.headers["Cache-Control"] = "no-store"' in code
    assert ".set(" not in code


def test_headers_set_with_options_is_left_alone() -> None:
    code, _, _ = convert(
        view(
            'r = make_response("x")\nr.headers.set("A", "b", filename="c")\nreturn r',
            "make_response",
        ),
        RULES,
    )
    assert 'r.headers.set("A", "b", filename="c")' in code


def test_a_header_set_to_a_value_that_may_not_be_a_string_is_written_as_its_str() -> None:
    code, _, _ = convert(
        view(
            'r = make_response("x")\n'
            'r.headers["Content-Length"] = os.path.getsize(p)\n'
            'r.headers["X-Name"] = "n"\n'
            "return r",
            "make_response",
        ),
        RULES,
    )
    assert 'r.headers["Content-Length"] = str(os.path.getsize(p))' in code
    assert 'r.headers["X-Name"] = "n"' in code


def test_jsonify_in_a_class_method_outside_views_is_the_runtimes() -> None:
    code, _, _ = convert(
        "from enum import Enum\nfrom flask import jsonify\n\n"
        "class Answer(Enum):\n"
        "    OK = (200, 'Success.')\n\n"
        "    def __call__(self, data=None):\n"
        "        return jsonify(dict(message=self.value[1], **(data or {}))), self.value[0]\n",
        RULES,
    )
    assert "from codemods.runtime.flask.compat import jsonify" in code
    assert "from flask import jsonify" not in code


def test_a_header_set_to_a_string_expression_is_written_as_it_is() -> None:
    # the shop's 405 handler: Allow is ", ".join(valid_methods), already a string
    code, _, _ = convert(
        view(
            'r = make_response("x")\n'
            'r.headers["Allow"] = ", ".join(methods)\n'
            'r.headers["X-Id"] = "id-%s" % ident\n'
            'r.headers["X-Name"] = "{}".format(name)\n'
            "return r",
            "make_response",
        ),
        RULES,
    )
    assert 'r.headers["Allow"] = ", ".join(methods)\n' in code
    assert 'r.headers["X-Id"] = "id-%s" % ident\n' in code
    assert 'r.headers["X-Name"] = "{}".format(name)\n' in code


def test_url_for_inside_an_f_string_keeps_the_quotes_of_its_endpoint() -> None:
    # changedetection.io's edit view: double quotes inside a double-quoted f-string do not parse
    # before Python 3.12
    code, _, _ = convert(
        """
        from flask import Blueprint, url_for

        bp = Blueprint("ui", __name__)

        @bp.route("/x/<uuid>")
        def x(uuid):
            return f"<a href={url_for('.preview', uuid=uuid)}>Preview</a>"
        """,
    )
    assert "f\"<a href={url_for(request, 'ui.preview', uuid=uuid)}>Preview</a>\"" in code
    compile(code, "x.py", "exec")
