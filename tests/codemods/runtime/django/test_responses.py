"""Django responses leave the FastAPI side as Django's WSGI handler sends them, and a session
deleted under a request answers Django's 400."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from codemods.runtime.django.responses import to_starlette
from tests.codemods.runtime.django.sides import form_token, log_in_on_django, to_fastapi


def test_every_cookie_becomes_its_own_set_cookie_line() -> None:
    response = HttpResponse("body", status=201, headers={"X-Thing": "1"})
    response.set_cookie("a", "1", httponly=True)
    response.set_cookie("b", "2", samesite="Strict")

    converted = to_starlette(response)

    assert converted.status_code == 201
    assert converted.body == b"body"
    assert converted.headers["x-thing"] == "1"
    assert converted.headers["content-type"] == "text/html; charset=utf-8"
    assert converted.headers["content-length"] == "4"
    assert converted.headers.getlist("set-cookie") == [
        "a=1; HttpOnly; Path=/",
        "b=2; Path=/; SameSite=Strict",
    ]


def test_a_session_deleted_during_the_request_answers_djangos_400(
    django_client: Any, fastapi_client: Any, account: Any
) -> None:
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)
    token = form_token(fastapi_client.get("/page/").text)

    response = fastapi_client.post("/session/interrupted/", data={"csrfmiddlewaretoken": token})

    assert response.status_code == 400
    assert "too late" not in response.text
    assert "<h1>Bad Request (400)</h1>" in response.text
    assert "set-cookie" not in response.headers


def test_a_path_without_its_slash_is_redirected_with_common_middleware(
    fastapi_client: Any,
) -> None:
    response = fastapi_client.get("/plain?x=1", follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (301, "/plain/?x=1")


def test_without_common_middleware_a_path_without_its_slash_is_a_404(
    fastapi_client: Any, runtime_settings: Any
) -> None:
    common = "django.middleware.common.CommonMiddleware"
    runtime_settings.MIDDLEWARE = [m for m in runtime_settings.MIDDLEWARE if m != common]

    response = fastapi_client.get("/plain", follow_redirects=False)

    assert response.status_code == 404
