"""A date-based generic view (`ArchiveIndexView`, `DateDetailView`, ...: django-newsletter's
archive) stays on Django's ORM, and its route says what of it SQLAlchemy rows do not give yet."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.django.plans import plan
from tests.codemods.django.support import project_analysis, write_project

MODELS = """
    from django.db import models


    class Submission(models.Model):
        publish_date = models.DateTimeField()
        slug = models.SlugField()
"""
VIEWS = """
    from django.views.generic import ArchiveIndexView, DateDetailView, ListView

    from .models import Submission


    class Archive(ArchiveIndexView):
        model = Submission
        date_field = "publish_date"


    class Detail(DateDetailView):
        model = Submission
        date_field = "publish_date"


    class Listing(ListView):
        model = Submission
        template_name = "missing.html"
"""
URLS = """
    from django.urls import path

    from .views import Archive, Detail, Listing

    urlpatterns = [
        path("", Archive.as_view()),
        path("<int:year>/<str:month>/<int:day>/<slug:slug>/", Detail.as_view()),
        path("all/", Listing.as_view()),
    ]
"""


def reasons(tmp_path: Path, view: str) -> tuple[str, list[str]]:
    files = {
        "__init__.py": "",
        "news/__init__.py": "",
        "news/models.py": MODELS,
        "news/views.py": VIEWS,
        "news/urls.py": URLS,
    }
    analysis = project_analysis(write_project(tmp_path / "site", files))
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


@pytest.mark.parametrize(
    ("view", "generic"), [("Archive", "ArchiveIndexView"), ("Detail", "DateDetailView")]
)
def test_a_date_view_says_its_date_lookups_get_no_rows_yet(
    tmp_path: Path, view: str, generic: str
) -> None:
    status, found = reasons(tmp_path, view)
    assert status == "partial"
    assert (
        f"stays on Django's ORM: generic view {generic} reads its objects through Django's ORM: "
        "a date view (its date lookups on date_field and its date_list through dates()) gets no "
        "SQLAlchemy rows yet"
    ) in found


def test_a_list_view_keeps_its_own_reason(tmp_path: Path) -> None:
    _, found = reasons(tmp_path, "Listing")
    assert not any("a date view" in reason for reason in found)
