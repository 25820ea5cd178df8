"""Django's CSRF protection on the FastAPI side's unsafe routes: tokens made by either side pass
on the other, and every refusal is Django's (403, same page, same logged reason)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

from tests.codemods.runtime.django.sides import (
    FASTAPI_COOKIE_DOMAIN,
    LEGACY_LOGIN,
    fastapi_cookies,
    form_token,
    legacy_me,
    log_in_on_fastapi,
    to_django,
    to_fastapi,
)

LEGACY_TARGET = "/api/tags/"  # not csrf_exempt: Django's CSRF check refuses a bad POST first
FASTAPI_TARGET = "/form/"
REASON = re.compile(r"^Forbidden \((.*)\): ")

SECRET = _get_new_csrf_string()
TOKEN = _mask_cipher_secret(SECRET)
OTHER_TOKEN = _mask_cipher_secret(_get_new_csrf_string())


@dataclass(frozen=True)
class Attempt:
    cookie: str | None = SECRET
    form_token: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    https: bool = False


REFUSED = {
    "no cookie": Attempt(cookie=None, form_token=TOKEN),
    "no token": Attempt(),
    "token of another secret": Attempt(form_token=OTHER_TOKEN),
    "token of the wrong length": Attempt(form_token=TOKEN[:-1]),
    "token with invalid characters": Attempt(form_token="!" * len(TOKEN)),
    "header token of another secret": Attempt(headers={"X-CSRFToken": OTHER_TOKEN}),
    "tampered cookie": Attempt(cookie="!" + SECRET[1:], form_token=TOKEN),
    "foreign origin": Attempt(form_token=TOKEN, headers={"Origin": "http://evil.example"}),
    "https without referer": Attempt(form_token=TOKEN, https=True),
    "https foreign referer": Attempt(
        form_token=TOKEN, https=True, headers={"Referer": "https://evil.example/form"}
    ),
}


def reasons(caplog: pytest.LogCaptureFixture) -> list[str]:
    found = [REASON.match(r.getMessage()) for r in caplog.records if r.name.endswith(".csrf")]
    caplog.clear()
    return [match.group(1) for match in found if match]


def post_to_django(django_client: Any, attempt: Attempt) -> Any:
    django_client.cookies.clear()
    if attempt.cookie is not None:
        django_client.cookies["csrftoken"] = attempt.cookie
    data = {} if attempt.form_token is None else {"csrfmiddlewaretoken": attempt.form_token}
    return django_client.generic(
        "POST",
        LEGACY_TARGET,
        urlencode(data),
        content_type="application/x-www-form-urlencoded",
        headers=attempt.headers,
        secure=attempt.https,
    )


def post_to_fastapi(fastapi_client: Any, attempt: Attempt) -> Any:
    fastapi_client.cookies.clear()
    if attempt.cookie is not None:
        fastapi_client.cookies.set("csrftoken", attempt.cookie, domain=FASTAPI_COOKIE_DOMAIN)
    data = {} if attempt.form_token is None else {"csrfmiddlewaretoken": attempt.form_token}
    scheme = "https" if attempt.https else "http"
    return fastapi_client.post(
        f"{scheme}://testserver{FASTAPI_TARGET}", data=data, headers=attempt.headers
    )


@pytest.mark.parametrize("attempt", REFUSED.values(), ids=REFUSED.keys())
def test_a_bad_post_is_refused_as_django_refuses_it(attempt, caplog, django_client, fastapi_client):
    caplog.set_level(logging.WARNING, logger="django.security.csrf")
    legacy = post_to_django(django_client, attempt)
    legacy_reasons = reasons(caplog)

    migrated = post_to_fastapi(fastapi_client, attempt)

    assert (legacy.status_code, migrated.status_code) == (403, 403)
    assert reasons(caplog) == legacy_reasons != []
    assert migrated.content == legacy.content
    assert migrated.headers["content-type"] == legacy["Content-Type"]


def test_a_trusted_origin_is_accepted(runtime_settings, fastapi_client):
    runtime_settings.CSRF_TRUSTED_ORIGINS = ["http://partner.example"]
    attempt = Attempt(form_token=TOKEN, headers={"Origin": "http://partner.example"})

    assert post_to_fastapi(fastapi_client, attempt).status_code == 200


def test_safe_methods_need_no_token(fastapi_client):
    assert fastapi_client.get("/whoami/").status_code == 200


def test_a_token_from_a_django_page_passes_on_fastapi(django_client, fastapi_client):
    token = form_token(django_client.get(LEGACY_LOGIN).content.decode())
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.post("/form/", data={"title": "t", "csrfmiddlewaretoken": token})

    assert (response.status_code, response.text) == (200, "accepted t")


def test_a_token_from_a_django_page_passes_on_fastapi_in_the_header(django_client, fastapi_client):
    token = form_token(django_client.get(LEGACY_LOGIN).content.decode())
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.post("/json/", json={"a": 1}, headers={"X-CSRFToken": token})

    assert (response.status_code, response.json()) == (200, {"a": 1})


def test_a_token_from_a_fastapi_page_passes_on_django(django_client, fastapi_client, account):
    token = form_token(fastapi_client.get("/page/").text)
    to_django(fastapi_client, django_client)

    response = django_client.post(
        LEGACY_LOGIN,
        {"username": account.username, "password": account.password, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302


def test_tokens_kept_in_the_session_pass_both_ways(runtime_settings, django_client, fastapi_client):
    runtime_settings.CSRF_USE_SESSIONS = True
    token = form_token(django_client.get(LEGACY_LOGIN).content.decode())
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.post("/form/", data={"title": "s", "csrfmiddlewaretoken": token})

    assert (response.status_code, response.text) == (200, "accepted s")
    assert "csrftoken" not in fastapi_cookies(fastapi_client)


def test_a_login_on_fastapi_rotates_the_csrf_secret_as_django_does(
    django_client, fastapi_client, account
):
    fastapi_client.get("/page/")
    before = fastapi_cookies(fastapi_client)["csrftoken"]

    log_in_on_fastapi(fastapi_client, account.username, account.password)

    assert fastapi_cookies(fastapi_client)["csrftoken"] != before
    to_django(fastapi_client, django_client)
    assert legacy_me(django_client) == account.username
