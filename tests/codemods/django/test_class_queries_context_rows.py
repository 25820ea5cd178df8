"""A `TemplateView` whose only method is a `get_context_data` putting rows in the context
(context_rows.py): the rows reach only its template, so the view converts when the template
reads what the rows have; a context the method also uses otherwise, or a template reading what
the rows lack, keeps the ORM."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.class_queries import ClassQueriesRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, routes_of, write_project

MODELS = """
    from django.db import models


    class Connection(models.Model):
        alias = models.CharField(max_length=40)
        engine = models.CharField(max_length=40)

        def others(self):
            return Connection.objects.exclude(pk=self.pk)
"""
VIEWS = """
    from django.views.generic import TemplateView

    from .models import Connection


    class UploadView(TemplateView):
        template_name = "upload.html"

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["valid"] = Connection.objects.filter(engine="sqlite")
            return context


    class OthersView(TemplateView):
        template_name = "others.html"

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["valid"] = Connection.objects.filter(engine="sqlite")
            return context


    class CountedView(TemplateView):
        template_name = "upload.html"

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["valid"] = Connection.objects.filter(engine="sqlite")
            context["first"] = context["valid"][0]
            return context
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("upload/", views.UploadView.as_view(), name="upload"),
        path("others/", views.OthersView.as_view(), name="others"),
        path("counted/", views.CountedView.as_view(), name="counted"),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/views.py": VIEWS,
        "app/urls.py": URLS,
        "app/templates/upload.html": "{% for c in valid %}{{ c.id }} {{ c.alias }}{% endfor %}",
        "app/templates/others.html": "{% for c in valid %}{{ c.others }}{% endfor %}",
    }
    return write_project(tmp_path / "site", files)


def routes(tmp_path: Path) -> dict[str, Finding]:
    return routes_of(project(tmp_path))


def test_rows_put_in_the_context_of_a_template_view_convert(tmp_path: Path) -> None:
    found = routes(tmp_path)["upload"]
    assert (found.status, found.reasons) == (Status.converted, [])
    code, _ = convert_module(project(tmp_path), "app/views.py", [ClassQueriesRule])
    assert "class UploadView(SessionView, TemplateView):" in code


def test_a_template_reading_what_the_rows_lack_keeps_the_orm(tmp_path: Path) -> None:
    found = routes(tmp_path)["others"]
    assert found.status == Status.partial
    assert any("template others.html reads c.others" in r for r in found.reasons)


def test_a_context_used_otherwise_keeps_the_orm(tmp_path: Path) -> None:
    found = routes(tmp_path)["counted"]
    assert found.status == Status.partial
    assert any("it makes rows, which its callers" in r for r in found.reasons)
