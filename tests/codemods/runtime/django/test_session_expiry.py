"""A session past SESSION_COOKIE_AGE is anonymous on the FastAPI side as on Django, whichever
the backend: the database row's expire_date, the Redis key's TTL, the signed cookie's age."""

from __future__ import annotations

import time

import pytest

from tests.codemods.runtime.django.sides import legacy_me, log_in_on_django, to_fastapi, whoami

pytestmark = pytest.mark.usefixtures("session_engine")


def test_an_expired_session_is_anonymous_on_both_sides(
    runtime_settings, django_client, fastapi_client, account
):
    runtime_settings.SESSION_COOKIE_AGE = 1
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    time.sleep(2.1)  # signed cookies carry whole seconds

    assert whoami(fastapi_client) is None
    assert legacy_me(django_client) is None


def test_a_session_within_its_age_stays_logged_in(
    runtime_settings, django_client, fastapi_client, account
):
    runtime_settings.SESSION_COOKIE_AGE = 60
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    assert whoami(fastapi_client) == account.username
