"""A plain class-based view on `SessionView` (its methods' queries SQLAlchemy's, on the route's
session, served by `class_view`) answers what the same view answers on Django's ORM."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.http import JsonResponse
from django.test import RequestFactory
from django.views import View
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from codemods.runtime.django.app import install
from codemods.runtime.django.convertors import django_convertors
from codemods.runtime.django.view_session import SessionView
from codemods.runtime.django.views import class_view
from legacy_examples.django_blog.blog import models as legacy
from migrated.django_blog.blog import models as tables


class DjangoTags(View):
    def get(self, request: Any, first: str) -> JsonResponse:
        rows = legacy.Tag.objects.filter(name__gte=first).order_by("-name")[:2]
        return JsonResponse({"names": [row.name for row in rows], "count": self.count_all()})

    def count_all(self) -> int:
        return legacy.Tag.objects.count()


class Tags(SessionView, View):
    def get(self, request: Any, first: str) -> JsonResponse:
        session = self.session
        table = tables.Tag
        rows = session.scalars(
            select(table).where(table.name >= first).order_by(table.name.desc()).limit(2)
        ).all()
        return JsonResponse({"names": [row.name for row in rows], "count": self.count_all()})

    def count_all(self) -> int:
        session = self.session
        return int(session.scalar(select(func.count()).select_from(tables.Tag)) or 0)


def migrated_app() -> FastAPI:
    django_convertors()
    app = FastAPI()
    install(app)
    app.add_api_route("/tags/{first}/", class_view(Tags.as_view(), first=str), methods=["GET"])
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(migrated_app(), base_url="http://testserver") as test_client:
        yield test_client


def test_a_session_view_answers_as_the_view_on_djangos_orm(client: TestClient) -> None:
    for name in "cadbe":
        legacy.Tag.objects.create(name=name, slug=f"{name}-tag")
    django = DjangoTags.as_view()(RequestFactory().get("/tags/b/"), first="b")
    ours = client.get("/tags/b/")
    assert (ours.status_code, ours.content) == (django.status_code, django.content)
    assert ours.json() == {"names": ["e", "d"], "count": 5}
