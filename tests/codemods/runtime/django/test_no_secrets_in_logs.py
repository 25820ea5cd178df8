"""Nothing the runtime or Django logs while serving the FastAPI side holds a secret: not the
SECRET_KEY, a session key, a CSRF secret or a masked token."""

from __future__ import annotations

import logging

from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

from tests.codemods.runtime.django.sides import (
    FASTAPI_COOKIE_DOMAIN,
    django_cookies,
    fastapi_cookies,
    log_in_on_django,
    log_in_on_fastapi,
    to_fastapi,
)


def test_no_secret_reaches_the_logs(
    caplog, runtime_settings, django_client, fastapi_client, account
):
    caplog.set_level(logging.DEBUG)
    log_in_on_fastapi(fastapi_client, account.username, account.password)
    secrets = [settings.SECRET_KEY, *fastapi_cookies(fastapi_client).values()]
    # refusals and rejected cookies are where frameworks like to log what they saw
    foreign_secret = _get_new_csrf_string()
    foreign_token = _mask_cipher_secret(foreign_secret)
    secrets += [foreign_secret, foreign_token]
    fastapi_client.post("/form/", data={"csrfmiddlewaretoken": foreign_token})
    fastapi_client.post("/form/", headers={"X-CSRFToken": foreign_token})
    fastapi_client.cookies.set("sessionid", "forged" * 6, domain=FASTAPI_COOKIE_DOMAIN)
    fastapi_client.get("/whoami/")
    runtime_settings.SECRET_KEY = "a-second-secret-key-only-for-this-test-0123456789"
    secrets.append(runtime_settings.SECRET_KEY)
    log_in_on_django(django_client, account.username, account.password)
    secrets += django_cookies(django_client).values()
    runtime_settings.SECRET_KEY = secrets[0]
    to_fastapi(django_client, fastapi_client)
    fastapi_client.get("/whoami/")  # a session signed with another key: "Session data corrupted"

    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in secrets:
        assert secret not in logged
