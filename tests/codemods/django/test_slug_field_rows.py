"""A row view's `slug_field` must be a lookup `Rows.filter` takes: a column of its model, or of
the row one of its foreign keys points at (`message__slug`, django-newsletter's archive
detail); anything else keeps the view on Django's ORM, named."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Status
from tests.codemods.django.support import convert_module, write_project

MODELS = """
    from django.db import models


    class Message(models.Model):
        slug = models.SlugField()


    class Submission(models.Model):
        message = models.ForeignKey(Message, on_delete=models.CASCADE)
        title = models.CharField(max_length=20)
"""
VIEWS = """
    from django.views.generic import DetailView

    from .models import Submission


    class Detail(DetailView):
        model = Submission
        slug_field = "SLUG_FIELD"
"""
URLS = """
    from django.urls import path

    from .views import Detail

    urlpatterns = [path("<slug:slug>/", Detail.as_view(), name="detail")]
"""


def route(tmp_path: Path, slug_field: str) -> tuple[Status, list[str]]:
    files = {
        "__init__.py": "",
        "news/__init__.py": "",
        "news/models.py": MODELS,
        "news/views.py": VIEWS.replace("SLUG_FIELD", slug_field),
        "news/urls.py": URLS,
        "news/templates/news/submission_detail.html": "{{ submission.title }}",
    }
    _, findings = convert_module(
        write_project(tmp_path / "site", files), "news/urls.py", [UrlsRule]
    )
    found = next(f for f in findings if f.kind == "route")
    return found.status, found.reasons


@pytest.mark.parametrize("slug_field", ["title", "message__slug"])
def test_a_column_or_a_column_of_the_row_a_key_points_at_converts(
    tmp_path: Path, slug_field: str
) -> None:
    assert route(tmp_path, slug_field) == (Status.converted, [])


@pytest.mark.parametrize("slug_field", ["message__title", "message", "missing"])
def test_another_slug_field_keeps_the_orm_naming_it(tmp_path: Path, slug_field: str) -> None:
    status, reasons = route(tmp_path, slug_field)
    assert status == Status.partial
    assert (
        f"stays on Django's ORM: SQLAlchemy rows cannot stand in: slug_field {slug_field!r} is "
        "not a column of Submission or of a row its keys point at"
    ) in reasons
