"""Pages rendered on the FastAPI side by Django's own template engine and context processors:
`{% url %}`, `{% csrf_token %}`, `request`, `user` and `messages` are what a Django view gets."""

from __future__ import annotations

import re

from tests.codemods.runtime.django.sides import (
    LEGACY_LOGIN,
    form_token,
    log_in_on_django,
    to_fastapi,
)

MASKED_TOKEN = re.compile(r'value="[A-Za-z0-9]{64}"')


def test_the_legacy_login_page_renders_on_fastapi_as_on_django(django_client, fastapi_client):
    legacy = django_client.get(LEGACY_LOGIN)
    migrated = fastapi_client.get(LEGACY_LOGIN)

    assert migrated.status_code == legacy.status_code == 200
    assert migrated.headers["content-type"] == legacy["Content-Type"]
    # each render masks the token anew, as Django does
    assert MASKED_TOKEN.sub("TOKEN", migrated.text) == MASKED_TOKEN.sub(
        "TOKEN", legacy.content.decode()
    )


def test_a_page_sees_the_logged_in_user_urls_and_the_request(
    django_client, fastapi_client, account
):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    page = fastapi_client.get("/page/").text

    assert f"Signed in as {account.username}" in page
    assert 'action="/posts/new/"' in page
    assert "path=/page/" in page


def test_the_csrf_token_tag_sets_the_cookie_its_token_belongs_to(fastapi_client):
    response = fastapi_client.get("/page/")

    assert "csrftoken" in response.cookies
    accepted = fastapi_client.post(
        "/form/", data={"title": "x", "csrfmiddlewaretoken": form_token(response.text)}
    )
    assert accepted.status_code == 200


def test_a_page_shows_the_pending_messages_and_consumes_them(fastapi_client):
    token = form_token(fastapi_client.get("/page/").text)
    fastapi_client.post("/messages/", data={"text": "Hello there", "csrfmiddlewaretoken": token})

    assert '<li class="success">Hello there</li>' in fastapi_client.get("/page/").text
    assert "Hello there" not in fastapi_client.get("/page/").text
