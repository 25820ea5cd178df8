"""Django's `ListView`/`DetailView` on SQLAlchemy rows (`SelectedObjects`, served by
`class_view`) answer what the same generic views answer on Django's ORM: the page, its
pagination and the `?page=` 404s, the pk and slug lookups and their 404, the default context
and template names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.views import generic
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from codemods.runtime.django.app import install
from codemods.runtime.django.convertors import django_convertors
from codemods.runtime.django.generic import SelectedObjects
from codemods.runtime.django.views import class_view
from legacy_examples.django_blog.blog import models as legacy
from migrated.django_blog.blog import models as tables


class DjangoTags(generic.ListView):
    model = legacy.Tag
    paginate_by = 2


class Tags(SelectedObjects, generic.ListView):
    model = tables.Tag
    paginate_by = 2


class DjangoNewest(generic.ListView):
    template_name = "rows/newest_tags.html"
    context_object_name = "newest"

    def get_queryset(self) -> Any:
        return legacy.Tag.objects.filter(name__gte="b").order_by("-name")[:2]


class Newest(SelectedObjects, generic.ListView):
    template_name = "rows/newest_tags.html"
    context_object_name = "newest"

    def get_queryset(self) -> Any:
        table = tables.Tag
        return self.rows(
            select(table).where(table.name >= "b").order_by(table.name.desc()).limit(2)
        )


class DjangoReversed(generic.ListView):
    queryset = legacy.Tag.objects.filter(name__gte="b")
    ordering = ["-name"]
    template_name = "rows/newest_tags.html"
    context_object_name = "newest"


class Reversed(SelectedObjects, generic.ListView):
    queryset = select(tables.Tag).where(tables.Tag.name >= "b")
    ordering = ["-name"]
    template_name = "rows/newest_tags.html"
    context_object_name = "newest"


class DjangoStrict(generic.ListView):
    model = legacy.Tag
    paginate_by = 2
    paginate_orphans = 1
    allow_empty = False
    template_name = "blog/tag_list.html"


class Strict(SelectedObjects, generic.ListView):
    model = tables.Tag
    paginate_by = 2
    paginate_orphans = 1
    allow_empty = False
    template_name = "blog/tag_list.html"


class DjangoTag(generic.DetailView):
    model = legacy.Tag


class Tag(SelectedObjects, generic.DetailView):
    model = tables.Tag


def migrated_app() -> FastAPI:
    django_convertors()
    app = FastAPI()
    install(app)
    app.add_api_route("/tags/", class_view(Tags.as_view()), methods=["GET"])
    app.add_api_route("/newest/", class_view(Newest.as_view()), methods=["GET"])
    app.add_api_route("/reversed/", class_view(Reversed.as_view()), methods=["GET"])
    app.add_api_route("/strict/", class_view(Strict.as_view()), methods=["GET"])
    app.add_api_route("/tags/{pk:int}/", class_view(Tag.as_view(), pk=int), methods=["GET"])
    app.add_api_route(
        "/tags/{slug:django_slug}/", class_view(Tag.as_view(), slug=str), methods=["GET"]
    )
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(migrated_app(), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def tags() -> list[Any]:
    return [legacy.Tag.objects.create(name=name, slug=f"{name}-tag") for name in "cadbe"]


def django_answer(view: Any, url: str, **path: Any) -> tuple[int, str]:
    """Django's own generic view on the ORM: (status, page); Http404 is a 404."""
    try:
        response = view.as_view()(RequestFactory().get(url), **path)
    except Http404:
        return 404, ""
    response.render()
    return response.status_code, response.content.decode()


def our_answer(client: TestClient, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.text if response.status_code == 200 else ""


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3", "?page=last", "?page=4", "?page=x"])
def test_a_list_view_paginates_rows_as_django_paginates_its_queryset(
    client: TestClient, tags: list[Any], query: str
) -> None:
    assert our_answer(client, f"/tags/{query}") == django_answer(DjangoTags, f"/tags/{query}")


def test_an_empty_list_is_the_first_page_as_django_allows_it(client: TestClient) -> None:
    assert our_answer(client, "/tags/") == django_answer(DjangoTags, "/tags/")
    assert "none" in our_answer(client, "/tags/")[1]


def test_a_list_view_of_its_own_statement_keeps_its_context_name_and_template(
    client: TestClient, tags: list[Any]
) -> None:
    assert our_answer(client, "/newest/") == django_answer(DjangoNewest, "/newest/")
    assert "e,d, 2" in our_answer(client, "/newest/")[1]


def test_a_queryset_attribute_and_ordering_are_read_as_django_reads_them(
    client: TestClient, tags: list[Any]
) -> None:
    assert our_answer(client, "/reversed/") == django_answer(DjangoReversed, "/reversed/")
    assert "e,d,c,b, 4" in our_answer(client, "/reversed/")[1]


def test_an_empty_list_that_is_not_allowed_is_a_404_as_in_django(client: TestClient) -> None:
    assert our_answer(client, "/strict/") == django_answer(DjangoStrict, "/strict/") == (404, "")


@pytest.mark.parametrize("query", ["", "?page=2", "?page=3"])
def test_orphans_join_the_last_page_as_in_django(
    client: TestClient, tags: list[Any], query: str
) -> None:
    url = f"/strict/{query}"
    assert our_answer(client, url) == django_answer(DjangoStrict, url)


def test_a_detail_view_finds_its_row_by_pk_as_django_finds_the_object(
    client: TestClient, tags: list[Any]
) -> None:
    pk = tags[0].pk
    assert our_answer(client, f"/tags/{pk}/") == django_answer(DjangoTag, "/", pk=pk)
    assert "<h1>c</h1>" in our_answer(client, f"/tags/{pk}/")[1]


def test_a_detail_view_finds_its_row_by_slug(client: TestClient, tags: list[Any]) -> None:
    assert our_answer(client, "/tags/d-tag/") == django_answer(DjangoTag, "/", slug="d-tag")


def test_a_missing_row_is_djangos_404(client: TestClient, tags: list[Any]) -> None:
    assert (
        our_answer(client, "/tags/99999/")
        == django_answer(DjangoTag, "/", pk=99999)
        == (
            404,
            "",
        )
    )
    assert client.get("/tags/no-such-tag/").status_code == 404
