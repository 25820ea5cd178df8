"""The project's own middlewares run around the FastAPI routes as Django runs them around the
legacy views: a row one writes on a logged-in request is written by both sides, a middleware's
own answer (a redirect, an error page) is sent by both, `process_view` sees the same legacy view,
and `process_response` marks both responses or replaces them alike. A project without
middlewares of its own, or with one that has its own `__call__`, costs nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from codemods.runtime.django.app import install
from codemods.runtime.django.dependencies import DjangoUser
from codemods.runtime.django.own_middleware import own_middlewares
from codemods.runtime.django.request import SCOPE_KEY
from tests.codemods.runtime.django.fastapi_app import SETTINGS
from tests.codemods.runtime.django.own_middlewares import OWN
from tests.codemods.runtime.django.sides import log_in_on_django, to_fastapi


def create_app() -> FastAPI:
    """Two of the blog's pages, as generated routes: one using Django's user, one not."""
    app = FastAPI()
    install(app, SETTINGS)

    @app.get("/")
    def post_list() -> PlainTextResponse:
        return PlainTextResponse("the posts")

    @app.get("/drafts/")
    def drafts(user: DjangoUser) -> PlainTextResponse:
        return PlainTextResponse(f"the drafts of {user.get_username()}")

    return app


@pytest.fixture
def own(runtime_settings: Any) -> Any:
    runtime_settings.MIDDLEWARE = [*runtime_settings.MIDDLEWARE, *OWN]
    return runtime_settings


@pytest.fixture
def client(own: Any) -> Any:
    with TestClient(create_app(), base_url="http://testserver") as client:
        yield client


def last_page(username: str) -> str:
    from django.contrib.auth.models import User

    return User.objects.get(username=username).last_name


def forget_last_page(username: str) -> None:
    from django.contrib.auth.models import User

    User.objects.filter(username=username).update(last_name="")


@pytest.mark.parametrize("path", ["/", "/drafts/"])
def test_a_logged_in_request_writes_the_middlewares_row_on_both_sides(
    client, django_client, account, path
):
    log_in_on_django(django_client, account.username, account.password)
    forget_last_page(account.username)
    assert django_client.get(path).status_code == 200
    assert last_page(account.username) == path

    forget_last_page(account.username)
    to_fastapi(django_client, client)
    assert client.get(path).status_code == 200
    assert last_page(account.username) == path


def test_an_anonymous_request_writes_no_row_on_either_side(client, django_client, account):
    django_client.get("/")
    client.get("/")
    assert last_page(account.username) == ""


def test_a_middlewares_answer_is_sent_instead_of_the_route(client, django_client):
    legacy = django_client.get("/drafts/?page=2")
    new = client.get("/drafts/?page=2", follow_redirects=False)
    assert (new.status_code, new.headers["location"]) == (302, legacy["Location"])
    assert new.headers["x-members-only"] == legacy["X-Members-Only"] == "checked"
    assert "the drafts" not in new.text


def test_an_exception_in_a_middleware_answers_djangos_error_page(client, django_client):
    legacy = django_client.get("/drafts/?forbidden")
    new = client.get("/drafts/?forbidden", follow_redirects=False)
    assert new.status_code == legacy.status_code == 403
    assert new.content == legacy.content


def test_process_view_sees_the_legacy_view_of_the_path(client, django_client, account):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, client)
    assert client.get("/drafts/").headers["x-view"] == django_client.get("/drafts/")["X-View"]
    assert client.get("/drafts/").headers["x-view"] == "drafts"


def test_process_response_marks_the_routes_response(client, django_client):
    assert client.get("/").headers["x-members-only"] == django_client.get("/")["X-Members-Only"]


def test_a_response_process_response_returns_replaces_the_routes(client, django_client):
    legacy = django_client.get("/?closed")
    new = client.get("/?closed")
    assert (new.status_code, new.content) == (legacy.status_code, legacy.content)
    assert new.status_code == 503
    assert new.headers["x-members-only"] == "checked"


def test_a_route_reads_the_body_the_middlewares_read_before_it(own: Any) -> None:
    app = create_app()

    @app.post("/echo/")
    async def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    with TestClient(app) as client:
        assert client.post("/echo/", json={"a": 1}).json() == {"a": 1}


def test_without_middlewares_of_its_own_a_route_builds_no_django_request(
    runtime_settings: Any,
) -> None:
    app = create_app()
    seen: list[Any] = []

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        await app(scope, receive, send)
        if scope["type"] == "http":
            seen.append(scope.get(SCOPE_KEY))

    assert own_middlewares() == ()
    with TestClient(spy) as client:  # type: ignore[arg-type]
        assert client.get("/").text == "the posts"
    assert seen == [None]


def test_a_middleware_with_its_own_call_is_not_run(runtime_settings: Any) -> None:
    whole = "tests.codemods.runtime.django.own_middlewares.WholeCallMiddleware"
    runtime_settings.MIDDLEWARE = [*runtime_settings.MIDDLEWARE, whole, OWN[0]]
    assert own_middlewares() == (OWN[0],)
