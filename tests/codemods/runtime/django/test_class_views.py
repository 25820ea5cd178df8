"""Class-based views served by `class_view`, and access mixins checked by `access_guard`, answer
what Django answers for the same view: generic views' pages (pagination included), redirects,
a View's handlers, and the mixins' refusals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.mixins import (
    LoginRequiredMixin,
    PermissionRequiredMixin,
    UserPassesTestMixin,
)
from django.http import HttpResponse, JsonResponse
from django.views import View
from django.views.generic import RedirectView
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codemods.runtime.django.app import install
from codemods.runtime.django.convertors import django_convertors
from codemods.runtime.django.guards import access_guard
from codemods.runtime.django.views import class_view
from tests.codemods.runtime.django.sides import CSRF_INPUT, log_in_on_django, to_fastapi


class Echo(View):
    def get(self, request: Any, word: str) -> HttpResponse:
        return JsonResponse({"get": word})

    def post(self, request: Any, word: str) -> HttpResponse:
        return JsonResponse({"post": word, "body": request.POST.get("x")})


class StaffPage(View):
    permission_required = "blog.add_post"

    def get(self, request: Any) -> HttpResponse:
        return HttpResponse("staff")


class NamedPage(View):
    def test_func(self) -> bool:
        return self.kwargs["name"] == self.request.user.username

    def get(self, request: Any, name: str) -> HttpResponse:
        return HttpResponse(f"page of {name}")


def without_tokens(html: str) -> str:
    """The page with its CSRF form token (new on every request) left out."""
    return CSRF_INPUT.sub("", html)


def migrated_app() -> FastAPI:
    from legacy_examples.django_blog.blog.views import PostDetailView, PostListView

    django_convertors()
    app = FastAPI()
    install(app)
    add = app.add_api_route
    add("/", class_view(PostListView.as_view()), methods=["GET", "HEAD", "OPTIONS"])
    add("/posts/{slug:django_slug}/", class_view(PostDetailView.as_view(), slug=str))
    add("/echo/{word}/", class_view(Echo.as_view(), word=str), methods=["GET", "POST", "OPTIONS"])
    add("/moved/", class_view(RedirectView.as_view(url="/", permanent=True)))
    add(
        "/login-first/{word}/",
        class_view(Echo.as_view(), word=str),
        dependencies=[access_guard(LoginRequiredMixin, Echo)],
    )
    add("/staff/", class_view(StaffPage.as_view()), dependencies=[
        access_guard(PermissionRequiredMixin, StaffPage)
    ])  # fmt: skip
    add(
        "/people/{name}/",
        class_view(NamedPage.as_view(), name=str),
        dependencies=[access_guard(UserPassesTestMixin, NamedPage)],
    )
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(migrated_app(), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def published_posts() -> None:
    from django.contrib.auth.models import User

    from legacy_examples.django_blog.blog.models import Post

    author = User.objects.create_user("writer", password="x")
    for number in range(12):  # paginate_by is 10: two pages
        Post.objects.create(
            title=f"Post {number}", slug=f"post-{number}", body="b" * 30,
            status=Post.Status.PUBLISHED, author=author,
        )  # fmt: skip


def test_a_list_view_serves_the_page_django_serves_with_its_pagination(
    client: TestClient, django_client: Any, published_posts: None
) -> None:
    for url in ("/", "/?page=2", "/?page=9"):
        ours, theirs = client.get(url), django_client.get(url)
        assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content), url


def test_a_detail_view_serves_the_object_or_djangos_404_page(
    client: TestClient, django_client: Any, published_posts: None
) -> None:
    for url in ("/posts/post-3/", "/posts/no-such-post/"):
        ours, theirs = client.get(url), django_client.get(url)
        assert ours.status_code == theirs.status_code, url
        assert without_tokens(ours.text) == without_tokens(theirs.content.decode()), url


def test_a_view_dispatches_each_method_to_its_handler_with_the_path_values(
    client: TestClient,
) -> None:
    assert client.get("/echo/hi/").json() == {"get": "hi"}
    assert client.post("/echo/hi/", data={"x": "1"}).json() == {"post": "hi", "body": "1"}
    options = client.options("/echo/hi/")
    assert (options.status_code, options.headers["allow"]) == (200, "GET, POST, HEAD, OPTIONS")


def test_a_redirect_view_redirects_as_configured(client: TestClient) -> None:
    response = client.get("/moved/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (301, "/")


def test_login_required_mixin_redirects_an_anonymous_user_to_the_login_page(
    client: TestClient,
) -> None:
    response = client.get("/login-first/hi/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/accounts/login/?next=/login-first/hi/"


def test_login_required_mixin_lets_a_logged_in_user_through(
    client: TestClient, django_client: Any, account: Any
) -> None:
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, client)
    assert client.get("/login-first/hi/").json() == {"get": "hi"}


def test_permission_required_mixin_refuses_a_logged_in_user_with_djangos_403(
    client: TestClient, django_client: Any, account: Any
) -> None:
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, client)
    assert client.get("/staff/", follow_redirects=False).status_code == 403


def test_user_passes_test_mixin_runs_the_views_test_with_the_path_values(
    client: TestClient, django_client: Any, account: Any
) -> None:
    log_in_on_django(django_client, account.username, account.password)
    to_fastapi(django_client, client)
    assert client.get(f"/people/{account.username}/").text == f"page of {account.username}"
    assert client.get("/people/someone-else/", follow_redirects=False).status_code == 403


def test_a_path_no_route_matches_answers_djangos_404_page(
    client: TestClient, django_client: Any
) -> None:
    ours, theirs = client.get("/no/such/page/"), django_client.get("/no/such/page/")
    assert (ours.status_code, ours.content) == (theirs.status_code, theirs.content)
    assert ours.headers["content-type"] == "text/html; charset=utf-8"


def test_a_method_the_route_refuses_answers_djangos_empty_405(client: TestClient) -> None:
    response = client.delete("/echo/hi/")
    assert (response.status_code, response.content) == (405, b"")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST", "OPTIONS"}


def test_a_path_without_its_slash_is_redirected_as_append_slash_does(
    client: TestClient, django_client: Any
) -> None:
    ours = client.get("/echo/hi?x=1", follow_redirects=False)
    theirs = django_client.get("/drafts?x=1")
    assert (ours.status_code, theirs.status_code) == (301, 301)
    assert ours.headers["location"] == "/echo/hi/?x=1"
    assert theirs["Location"] == "/drafts/?x=1"


class Box(View):
    """Answers the path values Django's resolver gave it."""

    def get(self, request: Any, **kwargs: str) -> HttpResponse:
        return JsonResponse(kwargs)


