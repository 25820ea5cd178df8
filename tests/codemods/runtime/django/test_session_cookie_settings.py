"""The session cookie the FastAPI side sets is the one Django sets: SESSION_COOKIE_* and expiry
settings decide its name and attributes on both sides alike."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

import pytest

from tests.codemods.runtime.django.sides import LEGACY_LOGIN, form_token

COOKIE_SETTINGS = {
    "defaults": {},
    "strict": {
        "SESSION_COOKIE_NAME": "blog_session",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_DOMAIN": ".blog.example",
        "SESSION_COOKIE_PATH": "/app/",
        "SESSION_COOKIE_AGE": 600,
    },
    "browser_session": {"SESSION_EXPIRE_AT_BROWSER_CLOSE": True, "SESSION_COOKIE_HTTPONLY": False},
}


def attributes(set_cookie: str, name: str) -> dict[str, Any]:
    """A Set-Cookie line's attributes, without the value and the (time-dependent) expires."""
    morsel = SimpleCookie(set_cookie)[name]
    return {key: value for key, value in morsel.items() if key != "expires"} | {
        "has_expires": bool(morsel["expires"])
    }


def django_login_cookie(django_client: Any, account: Any, name: str) -> str:
    page = django_client.get(LEGACY_LOGIN)
    response = django_client.post(
        LEGACY_LOGIN,
        {
            "username": account.username,
            "password": account.password,
            "csrfmiddlewaretoken": form_token(page.content.decode()),
        },
    )
    assert response.status_code == 302
    return str(response.cookies[name].OutputString())


def fastapi_login_cookie(fastapi_client: Any, account: Any, name: str) -> str:
    page = fastapi_client.get("/page/")
    response = fastapi_client.post(
        "/login/",
        data={
            "username": account.username,
            "password": account.password,
            "csrfmiddlewaretoken": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 302
    [line] = [c for c in response.headers.get_list("set-cookie") if c.startswith(name + "=")]
    return line


@pytest.mark.parametrize("overrides", COOKIE_SETTINGS.values(), ids=COOKIE_SETTINGS.keys())
def test_the_session_cookie_has_djangos_name_and_attributes(
    overrides, runtime_settings, django_client, fastapi_client, account
):
    for key, value in overrides.items():
        setattr(runtime_settings, key, value)
    name = runtime_settings.SESSION_COOKIE_NAME

    from_django = django_login_cookie(django_client, account, name)
    from_fastapi = fastapi_login_cookie(fastapi_client, account, name)

    assert attributes(from_fastapi, name) == attributes(from_django, name)
