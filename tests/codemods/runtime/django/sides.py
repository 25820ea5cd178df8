"""Moving a browser between the two sides: the legacy blog (Django's test client) and the
FastAPI app (Starlette's test client) share cookies as one browser would."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

# http.cookiejar's name for the TestClient's host "testserver" (no dot): cookies set under it are
# replaced and deleted by the app's Set-Cookie lines as a browser's would be
FASTAPI_COOKIE_DOMAIN = "testserver.local"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LEGACY_LOGIN = "/accounts/login/"


def form_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no csrfmiddlewaretoken field"
    return match.group(1)


def django_cookies(django_client: Any) -> dict[str, str]:
    return {name: morsel.value for name, morsel in django_client.cookies.items() if morsel.value}


def fastapi_cookies(fastapi_client: TestClient) -> dict[str, str]:
    return {cookie.name: cookie.value or "" for cookie in fastapi_client.cookies.jar}


def to_fastapi(django_client: Any, fastapi_client: TestClient) -> None:
    """The browser's Django cookies, now also sent to the FastAPI side."""
    fastapi_client.cookies.clear()
    for name, value in django_cookies(django_client).items():
        fastapi_client.cookies.set(name, value, domain=FASTAPI_COOKIE_DOMAIN)


def to_django(fastapi_client: TestClient, django_client: Any) -> None:
    """The browser's FastAPI cookies, now also sent to the Django side."""
    django_client.cookies.clear()
    for name, value in fastapi_cookies(fastapi_client).items():
        django_client.cookies[name] = value


def log_in_on_django(django_client: Any, username: str, password: str) -> None:
    """Through the blog's own login page and form, CSRF included."""
    page = django_client.get(LEGACY_LOGIN)
    response = django_client.post(
        LEGACY_LOGIN,
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": form_token(page.content.decode()),
        },
    )
    assert response.status_code == 302, response.content


def log_in_on_fastapi(fastapi_client: TestClient, username: str, password: str) -> None:
    page = fastapi_client.get("/page/")
    response = fastapi_client.post(
        "/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 302, response.text


def whoami(fastapi_client: TestClient) -> str | None:
    """The FastAPI side's logged-in username, or None."""
    body = fastapi_client.get("/whoami/").json()
    return body["username"] if body["authenticated"] else None


def legacy_me(django_client: Any) -> str | None:
    """The blog's /api/me/ user, or None when it redirects to the login page."""
    response = django_client.get("/api/me/")
    if response.status_code == 302:
        return None
    assert response.status_code == 200, response.content
    username: str = response.json()["username"]
    return username
