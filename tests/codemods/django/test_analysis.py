"""The Django analysis: which URLconfs are served, and at which paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.django.support import project_analysis, write_project

VIEWS = """
    def one(request):
        pass
    """


@pytest.fixture(autouse=True)
def no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)


def test_an_app_folder_alone_is_served_from_the_urlconf_nothing_includes(
    tmp_path: Path,
) -> None:
    root = write_project(
        tmp_path / "shop",
        {
            "__init__.py": "",
            "views.py": VIEWS,
            "urls.py": """
                from django.urls import include, path

                from . import api_urls

                urlpatterns = [path("api/v1/", include(api_urls))]
                """,
            "api_urls.py": """
                from django.urls import path

                from .views import one

                urlpatterns = [path("one/", one, name="one")]
                """,
        },
    )
    analysis = project_analysis(root)
    assert analysis.roots == [("urls.py",)]
    [pattern] = analysis.patterns
    assert (pattern.route, pattern.view.module, pattern.view.name) == (
        "api/v1/one/",
        ("views.py",),
        "one",
    )


def test_a_urlconf_root_urlconf_does_not_reach_is_reported_with_a_note(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "site",
        {
            "__init__.py": "",
            "settings.py": 'ROOT_URLCONF = "site.urls"\n',
            "views.py": VIEWS,
            "urls.py": """
                from django.urls import path

                from .views import one

                urlpatterns = [path("", one)]
                """,
            "old_urls.py": """
                from django.urls import path

                from .views import one

                urlpatterns = [path("old/", one)]
                """,
        },
    )
    analysis = project_analysis(root, settings="site.settings")
    assert analysis.roots == [("urls.py",), ("old_urls.py",)]
    notes = {p.route: p.note for p in analysis.patterns}
    assert notes[""] is None
    assert notes["old/"] == "not reached from ROOT_URLCONF: served without an include() prefix"


def test_the_decorators_of_function_views_are_read(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "site",
        {
            "views.py": """
                from django.contrib.auth.decorators import login_required
                from django.views.decorators.http import require_http_methods

                @login_required
                @require_http_methods(["get", "POST"])
                def one(request, pk, page=1):
                    pass
                """,
        },
    )
    info = project_analysis(root).views[(("views.py",), "one")]
    assert info.methods == ("GET", "POST")
    assert info.login_required and not info.csrf_exempt
    assert (info.params, info.required) == (("request", "pk", "page"), ("request", "pk"))


def test_a_reusable_app_is_served_where_the_root_urlconf_of_given_settings_includes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = write_project(
        tmp_path / "outside",
        {
            "my_site.py": 'ROOT_URLCONF = "my_site_urls"\n',
            "my_site_urls.py": """
                from django.urls import include, path

                urlpatterns = [path("shop/", include("shop.urls", namespace="store"))]
                """,
        },
    )
    monkeypatch.syspath_prepend(str(site))
    urls = """
        from django.urls import include, path

        from . import views

        urlpatterns = [path("items/", views.one, name="items")]
        """
    test_urls = """
        from django.urls import include, path

        urlpatterns = [path("prefix/", include("shop.urls"))]
        """
    root = write_project(
        tmp_path / "shop",
        {"__init__.py": "", "views.py": VIEWS, "urls.py": urls, "urls_for_tests.py": test_urls},
    )
    analysis = project_analysis(root, settings="my_site")
    assert analysis.root_urlconf == "my_site_urls"
    assert [(p.route, p.name) for p in analysis.patterns] == [("shop/items/", "store:items")]


def test_a_module_of_another_package_ending_like_one_of_src_is_not_src(tmp_path: Path) -> None:
    views = """
        from rest_framework.views import APIView

        class Logout(APIView):
            pass
        """
    urls = """
        from django.urls import path

        from shop.views import Logout

        urlpatterns = [path("logout/", Logout.as_view())]
        """
    root = write_project(tmp_path / "shop", {"__init__.py": "", "views.py": views, "urls.py": urls})
    analysis = project_analysis(root)
    [base] = analysis.classes[(("views.py",), "Logout")].bases
    assert (base.module, base.name) == (None, "rest_framework.views.APIView")
    assert analysis.patterns[0].view.module == ("views.py",)


def test_a_view_re_exported_by_a_package_is_found_where_it_is_defined(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "todo",
        {
            "__init__.py": "",
            "views/__init__.py": """
                from todo.views.lists import lists  # noqa: F401
                from .pages import Page as Page
                """,
            "views/lists.py": VIEWS.replace("one", "lists"),
            "views/pages.py": """
                from django.views.generic import TemplateView


                class Page(TemplateView):
                    template_name = "page.html"
                """,
            "urls.py": """
                from django.urls import path

                from . import views

                urlpatterns = [
                    path("", views.lists, name="lists"),
                    path("page/", views.Page.as_view(), name="page"),
                ]
                """,
        },
    )
    lists, page = project_analysis(root).patterns
    assert (lists.view.kind, lists.view.module, lists.view.name) == (
        "function",
        ("views", "lists.py"),
        "lists",
    )
    assert (page.view.kind, page.view.module, page.view.name) == (
        "class",
        ("views", "pages.py"),
        "Page",
    )