BOX_REGEX = r"^box/(?:(?P<option>m)/)?$"


@pytest.mark.parametrize("url", ["/box/", "/box/m/"])
def test_an_optional_group_passes_the_view_what_djangos_resolver_passes(url: str) -> None:
    from django.urls import re_path

    from codemods.runtime.django.convertors import optional_convertor

    convertor = optional_convertor("re_box_test", "(?:(?P<option>m)/)?")
    app = FastAPI()
    install(app)
    app.add_api_route(f"/box/{{option:{convertor}}}", class_view(Box.as_view(), option=str | None))
    with TestClient(app) as client:
        response = client.get(url)
        assert client.get("/box/x/").status_code == 404
    theirs = re_path(BOX_REGEX, Box.as_view()).resolve(url.removeprefix("/"))
    assert theirs is not None
    assert response.json() == theirs.kwargs


def test_an_optional_groups_convertor_builds_the_url_with_and_without_it() -> None:
    from codemods.runtime.django.convertors import OptionalGroupConvertor

    convertor = OptionalGroupConvertor(r"(?:view/(?P<option>m)\.html)?")
    assert (convertor.to_string("m"), convertor.to_string(None)) == ("view/m.html", "")
    assert (convertor.convert("view/m.html"), convertor.convert("")) == ("m", "")
