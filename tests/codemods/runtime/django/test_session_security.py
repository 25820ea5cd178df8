"""A forged, tampered or wrong-key session cookie is rejected on the FastAPI side exactly as
Django rejects it: the request is anonymous on both sides, and a forged key is never adopted."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.codemods.runtime.django.sides import (
    FASTAPI_COOKIE_DOMAIN,
    django_cookies,
    fastapi_cookies,
    form_token,
    legacy_me,
    log_in_on_django,
    to_django,
    to_fastapi,
    whoami,
)

pytestmark = pytest.mark.usefixtures("session_engine")
OTHER_SECRET = "another-project-entirely-with-its-own-secret-key-0123456789"


def with_session_cookie(django_client, fastapi_client, value: str) -> None:
    django_client.cookies[settings.SESSION_COOKIE_NAME] = value
    to_fastapi(django_client, fastapi_client)


def tampered(value: str) -> str:
    """One character of the value changed (the last, so a signature breaks, or a key)."""
    return value[:-1] + ("A" if value[-1] != "A" else "B")


def test_a_tampered_session_cookie_is_anonymous_on_both_sides(
    django_client, fastapi_client, account
):
    log_in_on_django(django_client, account.username, account.password)
    cookie = django_cookies(django_client)[settings.SESSION_COOKIE_NAME]

    with_session_cookie(django_client, fastapi_client, tampered(cookie))

    assert whoami(fastapi_client) is None
    assert legacy_me(django_client) is None


def test_a_forged_session_cookie_is_anonymous_on_both_sides(django_client, fastapi_client):
    with_session_cookie(django_client, fastapi_client, "forgedsessionkey0123456789abcdef")

    assert whoami(fastapi_client) is None
    assert legacy_me(django_client) is None


def test_a_forged_session_key_is_never_adopted(fastapi_client):
    forged = "forgedsessionkey0123456789abcdef"
    fastapi_client.cookies.set(settings.SESSION_COOKIE_NAME, forged, domain=FASTAPI_COOKIE_DOMAIN)
    token = form_token(fastapi_client.get("/page/").text)

    fastapi_client.post("/session/", data={"key": "k", "value": "v", "csrfmiddlewaretoken": token})

    assert fastapi_cookies(fastapi_client)[settings.SESSION_COOKIE_NAME] != forged


def test_a_session_made_under_another_secret_key_is_anonymous_on_both_sides(
    runtime_settings, django_client, fastapi_client, account
):
    own_secret = runtime_settings.SECRET_KEY
    runtime_settings.SECRET_KEY = OTHER_SECRET
    log_in_on_django(django_client, account.username, account.password)
    runtime_settings.SECRET_KEY = own_secret

    to_fastapi(django_client, fastapi_client)

    assert whoami(fastapi_client) is None
    assert legacy_me(django_client) is None


def test_a_session_made_under_a_fallback_key_stays_logged_in_on_both_sides(
    runtime_settings, django_client, fastapi_client, account
):
    own_secret = runtime_settings.SECRET_KEY
    runtime_settings.SECRET_KEY = OTHER_SECRET
    log_in_on_django(django_client, account.username, account.password)
    runtime_settings.SECRET_KEY = own_secret
    runtime_settings.SECRET_KEY_FALLBACKS = [OTHER_SECRET]

    to_fastapi(django_client, fastapi_client)
    assert whoami(fastapi_client) == account.username
    to_django(fastapi_client, django_client)
    assert legacy_me(django_client) == account.username
