"""The forms runtime: the models the forms rule makes from the example shop's Flask-WTF forms,
validated by `HtmlForm`, give the errors Flask-WTF gives; pages render like the legacy forms;
CSRF tokens and flashed messages are Flask-WTF's and Flask's."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import flask
import flask_wtf.csrf
import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from codemods.flask.rules.forms import FormsRule
from codemods.runtime.flask import csrf
from codemods.runtime.flask.html_forms import HtmlForm, LegacyUpload, html_form
from codemods.runtime.flask.session_hook import use_flask_session
from codemods.runtime.flask.templates import flash, get_flashed_messages
from legacy_examples.flask_shop import forms as legacy_forms
from tests.codemods.support import convert

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-secret"
CHOICES = [(1, "Books"), (2, "Garden")]


@pytest.fixture(scope="module")
def models() -> dict[str, type[BaseModel]]:
    """The Pydantic models the forms rule writes for legacy_examples/flask_shop/forms.py."""
    code, _, _ = convert(
        (ROOT / "legacy_examples/flask_shop/forms.py").read_text(),
        [FormsRule],
        **{
            "source_package": "legacy_examples.flask_shop",
            "module_path": ("forms.py",),
        },
    )
    namespace: dict[str, Any] = {}
    exec(compile(code, "forms.py", "exec"), namespace)
    return {k: v for k, v in namespace.items() if isinstance(v, type) and k.endswith("Form")}


@pytest.fixture
def session() -> Iterator[dict[str, Any]]:
    """A plugged-in Flask session (what the session bridge provides) and the CSRF secret."""
    store: dict[str, Any] = {}
    use_flask_session(lambda request: store)
    csrf.set_csrf(SECRET)
    yield store
    use_flask_session(None)
    csrf.set_csrf(None)


def legacy_form(name: str, data: dict[str, str], method: str = "POST") -> Any:
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY=SECRET, WTF_CSRF_ENABLED=False)
    with app.test_request_context(method=method, data=data):
        form = getattr(legacy_forms, name)()
        if name == "ProductForm":
            form.category_id.choices = CHOICES
        form.validate()
        return form


def generated_form(model: type[BaseModel], data: dict[str, str], method: str = "POST") -> Any:
    """What a generated view sees: the HtmlForm its dependency built, after validate()."""
    app = FastAPI()
    seen: list[HtmlForm[Any]] = []

    @app.api_route("/", methods=["GET", "POST"])
    def view(form: Annotated[HtmlForm[Any], Depends(html_form(model))]) -> JSONResponse:
        if model.__name__ == "ProductForm":
            form.category_id.choices = CHOICES
        form.validate()
        seen.append(form)
        return JSONResponse({})

    client = TestClient(app)
    answer = client.post("/", data=data) if method == "POST" else client.get("/", params=data)
    assert answer.status_code == 200, answer.text
    return seen[0]


ERROR_CASES = [
    ("RegisterForm", {"name": "a", "email": "bad", "password": "short", "confirm": "short"}),
    ("RegisterForm", {}),
    ("RegisterForm", {"name": "  ", "email": "a@b.example", "password": "long-enough"}),
    ("RegisterForm", {"name": "Ann", "email": "a@b.example", "password": "x" * 8, "confirm": "y"}),
    (
        "RegisterForm",
        {"name": "Ann", "email": "a@Yopmail.com", "password": "x" * 8, "confirm": "x" * 8},
    ),
    ("LoginForm", {"email": "", "password": ""}),
    ("LoginForm", {"email": "a@b.example", "password": "x", "remember": "y"}),
    ("CheckoutForm", {"full_name": "Ann", "address": "abc", "city": "x", "shipping": "boat"}),
    ("CheckoutForm", {"full_name": "A", "address": "abcde", "city": "x", "postcode": "1" * 13}),
    ("CheckoutForm", {"full_name": "A", "address": "abcde", "city": "x", "notes": ""}),
    ("AddToCartForm", {"quantity": "0"}),
    ("AddToCartForm", {"quantity": "x"}),
    ("AddToCartForm", {"quantity": "100"}),
    ("AddToCartForm", {"quantity": ""}),
    ("AddToCartForm", {}),
    ("ProductForm", {"name": "n", "sku": "s", "price": "x", "stock": "", "category_id": "3"}),
    ("ProductForm", {"name": "n", "sku": "s", "price": "-1", "stock": "5", "category_id": "1"}),
    ("ProductForm", {"name": "n", "sku": "s", "price": "1.5", "stock": "1e9", "category_id": "x"}),
]


@pytest.mark.parametrize(("form", "data"), ERROR_CASES)
def test_errors_are_flask_wtfs_for_the_same_post(
    models: dict[str, type[BaseModel]], form: str, data: dict[str, str]
) -> None:
    assert generated_form(models[form], data).errors == legacy_form(form, data).errors


def test_valid_data_is_what_the_wtforms_fields_held(models: dict[str, type[BaseModel]]) -> None:
    data = {"email": "a@b.example", "password": "secret", "remember": "y"}
    ours = generated_form(models["LoginForm"], data)
    legacy = legacy_form("LoginForm", data)
    assert ours.validate_on_submit()
    assert ours.data == {k: v for k, v in legacy.data.items() if k != "csrf_token"}
    assert ours.validated.password.get_secret_value() == "secret"


def test_validate_on_submit_needs_a_submitting_method(models: dict[str, type[BaseModel]]) -> None:
    form = generated_form(models["AddToCartForm"], {"quantity": "2"}, method="GET")
    assert not form.validate_on_submit()


@pytest.mark.parametrize("form", ["RegisterForm", "CheckoutForm", "ProductForm", "LoginForm"])
def test_fields_render_like_the_legacy_form_with_the_posted_values_and_errors(
    models: dict[str, type[BaseModel]], form: str
) -> None:
    data = {"name": "<Ann>", "email": "bad", "address": "abc", "price": "x", "notes": "n"}
    ours = generated_form(models[form], data)
    legacy = legacy_form(form, data)
    for field in legacy:
        if field.name != "csrf_token":
            ours_field = ours[field.name]
            assert (str(ours_field.label), str(ours_field(size=3))) == (
                str(field.label),
                str(field(size=3)),
            )
            assert ours_field.errors == field.errors


def test_a_field_set_by_the_view_renders_its_value(models: dict[str, type[BaseModel]]) -> None:
    form = generated_form(models["CheckoutForm"], {}, method="GET")
    form.full_name.data = "Alice Customer"
    assert 'value="Alice Customer"' in str(form.full_name())


def test_hidden_tag_carries_a_token_flask_wtf_accepts(
    models: dict[str, type[BaseModel]], session: dict[str, Any]
) -> None:
    form = generated_form(models["LoginForm"], {}, method="GET")
    token = str(form.hidden_tag()).split('value="')[1].split('"')[0]
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY=SECRET)
    with app.test_request_context():
        flask.session.update(session)
        flask_wtf.csrf.validate_csrf(token)  # raises when Flask-WTF refuses it


def test_flask_wtf_tokens_pass_csrf_protect(session: dict[str, Any]) -> None:
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY=SECRET)
    with app.test_request_context():
        token = flask_wtf.csrf.generate_csrf()
        session.update(flask.session)
    assert protect({"csrf_token": token}).status_code == 200
    assert protect({}, headers={"X-CSRFToken": token}).status_code == 200


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({}, "The CSRF token is missing."),
        ({"csrf_token": "forged"}, "The CSRF token is invalid."),
    ],
)
def test_csrf_protect_refuses_like_flask_wtf(
    session: dict[str, Any], data: dict[str, str], reason: str
) -> None:
    session["csrf_token"] = "raw"
    answer = protect(data)
    assert answer.status_code == 400
    assert f"<p>{reason}</p>" in answer.text


def test_without_the_session_bridge_unsafe_requests_are_refused() -> None:
    answer = protect({"csrf_token": "anything"})
    assert answer.status_code == 400
    assert "The CSRF session token is missing." in answer.text


def protect(data: dict[str, str], headers: dict[str, str] | None = None) -> Any:
    from codemods.runtime.flask.compat import FlaskRoute

    app = FastAPI()
    app.router.route_class = FlaskRoute

    @app.post("/", dependencies=[Depends(csrf.csrf_protect)])
    def view() -> JSONResponse:
        return JSONResponse({})

    return TestClient(app).post("/", data=data, headers=headers or {})


def flashing_app() -> TestClient:
    app = FastAPI()

    @app.get("/")
    def view(request: Request) -> JSONResponse:
        flash(request, "Saved.", "success")
        flash(request, "Hello")
        return JSONResponse(get_flashed_messages(request, with_categories=True))

    return TestClient(app)


def test_flashed_messages_reach_a_page_of_the_same_request_without_a_session() -> None:
    assert flashing_app().get("/").json() == [["success", "Saved."], ["message", "Hello"]]


def test_flashed_messages_are_kept_in_the_flask_session_as_flask_does(
    session: dict[str, Any],
) -> None:
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY=SECRET)
    with app.test_request_context():
        flask.flash("Saved.", "success")
        expected = list(flask.session["_flashes"])
    app_client = FastAPI()

    @app_client.get("/")
    def view(request: Request) -> JSONResponse:
        flash(request, "Saved.", "success")
        return JSONResponse({})

    TestClient(app_client).get("/")
    assert session["_flashes"] == expected


def test_an_upload_saves_and_tests_false_like_a_file_storage(tmp_path: Path) -> None:
    upload = LegacyUpload(UploadFile(io.BytesIO(b"png"), filename="a.png"))
    upload.save(tmp_path / "a.png")
    assert (tmp_path / "a.png").read_bytes() == b"png"
    assert upload and upload.filename == "a.png"
    assert not LegacyUpload(UploadFile(io.BytesIO(b""), filename=""))


@pytest.mark.parametrize("filename", ["virus.exe", "photo.PNG"])
def test_file_allowed_is_flask_wtfs(models: dict[str, type[BaseModel]], filename: str) -> None:
    data = {"name": "n", "sku": "s", "price": "1", "category_id": "1"}
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY=SECRET, WTF_CSRF_ENABLED=False)
    with app.test_request_context(
        method="POST", data={**data, "image": (io.BytesIO(b"x"), filename)}
    ):
        legacy = legacy_forms.ProductForm()
        legacy.category_id.choices = CHOICES
        legacy.validate()
    model = models["ProductForm"]
    seen: list[HtmlForm[Any]] = []
    fastapi_app = FastAPI()

    @fastapi_app.post("/")
    def view(form: Annotated[HtmlForm[Any], Depends(html_form(model))]) -> JSONResponse:
        form.category_id.choices = CHOICES
        form.validate()
        seen.append(form)
        return JSONResponse({})

    TestClient(fastapi_app).post("/", data=data, files={"image": (filename, b"x")})
    assert seen[0].errors == legacy.errors
    if not legacy.errors:
        assert seen[0].image.data.filename == filename
