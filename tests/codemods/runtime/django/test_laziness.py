"""No Django work for routes that do not ask for it; the session is read only when used, and
once per request."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore

from codemods.runtime.django.stack import MiddlewareStack
from tests.codemods.runtime.django.sides import (
    form_token,
    log_in_on_django,
    to_fastapi,
)


@pytest.fixture
def session_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The session keys loaded from the database backend, in order."""
    loads: list[str] = []
    original = SessionStore.load

    def counting_load(self: Any) -> Any:
        loads.append(self.session_key)
        return original(self)

    monkeypatch.setattr(SessionStore, "load", counting_load)
    return loads


def test_a_route_that_never_asks_for_django_does_no_django_work(monkeypatch, fastapi_client):
    def fail() -> None:
        raise AssertionError("Django's middlewares were built")

    monkeypatch.setattr(MiddlewareStack, "from_settings", fail)
    fastapi_client.cookies.set("sessionid", "abc", domain="testserver.local")

    response = fastapi_client.get("/plain/")

    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert "vary" not in response.headers


def test_a_route_that_does_not_touch_the_session_does_not_load_it(
    django_client, fastapi_client, account, session_loads
):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)
    token = form_token(django_client.get("/accounts/login/").content.decode())
    to_fastapi(django_client, fastapi_client)
    session_loads.clear()

    response = fastapi_client.post("/form/", data={"title": "t", "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert session_loads == []
    assert "vary" not in response.headers  # as Django: an untouched session is not varied on


def test_the_session_is_loaded_once_per_request(
    django_client, fastapi_client, account, session_loads
):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)
    session_loads.clear()

    body = fastapi_client.get("/session-and-user/").json()

    assert body == {"same": True, "username": account.username}
    assert len(session_loads) == 1


def test_an_async_route_reads_and_writes_the_session_without_touching_the_database_itself(
    django_client, fastapi_client, account
):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    first = fastapi_client.get("/async/session/").json()
    second = fastapi_client.get("/async/session/").json()

    assert (first["visits"], second["visits"]) == (1, 2)
    assert second["username"] == account.username


def test_a_route_given_the_session_but_not_using_it_is_not_varied_on(
    django_client, fastapi_client, account
):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.get("/async/untouched/")

    assert "vary" not in response.headers
    assert "set-cookie" not in response.headers
