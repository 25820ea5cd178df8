"""The request-data rule: flask.request -> declared FastAPI parameters."""

from codemods.engine.findings import Status
from codemods.flask.rules.request_data import RequestDataRule
from codemods.flask.tables.request import ATTRIBUTES
from tests.codemods.support import convert

RULES = [RequestDataRule]


def view(body: str) -> str:
    lines = "\n".join(f"    {line}" for line in body.strip().splitlines())
    return f'from flask import request\n\n@app.route("/x")\ndef x():\n{lines}\n'


def test_typed_arg_falls_back_to_the_default_like_werkzeug() -> None:
    code, _, _ = convert(view('page = request.args.get("page", 1, type=int)\nreturn page'), RULES)
    assert "page = coerce_arg(arg_page, int, 1)" in code
    assert 'arg_page: Annotated[str | None, Query(alias="page")] = None' in code
    assert "from flask import request" not in code


def test_args_get_with_a_default() -> None:
    code, _, _ = convert(view('q = request.args.get("q", "")\nreturn q'), RULES)
    assert 'q = (arg_q if arg_q is not None else "")' in code


def test_missing_required_arg_answers_400_like_flask() -> None:
    code, _, _ = convert(view('q = request.args["q"]\nreturn q'), RULES)
    assert 'q = require_arg(arg_q, "q")' in code


def test_getlist_with_and_without_type() -> None:
    code, _, _ = convert(
        view('a = request.args.getlist("t")\nb = request.args.getlist("n", type=int)\nreturn a'),
        RULES,
    )
    assert "a = (arg_t or [])" in code
    assert "b = coerce_list(arg_n, int)" in code
    assert 'arg_n: Annotated[list[str] | None, Query(alias="n")] = None' in code


def test_form_header_and_cookie_values() -> None:
    code, _, _ = convert(
        view(
            'a = request.form["name"]\nb = request.headers.get("X-Token")\n'
            'c = request.cookies.get("sid")\nreturn a'
        ),
        RULES,
    )
    assert 'form_name: Annotated[str | None, Form(alias="name")] = None' in code
    assert 'header_x_token: Annotated[str | None, Header(alias="X-Token")] = None' in code
    assert 'cookie_sid: Annotated[str | None, Cookie(alias="sid")] = None' in code


def test_json_body_keeps_flask_status_codes_through_a_dependency() -> None:
    code, _, _ = convert(view('data = request.get_json()\nreturn data["a"]'), RULES)
    assert "data = json_payload" in code
    assert "json_payload: Annotated[Any, Depends(json_body)]" in code


def test_silent_json_body() -> None:
    code, _, _ = convert(view("data = request.get_json(silent=True)\nreturn data"), RULES)
    assert "Depends(json_body_silent)" in code


def test_files_become_upload_files() -> None:
    code, _, _ = convert(view('f = request.files.get("image")\nreturn f'), RULES)
    assert 'file_image: Annotated[UploadFile | None, Depends(uploaded("image"))]' in code


def test_request_attributes_use_the_starlette_request() -> None:
    code, _, _ = convert(view("return request.path"), RULES)
    assert "return request.url.path" in code
    assert "def x(*, request: Request):" in code


def test_unknown_request_attribute_stays_on_flask_and_is_manual() -> None:
    code, findings, _ = convert(view("return request.stream"), RULES)
    assert "return flask_request.stream" in code
    assert "from flask import request as flask_request" in code
    assert "# TODO(strangler): request.stream" in code
    assert findings[0].status == Status.manual


def test_request_environ_is_the_runtime_s_wsgi_environ_of_the_request() -> None:
    code, _, _ = convert(view('return request.environ.get("REMOTE_ADDR")'), RULES)
    assert 'return request_environ(request).get("REMOTE_ADDR")' in code
    code, _, _ = convert(view('return request.environ["HTTP_HOST"]'), RULES)
    assert 'return request_environ(request)["HTTP_HOST"]' in code
    assert "from codemods.runtime.flask.context import request_environ" in code


def test_request_blueprint_is_the_matched_route_s_blueprint() -> None:
    code, _, _ = convert(view("return request.blueprint or ''"), RULES)
    assert "return request_blueprint(request) or ''" in code


def test_request_accept_headers_are_werkzeug_s_parses_of_the_request_s() -> None:
    code, _, _ = convert(view('return request.accept_languages.best_match(["en", "fr"])'), RULES)
    assert 'return accept_languages(request).best_match(["en", "fr"])' in code


