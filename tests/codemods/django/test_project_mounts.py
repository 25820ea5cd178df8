"""A reusable app converted alone is served where the project outside SRC includes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.django.rules.app import create_app_code
from tests.codemods.django.support import project_analysis, write_project

APP = {
    "__init__.py": "",
    "views.py": """
        def index(request):
            pass
        """,
    "urls.py": """
        from django.urls import path

        from . import views

        app_name = "polls"
        urlpatterns = [path("", views.index, name="index")]
        """,
}


def project(tmp_path: Path, root_urlconf: str) -> Path:
    """A tutorial-style project: `mysite/` beside the app folder `polls/`; the app's path."""
    write_project(
        tmp_path,
        {
            "mysite/__init__.py": "",
            "mysite/settings.py": 'ROOT_URLCONF = "mysite.urls"\n',
            "mysite/urls.py": root_urlconf,
        },
    )
    return write_project(tmp_path / "polls", APP)


@pytest.fixture(autouse=True)
def no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.delenv("PYTHONPATH", raising=False)


def test_the_app_urlconf_gets_the_project_include_prefix_and_namespace(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, path

        urlpatterns = [path("polls/", include("polls.urls"))]
        """,
    )
    analysis = project_analysis(app, settings="mysite.settings")
    [pattern] = analysis.patterns
    assert (pattern.route, pattern.name) == ("polls/", "polls:index")
    assert "app.include_router(urls_router, prefix='/polls')" in create_app_code(analysis)


def test_an_explicit_include_namespace_wins_over_app_name(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, path

        urlpatterns = [path("vote/", include("polls.urls", namespace="ballot"))]
        """,
    )
    [pattern] = project_analysis(app, settings="mysite.settings").patterns
    assert (pattern.route, pattern.name) == ("vote/", "ballot:index")


def test_an_app_the_project_does_not_include_stays_at_the_root(tmp_path: Path) -> None:
    app = project(tmp_path, "urlpatterns = []\n")
    analysis = project_analysis(app, settings="mysite.settings")
    [pattern] = analysis.patterns
    assert (pattern.route, pattern.name) == ("", "index")
    assert "app.include_router(urls_router)\n" in create_app_code(analysis)


def test_a_regex_include_prefix_is_left_to_the_root(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, re_path

        urlpatterns = [re_path(r"^polls/", include("polls.urls"))]
        """,
    )
    [pattern] = project_analysis(app, settings="mysite.settings").patterns
    assert pattern.route == ""
