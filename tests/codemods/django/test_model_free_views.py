"""A function view calling one of Django's class-based views that read no model through a
module-level binding (spirit's `_logout_view = django_views.LogoutView.as_view()`) reaches no
ORM by that call; one calling a view that queries (`LoginView`) still does."""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

from codemods.django.model_free_views import model_free_class_views
from tests.codemods.django.support import write_project
from tests.codemods.django.test_bound_class_views import planned

VIEWS = """
    from django.contrib.auth import views as auth_views
    from django.shortcuts import render

    _logout_view = auth_views.LogoutView.as_view()
    _login_view = auth_views.LoginView.as_view()


    def custom_logout(request):
        if request.method == "POST":
            return _logout_view(request)
        return render(request, "accounts/logout.html")


    def custom_login(request):
        return _login_view(request)
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("logout/", views.custom_logout, name="logout"),
        path("login/", views.custom_login, name="login"),
    ]
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "accounts/__init__.py": "",
        "accounts/urls.py": URLS,
        "accounts/views.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def test_a_view_calling_djangos_logout_view_converts(tmp_path: Path) -> None:
    assert planned(project(tmp_path), "logout") == ("converted", [])


def test_a_view_calling_djangos_login_view_stays_on_the_orm(tmp_path: Path) -> None:
    status, why = planned(project(tmp_path), "login")

    assert status == "partial"
    assert any("it calls the class-based view _login_view" in reason for reason in why)


def test_only_djangos_model_free_views_are_read_so() -> None:
    tree = ast.parse(dedent(VIEWS) + "\n_mine = LogoutView.as_view()\n")
    names = {"auth_views": "django.contrib.auth.views", "LogoutView": "mysite.views.LogoutView"}

    assert model_free_class_views(tree, names) == {"_logout_view"}
