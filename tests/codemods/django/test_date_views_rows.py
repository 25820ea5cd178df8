"""A date-based generic view (`ArchiveIndexView`, the year/month/week/day archives,
`DateDetailView`) whose objects can be SQLAlchemy rows gets `SelectedDates` (Django's own date
code on the rows: runtime generic.py) and its route converts; what keeps one on Django's ORM is
named: its `date_field` not a column of its model, a method of it that sees the objects, what
its template reads."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.class_views import ClassViewsRule
from codemods.django.rules.urls import UrlsRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, write_project

MODELS = """
    from django.db import models


    class Submission(models.Model):
        publish_date = models.DateTimeField()
        slug = models.SlugField()
        title = models.CharField(max_length=20)
        publish = models.BooleanField(default=True)

        def popular(self):
            return Submission.objects.filter(slug=self.slug)
"""
VIEWS = """
    from django.views.generic import ArchiveIndexView, DateDetailView, MonthArchiveView

    from .models import Submission


    class Archive(ArchiveIndexView):
        queryset = Submission.objects.filter(publish=True)
        date_field = "publish_date"


    class Detail(DateDetailView):
        model = Submission
        date_field = "publish_date"


    class Month(MonthArchiveView):
        model = Submission
        date_field = "publish_date"
        template_name = "news/month.html"


    class ByTitle(ArchiveIndexView):
        model = Submission
        date_field = "title_date"
        template_name = "news/month.html"


    class Dated(ArchiveIndexView):
        model = Submission
        date_field = "publish_date"
        template_name = "news/month.html"

        def get_dated_items(self):
            self.total = Submission.objects.count()
            return super().get_dated_items()
"""
URLS = """
    from django.urls import path

    from .views import Archive, ByTitle, Dated, Detail, Month

    urlpatterns = [
        path("", Archive.as_view(), name="archive"),
        path("<int:year>/<str:month>/<int:day>/<slug:slug>/", Detail.as_view(), name="detail"),
        path("<int:year>/<str:month>/", Month.as_view(), name="month"),
        path("by-title/", ByTitle.as_view(), name="by_title"),
        path("dated/", Dated.as_view(), name="dated"),
    ]
"""
TEMPLATES = {
    "news/templates/news/submission_archive.html": """
        {% for s in latest %}{{ s.title }} {{ s.publish_date|date:"Y" }}{% endfor %}
        {% for year in date_list %}{{ year|date:"Y" }}{% endfor %}
    """,
    "news/templates/news/submission_detail.html": "<h1>{{ submission.title }}</h1>",
    "news/templates/news/month.html": """
        {% for s in object_list %}{{ s.title }} {{ s.popular }}{% endfor %}
    """,
}


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "news/__init__.py": "",
        "news/models.py": MODELS,
        "news/views.py": VIEWS,
        "news/urls.py": URLS,
        **TEMPLATES,
    }
    return write_project(tmp_path / "site", files)


def routes(tmp_path: Path) -> dict[str, Finding]:
    _, findings = convert_module(project(tmp_path), "news/urls.py", [UrlsRule])
    return {f.details.get("name", ""): f for f in findings if f.kind == "route"}


def test_an_archive_index_of_a_mapped_queryset_gets_selected_dates(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "news/views.py", [ClassViewsRule])
    assert (
        "class Archive(SelectedDates, ArchiveIndexView):\n"
        "    queryset = ordered(select(tables.Submission)"
        ".where(tables.Submission.publish.is_(True)))\n"
        '    date_field = "publish_date"\n'
    ) in code
    assert "from codemods.runtime.django.generic import SelectedDates" in code


def test_a_date_detail_view_of_a_model_gets_selected_dates(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "news/views.py", [ClassViewsRule])
    assert "class Detail(SelectedDates, DateDetailView):\n    model = tables.Submission\n" in code


def test_date_views_whose_rows_stand_in_convert(tmp_path: Path) -> None:
    found = routes(tmp_path)
    assert (found["archive"].status, found["archive"].reasons) == (Status.converted, [])
    assert (found["detail"].status, found["detail"].reasons) == (Status.converted, [])


def test_a_template_reading_a_querying_method_keeps_a_date_view_on_the_orm(
    tmp_path: Path,
) -> None:
    month = routes(tmp_path)["month"]
    assert month.status == Status.partial
    assert any("template news/month.html reads s.popular" in r for r in month.reasons)


def test_a_date_field_that_is_no_column_keeps_the_orm_naming_it(tmp_path: Path) -> None:
    by_title = routes(tmp_path)["by_title"]
    assert by_title.status == Status.partial
    assert (
        "stays on Django's ORM: SQLAlchemy rows cannot stand in: date_field 'title_date' is "
        "not a column of Submission" in by_title.reasons
    )


def test_an_overridden_get_dated_items_keeps_the_orm(tmp_path: Path) -> None:
    dated = routes(tmp_path)["dated"]
    assert dated.status == Status.partial
    assert any("get_dated_items() is overridden" in r for r in dated.reasons)
