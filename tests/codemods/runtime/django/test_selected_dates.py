"""Django's date-based generic views on SQLAlchemy rows (`SelectedDates`, served by
`class_view`) answer what the same views answer on Django's ORM: the latest objects and the
list of their years, the year/month/day archives with their date lists and neighbours, the
object of a date and slug, and the 404s (no object, an empty archive, a date in the future),
the dates seen in the current time zone."""

from __future__ import annotations

import datetime
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
from codemods.runtime.django.generic import SelectedDates
from codemods.runtime.django.views import class_view
from legacy_examples.django_blog.blog import models as legacy
from migrated.django_blog.blog import models as tables

TEMPLATE = "rows/post_dates.html"
UTC = datetime.UTC


def django_views() -> dict[str, Any]:
    def view(base: Any, **attributes: Any) -> Any:
        return type(
            base.__name__,
            (base,),
            {"date_field": "created", "template_name": TEMPLATE, **attributes},
        )

    return {
        "latest": view(generic.ArchiveIndexView, model=legacy.Post),
        "drafts": view(
            generic.ArchiveIndexView, queryset=legacy.Post.objects.filter(status="draft")
        ),
        "year": view(generic.YearArchiveView, model=legacy.Post, make_object_list=True),
        "month": view(generic.MonthArchiveView, model=legacy.Post, month_format="%m"),
        "day": view(generic.DayArchiveView, model=legacy.Post, month_format="%m"),
        "detail": view(generic.DateDetailView, model=legacy.Post, month_format="%m"),
    }


def our_views() -> dict[str, Any]:
    def view(base: Any, **attributes: Any) -> Any:
        return type(
            base.__name__,
            (SelectedDates, base),
            {"date_field": "created", "template_name": TEMPLATE, **attributes},
        )

    return {
        "latest": view(generic.ArchiveIndexView, model=tables.Post),
        "drafts": view(
            generic.ArchiveIndexView,
            queryset=select(tables.Post).where(tables.Post.status == "draft"),
        ),
        "year": view(generic.YearArchiveView, model=tables.Post, make_object_list=True),
        "month": view(generic.MonthArchiveView, model=tables.Post, month_format="%m"),
        "day": view(generic.DayArchiveView, model=tables.Post, month_format="%m"),
        "detail": view(generic.DateDetailView, model=tables.Post, month_format="%m"),
    }


ROUTES = {
    "latest": "/latest/",
    "drafts": "/drafts/",
    "year": "/{year}/",
    "month": "/{year}/{month}/",
    "day": "/{year}/{month}/{day}/",
    "detail": "/{year}/{month}/{day}/{slug}/",
}


def migrated_app() -> FastAPI:
    django_convertors()
    app = FastAPI()
    install(app)
    for name, view in our_views().items():
        params = {p: str for p in ("year", "month", "day", "slug") if "{" + p + "}" in ROUTES[name]}
        app.add_api_route(ROUTES[name], class_view(view.as_view(), **params), methods=["GET"])
    return app


@pytest.fixture
def client(settings: Any) -> Iterator[TestClient]:
    settings.TIME_ZONE = "America/New_York"  # a day boundary four or five hours off UTC's
    with TestClient(migrated_app(), base_url="http://testserver") as test_client:
        yield test_client


def written(title: str, created: datetime.datetime, status: str = "published") -> None:
    from django.contrib.auth.models import User

    author, _ = User.objects.get_or_create(username="dates")
    post = legacy.Post.objects.create(
        title=title, slug=title, body="", author=author, status=status
    )
    legacy.Post.objects.filter(pk=post.pk).update(created=created)  # past auto_now_add


@pytest.fixture
def posts() -> None:
    written("leap", datetime.datetime(2024, 3, 1, 2, 30, tzinfo=UTC))  # 29 Feb in New York
    written("march", datetime.datetime(2024, 3, 1, 15, 0, tzinfo=UTC))
    written("older", datetime.datetime(2023, 7, 14, 12, 0, tzinfo=UTC), status="draft")
    written("future", datetime.datetime(2999, 1, 1, tzinfo=UTC))


def django_answer(name: str, url: str, **path: Any) -> tuple[int, str]:
    try:
        response = django_views()[name].as_view()(RequestFactory().get(url), **path)
    except Http404:
        return 404, ""
    response.render()
    return response.status_code, response.content.decode()


def our_answer(client: TestClient, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.text if response.status_code == 200 else ""


def both(client: TestClient, name: str, **path: str) -> tuple[int, str]:
    url = ROUTES[name].format(**path)
    ours = our_answer(client, url)
    assert ours == django_answer(name, url, **path)
    return ours


def test_the_latest_objects_and_their_years_are_djangos_the_future_left_out(
    client: TestClient, posts: None
) -> None:
    status, page = both(client, "latest")
    assert status == 200
    assert "|march,leap,older,|" in page
    assert page.startswith("2024-01-01T00:00:00-05:00;2023-01-01T00:00:00-05:00;|")


def test_an_empty_archive_is_a_404_as_in_django(client: TestClient) -> None:
    assert both(client, "latest") == (404, "")


def test_a_queryset_attribute_narrows_the_archive_as_django_narrows_it(
    client: TestClient, posts: None
) -> None:
    assert "|older,|" in both(client, "drafts")[1]


def test_a_year_lists_its_months_and_objects(client: TestClient, posts: None) -> None:
    status, page = both(client, "year", year="2024")
    assert (status, page.split("|")[0]) == (
        200,
        "2024-02-01T00:00:00-05:00;2024-03-01T00:00:00-05:00;",
    )
    assert both(client, "year", year="2022") == (404, "")


@pytest.mark.parametrize(("month", "titles"), [("02", "leap,"), ("03", "march,")])
def test_a_month_holds_the_objects_of_its_days_in_the_current_time_zone(
    client: TestClient, posts: None, month: str, titles: str
) -> None:
    assert f"|{titles}|" in both(client, "month", year="2024", month=month)[1]


@pytest.mark.parametrize("day", ["29", "01", "02"])
def test_a_day_and_its_neighbours_are_djangos(client: TestClient, posts: None, day: str) -> None:
    month = "02" if day == "29" else "03"
    both(client, "day", year="2024", month=month, day=day)


@pytest.mark.parametrize(
    ("date", "slug"),
    [
        (("2024", "02", "29"), "leap"),
        (("2024", "03", "01"), "leap"),
        (("2024", "03", "01"), "march"),
        (("2999", "01", "01"), "future"),
        (("2024", "13", "01"), "march"),
    ],
)
def test_the_object_of_a_date_and_slug_is_djangos(
    client: TestClient, posts: None, date: tuple[str, str, str], slug: str
) -> None:
    year, month, day = date
    both(client, "detail", year=year, month=month, day=day, slug=slug)


def test_the_object_of_its_date_is_found(client: TestClient, posts: None) -> None:
    assert "|leap|" in both(client, "detail", year="2024", month="02", day="29", slug="leap")[1]
