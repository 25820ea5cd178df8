"""Django's view decorators as dependencies, and Django's exceptions raised by a route, answer
what Django answers: the login redirect with `next=`, the 403 and 404 pages."""

from __future__ import annotations

from tests.codemods.runtime.django.sides import log_in_on_django, to_fastapi


def test_login_required_redirects_an_anonymous_user_as_django_does(django_client, fastapi_client):
    legacy = django_client.get("/drafts/")
    migrated = fastapi_client.get("/drafts-new/", follow_redirects=False)

    assert (migrated.status_code, legacy.status_code) == (302, 302)
    assert migrated.headers["location"] == legacy["Location"].replace("drafts", "drafts-new")


def test_login_required_lets_a_logged_in_user_through(django_client, fastapi_client, account):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.get("/drafts-new/")

    assert response.json() == {"drafts of": account.username}


def test_permission_required_redirects_a_user_without_the_permission(
    django_client, fastapi_client, account
):
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.get("/staff-only/", follow_redirects=False)

    assert response.status_code == 302
    assert response.headers["location"] == "/accounts/login/?next=/staff-only/"


def test_permission_denied_answers_djangos_403_page(django_client, fastapi_client, account):
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, fastapi_client)

    response = fastapi_client.get("/staff-only-403/")

    django_page = permission_denied(RequestFactory().get("/"), Exception())
    assert response.status_code == 403
    assert response.content == django_page.content


def test_http404_from_a_route_answers_djangos_404_page(django_client, fastapi_client):
    legacy = django_client.get("/posts/no-such-post/")
    migrated = fastapi_client.get("/posts-new/no-such-post/")

    assert (migrated.status_code, legacy.status_code) == (404, 404)
    assert migrated.content == legacy.content
    assert migrated.headers["content-type"] == legacy["Content-Type"]
