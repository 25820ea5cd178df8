"""`Rows.filter` through a foreign key (`slug_field = "post__slug"`, django-newsletter's
`message__slug`): a `DetailView` on rows finds the object by its related row's column as
Django's finds it through its join, with Django's 404 for no match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory
from django.views import generic
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from codemods.runtime.django.app import install
from codemods.runtime.django.convertors import django_convertors
from codemods.runtime.django.generic import Rows, SelectedObjects
from codemods.runtime.django.views import class_view
from legacy_examples.django_blog.blog import models as legacy
from migrated.django_blog.blog import models as tables


class DjangoComment(generic.DetailView):
    model = legacy.Comment
    slug_field = "post__slug"
    template_name = "blog/tag_detail.html"


class Comment(SelectedObjects, generic.DetailView):
    model = tables.Comment
    slug_field = "post__slug"
    template_name = "blog/tag_detail.html"


@pytest.fixture
def client() -> Iterator[TestClient]:
    django_convertors()
    app = FastAPI()
    install(app)
    app.add_api_route("/{slug}/", class_view(Comment.as_view(), slug=str), methods=["GET"])
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def comments(db: None) -> None:
    from django.contrib.auth.models import User

    author = User.objects.create(username="relation")
    for slug in ("one", "two"):
        post = legacy.Post.objects.create(title=slug, slug=slug, body="", author=author)
        legacy.Comment.objects.create(post=post, author_name=f"on {slug}", body="b")


def django_answer(slug: str) -> tuple[int, str]:
    try:
        response = DjangoComment.as_view()(RequestFactory().get("/"), slug=slug)
    except Http404:
        return 404, ""
    response.render()
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("slug", ["two", "one", "none"])
def test_a_slug_through_a_foreign_key_finds_the_object_as_django(
    client: TestClient, comments: None, slug: str
) -> None:
    response = client.get(f"/{slug}/")
    ours = (response.status_code, response.text if response.status_code == 200 else "")
    assert ours == django_answer(slug)
    assert ours[0] == (404 if slug == "none" else 200)


def test_a_lookup_through_a_to_many_relation_is_refused(transactional_db: None) -> None:
    from codemods.runtime.django.database import new_session

    rows: Any = Rows(new_session(), select(tables.Post))
    with pytest.raises(ImproperlyConfigured):
        rows.filter(comments__body="b")
