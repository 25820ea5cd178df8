"""A row a class view's handler gives a function of another module of SRC (row_functions.py):
followed when the function only reads the row's columns, or hands it on positionally to a
function of its module that does, so the view converts; a function reading something else of
it, or handing it on otherwise, keeps the view on Django's ORM with the reason."""

from __future__ import annotations

from pathlib import Path

from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import routes_of, write_project

MODELS = """
    import os

    from django.db import models


    class Connection(models.Model):
        alias = models.CharField(max_length=40)
        path = models.CharField(max_length=200)

        def delete_local(self):
            if os.path.exists(self.path):
                os.remove(self.path)

        def others(self):
            return Connection.objects.exclude(pk=self.pk)
"""
CACHING = """
    from django.core.cache import cache


    def clear_cache(connection):
        cache.delete(f"schema-{connection.id}-{connection.alias}")


    def clear_all(connection):
        cache.delete(f"schema-{connection.others}")


    def hand_on(connection):
        clear_cache(connection)


    def hand_on_all(connection):
        clear_all(connection)


    def hand_on_by_name(connection):
        clear_cache(connection=connection)
"""
VIEWS = """
    from django.http import HttpResponse
    from django.views import View

    from .caching import clear_all, clear_cache, hand_on, hand_on_all, hand_on_by_name
    from .models import Connection


    class RefreshView(View):
        def get(self, request, pk):
            connection = Connection.objects.get(id=pk)
            connection.delete_local()
            clear_cache(connection)
            return HttpResponse(connection.alias)


    class ClearAllView(View):
        def get(self, request, pk):
            connection = Connection.objects.get(id=pk)
            clear_all(connection)
            return HttpResponse(connection.alias)


    class HandOnView(View):
        def get(self, request, pk):
            connection = Connection.objects.get(id=pk)
            hand_on(connection)
            return HttpResponse(connection.alias)


    class HandOnAllView(View):
        def get(self, request, pk):
            connection = Connection.objects.get(id=pk)
            hand_on_all(connection)
            return HttpResponse(connection.alias)


    class HandOnByNameView(View):
        def get(self, request, pk):
            connection = Connection.objects.get(id=pk)
            hand_on_by_name(connection)
            return HttpResponse(connection.alias)
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("refresh/<int:pk>/", views.RefreshView.as_view(), name="refresh"),
        path("all/<int:pk>/", views.ClearAllView.as_view(), name="all"),
        path("on/<int:pk>/", views.HandOnView.as_view(), name="on"),
        path("on-all/<int:pk>/", views.HandOnAllView.as_view(), name="on-all"),
        path("by-name/<int:pk>/", views.HandOnByNameView.as_view(), name="by-name"),
    ]
"""


def routes(tmp_path: Path) -> dict[str, Finding]:
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/caching.py": CACHING,
        "app/views.py": VIEWS,
        "app/urls.py": URLS,
    }
    return routes_of(write_project(tmp_path / "site", files))


def test_a_row_given_to_a_function_reading_its_columns_converts(tmp_path: Path) -> None:
    found = routes(tmp_path)["refresh"]
    assert (found.status, found.reasons) == (Status.converted, [])


def test_a_row_handed_on_to_a_function_of_its_module_reading_columns_converts(
    tmp_path: Path,
) -> None:
    found = routes(tmp_path)["on"]
    assert (found.status, found.reasons) == (Status.converted, [])


def test_a_function_reading_more_than_columns_keeps_the_orm(tmp_path: Path) -> None:
    found = routes(tmp_path)
    for name in ("all", "on-all", "by-name"):
        assert found[name].status == Status.partial
        assert any(
            "is given rows, which the codemod does not follow" in r for r in found[name].reasons
        )
