"""The view-imports rule: a URLconf reaching its views through SRC's absolute package name (or
through a package re-exporting them) registers the generated endpoints, not the legacy
functions."""

from __future__ import annotations

from pathlib import Path

from codemods.django.rules.view_imports import ViewImportsRule
from tests.codemods.django.support import convert_module, project_analysis, write_project

PACKAGE_VIEWS = {
    "__init__.py": "",
    "urls.py": """
        from django.urls import path

        from legacyproj import views

        urlpatterns = [path("search/", views.search, name="search")]
    """,
    "views/__init__.py": "from legacyproj.views.search import search  # noqa: F401\n",
    "views/search.py": """
        from django.http import HttpResponse


        def search(request):
            return HttpResponse("found")
    """,
    "helpers.py": "from legacyproj.views.search import search\n",
}


def test_a_view_re_exported_by_a_package_is_found_where_it_is_defined(tmp_path: Path) -> None:
    analysis = project_analysis(write_project(tmp_path / "legacyproj", PACKAGE_VIEWS))

    [pattern] = analysis.patterns
    assert (pattern.view.module, pattern.view.name) == (("views", "search.py"), "search")
    assert analysis.reexports == {("views", "__init__.py")}


def test_the_urlconf_imports_the_generated_views_package(tmp_path: Path) -> None:
    root = write_project(tmp_path / "legacyproj", PACKAGE_VIEWS)
    code, _ = convert_module(root, "urls.py", [ViewImportsRule])

    assert "from . import views\n" in code
    assert "from legacyproj import views" not in code


def test_the_re_exporting_package_imports_the_generated_view(tmp_path: Path) -> None:
    root = write_project(tmp_path / "legacyproj", PACKAGE_VIEWS)
    code, _ = convert_module(root, "views/__init__.py", [ViewImportsRule])

    assert code.startswith("from .search import search  # noqa: F401\n")


def test_other_modules_keep_importing_the_legacy_view(tmp_path: Path) -> None:
    root = write_project(tmp_path / "legacyproj", PACKAGE_VIEWS)
    code, _ = convert_module(root, "helpers.py", [ViewImportsRule])

    assert code == "from legacyproj.views.search import search\n"


def test_a_dotted_import_of_a_view_module_becomes_a_relative_alias(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "urls.py": """
            from django.urls import path

            import legacyproj.topic.views

            urlpatterns = [path("", legacyproj.topic.views.index, name="index")]
        """,
        "topic/__init__.py": "",
        "topic/views.py": "def index(request):\n    return None\n",
    }
    root = write_project(tmp_path / "legacyproj", files)
    code, _ = convert_module(root, "urls.py", [ViewImportsRule])

    assert "from .topic import views as legacyproj_topic_views\n" in code
    assert "legacyproj_topic_views.index" in code
