"""The function-views rule: the view's code unchanged, served on the Django runtime."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.rules.function_views import FunctionViewsRule
from tests.codemods.django.support import convert_module, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("posts/<int:pk>/", views.detail),
        path("posts/<int:pk>/<slug:part>/", views.detail),
        path("me/", views.me),
        path("loose/", views.loose),
    ]
"""


def convert_views(tmp_path: Path, views: str) -> str:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    code, _ = convert_module(root, "blog/views.py", [FunctionViewsRule])
    return code


def test_a_view_gets_the_django_request_and_typed_path_parameters(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404
        from django.views.decorators.csrf import csrf_exempt
        from django.views.decorators.http import require_http_methods

        from .models import Post


        @csrf_exempt
        @require_http_methods(["GET", "DELETE"])
        def detail(request, pk, part=None):
            post = get_object_or_404(Post, pk=pk)
            return JsonResponse({"id": post.pk})
        """,
    )
    assert code == dedent(
        """
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404

        from legacyproj.blog.models import Post
        from codemods.runtime.django.views import django_view
        from codemods.runtime.django.request import DjangoRequest


        @django_view
        def detail(request: DjangoRequest, pk: int, part: str=None):
            post = get_object_or_404(Post, pk=pk)
            return JsonResponse({"id": post.pk})
        """
    )


def test_login_required_goes_to_the_route_and_other_decorators_stay(tmp_path: Path) -> None:
    code = convert_views(
        tmp_path,
        """
        from django.contrib.auth.decorators import login_required
        from django.views.decorators.cache import never_cache


        @login_required
        @never_cache
        def me(request):
            return None
        """,
    )
    assert "@django_view\n@never_cache\ndef me(request: DjangoRequest):" in code
    assert "@login_required" not in code


def test_a_view_needing_a_parameter_no_path_gives_is_left_as_it_is(tmp_path: Path) -> None:
    source = """
        def loose(request, page):
            return None
        """
    assert convert_views(tmp_path, source) == dedent(source)


def test_a_parameter_of_a_converter_the_project_registers_takes_any_value(tmp_path: Path) -> None:
    urls = """
        from django.urls import path, register_converter

        from . import views
        from .converters import YearConverter

        register_converter(YearConverter, "yyyy")
        urlpatterns = [path("archive/<yyyy:year>/", views.archive)]
    """
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": urls}
    views = """
        from django.http import JsonResponse


        def archive(request, year):
            return JsonResponse({"year": year})
        """
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    code, _ = convert_module(root, "blog/views.py", [FunctionViewsRule])
    assert "def archive(request: DjangoRequest, year: Any):" in code
    assert "from typing import Any" in code