def test_helper_reading_flask_request_is_flagged() -> None:
    code, _, _ = convert("from flask import request\n\ndef h():\n    return request.args\n", RULES)
    assert "# TODO(strangler): h() reads flask.request outside a view" in code


def test_every_request_attribute_row_converts() -> None:
    for attribute, template in ATTRIBUTES.items():
        code, _, _ = convert(view(f"return request.{attribute}"), RULES)
        assert template.format(r="request") in code, attribute


def test_json_body_keys_and_casts_document_a_pydantic_model_in_openapi() -> None:
    code, _, _ = convert(
        view(
            'data = request.get_json()\nqty = int(data["qty"])\nnote = data.get("note")\n'
            'return data["name"]'
        ),
        RULES,
    )
    assert "class XBody(BaseModel):" in code
    assert "    qty: int\n" in code
    assert "    name: Any\n" in code
    assert "    note: Any = None\n" in code
    assert "XBody.model_json_schema()" in code
    assert "data = json_payload" in code  # the view still reads the body itself


def test_the_raw_body_is_read_through_the_runtime() -> None:
    code, findings, _ = convert(
        view("data = json.loads(request.data)\ntext = request.get_data(as_text=True)\nreturn text"),
        RULES,
    )
    assert "data = json.loads(request_data())" in code
    assert "text = request_data(as_text=True)" in code
    assert "from codemods.runtime.flask.context import request_data" in code
    assert findings[0].status == Status.converted


def test_the_whole_form_is_werkzeug_s_multidict_from_the_runtime() -> None:
    code, findings, _ = convert(view("return request.form.get(name) or request.values"), RULES)
    assert "return request_form().get(name) or request_values()" in code
    assert findings[0].status == Status.converted


def test_values_in_a_get_view_are_query_parameters() -> None:
    code, _, _ = convert(view('q = request.values.get("q")\nreturn q'), RULES)
    assert 'arg_q: Annotated[str | None, Query(alias="q")] = None' in code


def test_values_in_a_view_taking_the_form_come_from_the_query_string_then_the_form() -> None:
    code, _, _ = convert(
        json_view('q = request.values.get("q")\ntags = request.values.getlist("tag")\nreturn q'),
        RULES,
    )
    assert "q = values_q" in code
    assert 'values_q: Annotated[str | None, Depends(value_of("q"))]' in code
    assert 'values_tag: Annotated[list[str], Depends(all_values_of("tag"))]' in code
    assert "Query(" not in code


def json_view(body: str, decorator: str = "") -> str:
    lines = "\n".join(f"    {line}" for line in body.strip().splitlines())
    return (
        "from flask import Blueprint, request\n"
        'bp = Blueprint("api", __name__)\n\n'
        '@bp.route("/x", methods=["POST"])\n'
        f"{decorator}"
        f"def x():\n{lines}\n"
    )


def test_json_read_in_a_plain_view_is_a_body_dependency() -> None:
    code, _, _ = convert(json_view("data = request.get_json()\nreturn data"), RULES)
    assert "json_payload: Annotated[Any, Depends(json_body)]" in code


def test_json_read_under_a_decorator_of_the_apps_own_is_read_where_the_view_reads_it() -> None:
    code, _, _ = convert(json_view("data = request.get_json()\nreturn data", "@secure\n"), RULES)
    assert "data = request_json()" in code
    assert "json_body" not in code
    assert "from codemods.runtime.flask.context import request_json" in code


def test_json_read_inside_a_context_manager_that_may_catch_its_error_stays_in_place() -> None:
    body = "with session_scope() as session:\n    data = request.get_json(silent=True)\nreturn data"
    code, _, _ = convert(json_view(body), RULES)
    assert "data = request_json(silent=True)" in code
    assert "Depends(json_body" not in code


def test_json_read_inside_a_try_catching_its_error_stays_in_place() -> None:
    body = "try:\n    data = request.json\nexcept Exception:\n    data = {}\nreturn data"
    code, _, _ = convert(json_view(body), RULES)
    assert "data = request_json()" in code


def test_json_read_inside_a_try_catching_other_errors_is_a_body_dependency() -> None:
    body = (
        "try:\n    data = load(request.json)\nexcept ValidationError:\n    data = {}\nreturn data"
    )
    code, _, _ = convert(json_view(body), RULES)
    assert "data = load(json_payload)" in code
