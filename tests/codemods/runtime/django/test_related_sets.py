"""A generated model lacking Django's default reverse accessor (`question.choice_set`, for a
foreign key without `related_name`) is given one by `SelectedObjects`: it reads as Django's
related manager reads (`all()` in the related model's default ordering, `count()`,
`exists()`), so templates and kept model methods using it answer as on Django's instances."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.views import generic
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.app import install
from codemods.runtime.django.database import new_session
from codemods.runtime.django.generic import SelectedObjects, attach_related_sets
from codemods.runtime.django.views import class_view


class Base(DeclarativeBase):
    pass


class ContentTypeRow(Base):  # django.contrib.contenttypes' ContentType, as the models rule maps it
    __tablename__ = "django_content_type"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    app_label: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(100))


class PermissionRow(Base):  # its foreign key has no related_name: Django's `permission_set`
    __tablename__ = "auth_permission"
    __ordering__ = ["codename"]
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type_id: Mapped[int] = mapped_column(ForeignKey("django_content_type.id"))
    codename: Mapped[str] = mapped_column(String(100))


class DjangoContentTypePage(generic.DetailView):
    model = ContentType
    template_name = "rows/content_type.html"


class ContentTypePage(SelectedObjects, generic.DetailView):
    model = ContentTypeRow
    template_name = "rows/content_type.html"


@pytest.fixture
def session() -> Iterator[Session]:
    opened = new_session()
    try:
        yield opened
    finally:
        opened.close()


def post_type() -> Any:
    return ContentType.objects.get(app_label="blog", model="post")


def test_a_reverse_accessor_reads_the_related_rows_in_their_default_ordering(
    session: Session,
) -> None:
    attach_related_sets(ContentTypeRow)
    django_type = post_type()
    row: Any = session.scalars(
        select(ContentTypeRow).where(ContentTypeRow.id == django_type.pk)
    ).one()
    theirs = [p.codename for p in django_type.permission_set.all()]
    assert [p.codename for p in row.permission_set.all()] == theirs
    assert row.permission_set.count() == django_type.permission_set.count() == 4
    assert row.permission_set.exists()


def test_an_accessor_the_model_has_already_is_left_alone() -> None:
    attach_related_sets(PermissionRow)
    assert not hasattr(PermissionRow, "group_set")  # the m2m's accessor: not a foreign key's


def test_a_template_reading_the_related_manager_renders_as_djangos(client: TestClient) -> None:
    pk = post_type().pk
    response = DjangoContentTypePage.as_view()(RequestFactory().get("/"), pk=pk)
    response.render()
    ours = client.get(f"/types/{pk}/")
    assert (ours.status_code, ours.text) == (200, response.content.decode())
    assert "post: 4 add_post,change_post,delete_post,view_post, True" in ours.text


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = FastAPI()
    install(app)
    app.add_api_route(
        "/types/{pk:int}/", class_view(ContentTypePage.as_view(), pk=int), methods=["GET"]
    )
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client
