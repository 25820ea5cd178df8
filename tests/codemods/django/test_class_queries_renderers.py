"""A class view's own rendering method (renderer_methods.py): rows a handler gives
`self.render_template(template, {"favorites": rows})` are read as a `render(...)` call's, in
the template it names, when the method (of the class or of a mixin of SRC) only adds values to
the context and hands both to Django's `render()`; any other method given rows keeps the ORM."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.class_queries import ClassQueriesRule
from codemods.engine.findings import Finding, Status
from tests.codemods.django.support import convert_module, routes_of, write_project

MODELS = """
    from django.conf import settings
    from django.db import models


    class Favorite(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        title = models.CharField(max_length=200)

        def others(self):
            return Favorite.objects.filter(title=self.title)
"""
MIXINS = """
    from django.shortcuts import render


    class ContextMixin:
        def extra(self):
            return {"site": "explorer"}

        def render_template(self, template, ctx):
            ctx.update(self.extra())
            return render(self.request, template, ctx)


    class WrappingMixin:
        def render_template(self, template, ctx):
            return render(self.request, template, {"wrapped": ctx})
"""
VIEWS = """
    from django.views import View

    from .mixins import ContextMixin, WrappingMixin
    from .models import Favorite


    class FavoritesView(ContextMixin, View):
        def get(self, request):
            rows = Favorite.objects.filter(user=request.user).order_by("title")
            return self.render_template("favorites.html", {"favorites": rows})


    class OthersView(ContextMixin, View):
        def get(self, request):
            rows = Favorite.objects.filter(user=request.user)
            return self.render_template("others.html", {"favorites": rows})


    class WrappedView(WrappingMixin, View):
        def get(self, request):
            rows = Favorite.objects.filter(user=request.user)
            return self.render_template("favorites.html", {"favorites": rows})


    class OwnRendererView(ContextMixin, View):
        def get(self, request):
            rows = Favorite.objects.filter(user=request.user)
            return self.render_template("favorites.html", {"favorites": rows})

        def render_template(self, template, ctx):
            return None
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("favorites/", views.FavoritesView.as_view(), name="favorites"),
        path("others/", views.OthersView.as_view(), name="others"),
        path("wrapped/", views.WrappedView.as_view(), name="wrapped"),
        path("own/", views.OwnRendererView.as_view(), name="own"),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "app/__init__.py": "",
        "app/models.py": MODELS,
        "app/mixins.py": MIXINS,
        "app/views.py": VIEWS,
        "app/urls.py": URLS,
        "app/templates/favorites.html": "{% for f in favorites %}{{ f.title }}{% endfor %}",
        "app/templates/others.html": "{% for f in favorites %}{{ f.others }}{% endfor %}",
    }
    return write_project(tmp_path / "site", files)


def routes(tmp_path: Path) -> dict[str, Finding]:
    return routes_of(project(tmp_path))


def test_rows_given_to_a_mixins_render_template_are_read_in_its_template(
    tmp_path: Path,
) -> None:
    found = routes(tmp_path)["favorites"]
    assert (found.status, found.reasons) == (Status.converted, [])
    code, _ = convert_module(project(tmp_path), "app/views.py", [ClassQueriesRule])
    assert "class FavoritesView(SessionView, ContextMixin, View):" in code


def test_a_template_reading_what_the_rows_lack_keeps_the_orm(tmp_path: Path) -> None:
    found = routes(tmp_path)["others"]
    assert found.status == Status.partial
    assert any("SQLAlchemy rows cannot stand in: template others.html" in r for r in found.reasons)


def test_a_render_template_changing_the_context_is_not_followed(tmp_path: Path) -> None:
    found = routes(tmp_path)["wrapped"]
    assert found.status == Status.partial
    assert any("self.render_template() is given rows" in r for r in found.reasons)


def test_the_views_own_method_hides_the_mixins_renderer(tmp_path: Path) -> None:
    found = routes(tmp_path)["own"]
    assert found.status == Status.partial
    assert any("self.render_template() is given rows" in r for r in found.reasons)
