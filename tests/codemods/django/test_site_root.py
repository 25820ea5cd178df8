"""A reusable app converted alone is served where the site outside SRC includes it (the
settings module's ROOT_URLCONF, read as files, never imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.django.plans import plan
from codemods.django.rules.app import create_app_code
from codemods.engine.findings import Status
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


def test_an_anchored_regex_include_prefix_becomes_the_router_prefix(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, re_path

        urlpatterns = [re_path(r"^polls/", include("polls.urls"))]
        """,
    )
    analysis = project_analysis(app, settings="mysite.settings")
    [pattern] = analysis.patterns
    assert pattern.route == "^polls/"
    assert "app.include_router(urls_router, prefix='/polls')" in create_app_code(analysis)


def test_a_prefix_no_router_can_take_leaves_the_patterns_manual_with_why(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, re_path

        urlpatterns = [re_path(r"polls/", include("polls.urls"))]
        """,
    )
    analysis = project_analysis(app, settings="mysite.settings")
    [pattern] = analysis.patterns
    route = plan(analysis, pattern)
    assert route.status == Status.manual
    assert "regex without ^" in " ".join(route.reasons)
    assert "app.include_router(urls_router)\n" in create_app_code(analysis)


def test_an_include_of_the_app_urls_module_by_name_is_followed(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, path

        import polls.urls

        urlpatterns = [path("polls/", include(polls.urls))]
        """,
    )
    [pattern] = project_analysis(app, settings="mysite.settings").patterns
    assert (pattern.route, pattern.name) == ("polls/", "polls:index")


def test_the_settings_module_may_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, path

        urlpatterns = [path("polls/", include("polls.urls"))]
        """,
    )
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "mysite.settings")
    [pattern] = project_analysis(app).patterns
    assert pattern.route == "polls/"


def test_app_urlconfs_the_site_does_not_include_are_served_with_a_note(tmp_path: Path) -> None:
    app = project(
        tmp_path,
        """
        from django.urls import include, path

        urlpatterns = [path("polls/", include("polls.urls"))]
        """,
    )
    write_project(
        app,
        {
            "extra_urls.py": """
                from django.urls import path

                from . import views

                urlpatterns = [path("extra/", views.index)]
                """
        },
    )
    analysis = project_analysis(app, settings="mysite.settings")
    extra = next(p for p in analysis.patterns if p.route == "extra/")
    assert extra.note is not None and "not reached from ROOT_URLCONF" in extra.note
    assert ("extra_urls.py",) in analysis.unserved_roots
