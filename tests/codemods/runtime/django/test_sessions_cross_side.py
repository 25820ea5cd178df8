"""A user logged in on either side is logged in on the other, for each session backend, because
both sides read and write the session with Django's own code."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings

from tests.codemods.runtime.django.sides import (
    FASTAPI_COOKIE_DOMAIN,
    django_cookies,
    fastapi_cookies,
    form_token,
    legacy_me,
    log_in_on_django,
    log_in_on_fastapi,
    to_django,
    to_fastapi,
    whoami,
)

pytestmark = pytest.mark.usefixtures("session_engine")


def session_store(key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(key)


def test_a_login_on_django_is_a_login_on_fastapi(django_client, fastapi_client, account):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    assert whoami(fastapi_client) == account.username


def test_a_login_on_fastapi_is_a_login_on_django(django_client, fastapi_client, account):
    log_in_on_fastapi(fastapi_client, account.username, account.password)
    to_django(fastapi_client, django_client)

    assert legacy_me(django_client) == account.username


def test_a_logout_on_fastapi_is_a_logout_on_django(django_client, fastapi_client, account):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    fastapi_client.post(
        "/logout/", data={"csrfmiddlewaretoken": form_token(fastapi_client.get("/page/").text)}
    )

    to_django(fastapi_client, django_client)
    assert legacy_me(django_client) is None


@pytest.mark.parametrize(
    "session_engine", ["cache", "cached_db", "db"], indirect=True
)  # server-side stores
def test_a_logout_on_fastapi_deletes_the_session_django_stored(
    django_client, fastapi_client, account
):
    log_in_on_django(django_client, account.username, account.password)
    key = django_cookies(django_client)[settings.SESSION_COOKIE_NAME]
    to_fastapi(django_client, fastapi_client)

    fastapi_client.post(
        "/logout/", data={"csrfmiddlewaretoken": form_token(fastapi_client.get("/page/").text)}
    )

    assert not session_store().exists(key)
    assert legacy_me(django_client) is None  # the browser that kept the old cookie


def test_session_data_written_by_fastapi_is_read_by_django(fastapi_client):
    token = form_token(fastapi_client.get("/page/").text)

    fastapi_client.post(
        "/session/", data={"key": "basket", "value": "3 apples", "csrfmiddlewaretoken": token}
    )

    key = fastapi_cookies(fastapi_client)[settings.SESSION_COOKIE_NAME]
    assert session_store(key).load() == {"basket": "3 apples"}


def test_session_data_written_by_django_is_read_by_fastapi(fastapi_client):
    store = session_store()
    store["basket"] = "2 pears"
    store.save()

    fastapi_client.cookies.set(
        settings.SESSION_COOKIE_NAME, store.session_key, domain=FASTAPI_COOKIE_DOMAIN
    )

    assert fastapi_client.get("/session/").json()["items"] == {"basket": "2 pears"}


def test_a_password_change_logs_the_user_out_on_both_sides(django_client, fastapi_client, account):
    from django.contrib.auth.models import User

    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)
    assert whoami(fastapi_client) == account.username

    user = User.objects.get(username=account.username)
    user.set_password("a brand new password")
    user.save()

    assert whoami(fastapi_client) is None
    assert legacy_me(django_client) is None
