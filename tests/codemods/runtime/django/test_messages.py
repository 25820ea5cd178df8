"""Django's messages framework across the two sides, for the cookie, session and fallback
storages: a message added on one side is shown, once, by the other; a tampered messages cookie
is dropped on both sides alike."""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.cookie import CookieStorage

from tests.codemods.runtime.django.sides import (
    form_token,
    log_in_on_django,
    to_django,
    to_fastapi,
)

STORAGES = {
    "cookie": "django.contrib.messages.storage.cookie.CookieStorage",
    "session": "django.contrib.messages.storage.session.SessionStorage",
    "fallback": "django.contrib.messages.storage.fallback.FallbackStorage",
}
THANKS = "Thanks! Your comment will appear once it is approved."


@pytest.fixture(params=sorted(STORAGES))
def message_storage(request, runtime_settings) -> str:
    runtime_settings.MESSAGE_STORAGE = STORAGES[request.param]
    return str(request.param)


@pytest.fixture
def post(account):
    from django.contrib.auth.models import User

    from legacy_examples.django_blog.blog.models import Post

    author = User.objects.get(username=account.username)
    return Post.objects.create(
        title="Hello", slug="hello", body="A published post.", status="published", author=author
    )


def legacy_page_messages(django_client) -> list[str]:
    html = django_client.get("/").content.decode()
    return [line.split(">", 1)[1].split("<")[0] for line in html.split("<li ")[1:]]


def comment_on_django(django_client, post) -> None:
    path = f"/posts/{post.slug}/comment/"
    token = form_token(django_client.get(path).content.decode())
    response = django_client.post(
        path,
        {"author_name": "Ann", "body": "Nice post, thank you.", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302, response.content


@pytest.mark.usefixtures("message_storage")
def test_a_message_added_on_django_is_shown_once_on_fastapi(
    django_client, fastapi_client, account, post
):
    log_in_on_django(django_client, account.username, account.password)  # a session to use
    comment_on_django(django_client, post)
    to_fastapi(django_client, fastapi_client)

    assert fastapi_client.get("/messages/").json() == [THANKS]
    assert fastapi_client.get("/messages/").json() == []


@pytest.mark.usefixtures("message_storage")
def test_a_message_added_on_fastapi_is_shown_once_on_django(django_client, fastapi_client, account):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)
    token = form_token(fastapi_client.get("/page/").text)

    fastapi_client.post(
        "/messages/", data={"text": "Saved on the new side", "csrfmiddlewaretoken": token}
    )

    to_django(fastapi_client, django_client)
    assert legacy_page_messages(django_client) == ["Saved on the new side"]
    assert legacy_page_messages(django_client) == []


def test_a_tampered_messages_cookie_is_dropped_on_both_sides(
    runtime_settings, django_client, fastapi_client, account, post
):
    runtime_settings.MESSAGE_STORAGE = STORAGES["cookie"]
    comment_on_django(django_client, post)
    cookie = django_client.cookies[CookieStorage.cookie_name].value
    django_client.cookies[CookieStorage.cookie_name] = cookie[:-1] + (
        "A" if cookie[-1] != "A" else "B"
    )
    to_fastapi(django_client, fastapi_client)

    assert fastapi_client.get("/messages/").json() == []
    assert legacy_page_messages(django_client) == []
