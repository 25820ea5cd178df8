"""The view-mixins rule: access mixins leave the bases of the class-based views a URLconf
serves (the URLs rule checks them on the route with `access_guard`)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.rules.view_mixins import ViewMixinsRule
from tests.codemods.django.support import convert_module, write_project

VIEWS = """
    from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
    from django.views.generic import CreateView, ListView


    class NewPost(LoginRequiredMixin, CreateView):
        login_url = "/login/"


    class Mine(UserPassesTestMixin, ListView):
        def test_func(self):
            return True


    class Unrouted(LoginRequiredMixin, ListView):
        pass
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("new/", views.NewPost.as_view()),
        path("mine/", views.Mine.as_view()),
    ]
"""


def convert_views(tmp_path: Path) -> str:
    files = {"__init__.py": "", "app/__init__.py": "", "app/urls.py": URLS, "app/views.py": VIEWS}
    root = write_project(tmp_path / "site", files)
    code, _ = convert_module(root, "app/views.py", [ViewMixinsRule])
    return code


def test_served_views_lose_their_access_mixins_and_unrouted_ones_keep_them(
    tmp_path: Path,
) -> None:
    assert convert_views(tmp_path) == dedent(
        """
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.views.generic import CreateView, ListView


        class NewPost(CreateView):
            login_url = "/login/"


        class Mine(ListView):
            def test_func(self):
                return True


        class Unrouted(LoginRequiredMixin, ListView):
            pass
        """
    )
