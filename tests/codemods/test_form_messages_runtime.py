"""A form's own messages and inline validators through the forms runtime: the generated model
(from tests/codemods/cases/signup_forms.py) gives the errors WTForms gives for the same post,
and the page renders them the same."""

from typing import Annotated, Any

import flask
import jinja2
import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from codemods.flask.rules.forms import FormsRule
from codemods.runtime.flask.html_forms import HtmlForm, html_form
from tests.codemods.cases import signup_forms
from tests.codemods.support import REPO_ROOT, convert

PAGE = jinja2.Template(
    "{% for field in form %}{% if field.name != 'csrf_token' %}"
    "{{ field.label }} {{ field() }}"
    "{% for error in field.errors %}<p class=error>{{ error }}</p>{% endfor %}"
    "{% endif %}{% endfor %}"
)
RIGHT = {"name": "Ann", "email": "ann@shop.example"}


@pytest.fixture(scope="module")
def model() -> type[BaseModel]:
    code, _, _ = convert(
        (REPO_ROOT / "tests/codemods/cases/signup_forms.py").read_text(),
        [FormsRule],
        **{
            "source_package": "tests.codemods.cases",
            "module_path": ("signup_forms.py",),
        },
    )
    namespace: dict[str, Any] = {}
    exec(compile(code, "signup_forms.py", "exec"), namespace)
    signup = namespace["SignupForm"]
    assert isinstance(signup, type) and issubclass(signup, BaseModel)
    return signup


def legacy_page(data: dict[str, str]) -> tuple[str, dict[str, Any]]:
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    with app.test_request_context(method="POST", data=data):
        form = signup_forms.SignupForm()
        form.validate()
        return PAGE.render(form=form), form.errors


def generated_page(model: type[BaseModel], data: dict[str, str]) -> tuple[str, dict[str, Any]]:
    app = FastAPI()
    errors: list[dict[str | None, list[str]]] = []

    @app.post("/")
    def view(form: Annotated[HtmlForm[Any], Depends(html_form(model))]) -> HTMLResponse:
        form.validate()
        errors.append(form.errors)
        return HTMLResponse(PAGE.render(form=form))

    answer = TestClient(app).post("/", data=data)
    assert answer.status_code == 200, answer.text
    return answer.text, errors[0]


CASES = {
    "own required message": {"email": "ann@shop.example"},
    "own length message with its bounds and the length": {**RIGHT, "name": "A"},
    "own input-required message": {"name": "Ann"},
    "own email message": {**RIGHT, "email": "ann"},
    "inline validator": {**RIGHT, "email": "ann@Mailinator.com"},
    "inline validator reading an earlier field": {**RIGHT, "nick": "Ann"},
    "inline validator skipped on an empty optional field": {**RIGHT, "nick": ""},
    "default message of the field's other validator": {**RIGHT, "nick": "a-long-nick"},
    "own number-range message": {**RIGHT, "age": "12"},
    "own regexp message": {**RIGHT, "code": "abc"},
    "any-of default message": {**RIGHT, "colour": "green"},
    "own url message": {**RIGHT, "website": "not a url"},
    "mac-address default message": {**RIGHT, "mac": "00:11"},
    "own ip-address message": {**RIGHT, "ip": "300.1.1.1"},
    "not a number, and own number-range message": {**RIGHT, "age": "x"},
    "valid": {**RIGHT, "nick": "annie", "age": "40", "code": "AB", "colour": "red"},
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_page_shows_wtforms_messages_for_the_same_post(
    model: type[BaseModel], case: str
) -> None:
    legacy_html, legacy_errors = legacy_page(CASES[case])
    html, errors = generated_page(model, CASES[case])
    assert errors == legacy_errors
    assert html == legacy_html


def test_the_cases_show_the_form_s_own_messages(model: type[BaseModel]) -> None:
    shown = {
        message
        for data in CASES.values()
        for messages in generated_page(model, data)[1].values()
        for message in messages
    }
    assert {
        "Tell us your name.",
        "From 2 to 20 characters, not 1.",
        "An email, please.",
        "Not an email.",
        "Use an address you keep.",
        "Your nick is your name.",
        "18 to 130.",
        "Capitals.",
        "Invalid value, must be one of: red, blue.",
        "A web address.",
        "Invalid Mac address.",
        "An IPv4 address.",
    } <= shown
