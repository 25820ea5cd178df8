"""Django's `DeleteView` on a SQLAlchemy row (`SelectedDeletion`, served by `class_view`)
answers what it answers on Django's ORM: the confirmation page, the 302 to `success_url` after
the row (and its many-to-many links) is deleted, on POST and on DELETE, and the 404 for a
missing row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import Http404
from django.test import RequestFactory
from django.views import generic
from fastapi import FastAPI
from fastapi.testclient import TestClient

from codemods.runtime.django.app import install
from codemods.runtime.django.generic import SelectedDeletion
from codemods.runtime.django.views import class_view
from legacy_examples.django_blog.blog import models as legacy
from migrated.django_blog.blog import models as tables


class DjangoTagDelete(generic.DeleteView):
    model = legacy.Tag
    success_url = "/tags/"


class TagDelete(SelectedDeletion, generic.DeleteView):
    model = tables.Tag
    success_url = "/tags/"


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = FastAPI()
    install(app)
    app.add_api_route(
        "/tags/{pk:int}/delete/",
        class_view(TagDelete.as_view(), pk=int),
        methods=["GET", "POST", "DELETE", "OPTIONS"],
    )
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def tags() -> list[Any]:
    author = User.objects.create_user("writer", password="x")
    post = legacy.Post.objects.create(title="t", slug="t", body="b", author=author)
    found = [legacy.Tag.objects.create(name=n, slug=n) for n in ("one", "two", "three")]
    post.tags.set(found)
    return found


def django_answer(method: str, pk: int) -> tuple[int, str, str | None]:
    request = getattr(RequestFactory(), method)("/")
    try:
        response = DjangoTagDelete.as_view()(request, pk=pk)
    except Http404:
        return 404, "", None
    if hasattr(response, "render"):
        response.render()
    return response.status_code, response.content.decode(), response.get("Location")


def our_answer(client: TestClient, method: str, pk: int) -> tuple[int, str, str | None]:
    response = client.request(method.upper(), f"/tags/{pk}/delete/", follow_redirects=False)
    body = response.text if response.status_code == 200 else ""
    return response.status_code, body, response.headers.get("location")


def test_the_confirmation_page_is_djangos(client: TestClient, tags: list[Any]) -> None:
    assert our_answer(client, "get", tags[0].pk) == django_answer("get", tags[0].pk)
    assert "Delete one (one)?" in our_answer(client, "get", tags[0].pk)[1]


@pytest.mark.parametrize("method", ["post", "delete"])
def test_the_row_and_its_links_go_then_the_redirect(
    client: TestClient, tags: list[Any], method: str
) -> None:
    theirs = django_answer(method, tags[0].pk)
    ours = our_answer(client, method, tags[1].pk)
    assert ours == theirs == (302, "", "/tags/")
    assert list(legacy.Tag.objects.values_list("name", flat=True)) == ["three"]
    assert [t.name for t in legacy.Post.objects.get().tags.all()] == ["three"]


def test_a_missing_row_is_a_404(client: TestClient, tags: list[Any]) -> None:
    assert our_answer(client, "post", 99999)[0] == django_answer("post", 99999)[0] == 404
