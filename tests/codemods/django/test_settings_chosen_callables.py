"""A callable a Django REST framework-style settings object of SRC chooses from the project's
settings (`api_settings.TOKEN_CREATOR(...)`, dj-rest-auth's) is read as its default: a view
calling one whose default queries through Django's ORM is `partial`, the reason naming the
setting and the default; one whose default queries nothing leaves the view `converted`."""

from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

from codemods.django.drf_settings import ChosenCallable, chosen_callable, project_sets
from codemods.django.plans import RoutePlan, plan
from tests.codemods.django.support import project_analysis, write_project

APP_SETTINGS = """
    from django.conf import settings
    from rest_framework.settings import APISettings

    USER_SETTINGS = getattr(settings, "BLOG_API", None)

    DEFAULTS = {
        "TOKEN_CREATOR": "blog.utils.default_create_token",
        "GREETER": "blog.utils.greet",
        "PAGE_SIZE": 10,
    }

    IMPORT_STRINGS = ("TOKEN_CREATOR", "GREETER")

    api_settings = APISettings(USER_SETTINGS, DEFAULTS, IMPORT_STRINGS)
"""
UTILS = """
    def default_create_token(token_model, user):
        token, _ = token_model.objects.get_or_create(user=user)
        return token


    def greet(user):
        return f"hello {user}"
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("about/", views.About.as_view())]
"""
VIEWS = """
    from django.http import HttpResponse
    from django.views import View

    from .app_settings import api_settings


    class About(View):
        def get(self, request):
            return HttpResponse(str(CALL))
"""


def about_plan(tmp_path: Path, call: str) -> RoutePlan:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/app_settings.py": APP_SETTINGS, "blog/utils.py": UTILS}
    views = VIEWS.replace("CALL", call)
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    return plan(analysis, analysis.patterns[0])


def test_a_view_calling_a_settings_chosen_callable_whose_default_queries_is_partial(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, "api_settings.TOKEN_CREATOR(None, request.user)")

    assert about.status == "partial"
    assert any(
        reason.startswith(
            "stays on Django's ORM: About: it calls api_settings.TOKEN_CREATOR, which "
            'BLOG_API["TOKEN_CREATOR"] of the project\'s settings chooses: its default '
            "blog.utils.default_create_token (blog.utils) queries on Django's ORM"
        )
        for reason in about.reasons
    )


def test_a_view_calling_a_settings_chosen_callable_whose_default_queries_nothing_is_converted(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, "api_settings.GREETER(request.user)")

    assert about.status == "converted"
    assert about.reasons == []


def test_the_default_of_a_settings_chosen_callable_is_read_with_the_setting_naming_it() -> None:
    tree = ast.parse(dedent(APP_SETTINGS))

    assert chosen_callable(tree, "api_settings", "TOKEN_CREATOR") == ChosenCallable(
        "BLOG_API", "TOKEN_CREATOR", "blog.utils.default_create_token"
    )


def test_a_key_that_is_no_import_string_chooses_no_callable() -> None:
    tree = ast.parse(dedent(APP_SETTINGS))

    assert chosen_callable(tree, "api_settings", "PAGE_SIZE") is None
    assert chosen_callable(tree, "USER_SETTINGS", "TOKEN_CREATOR") is None


def settings_plan(tmp_path: Path, settings: str) -> RoutePlan:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/app_settings.py": APP_SETTINGS, "blog/utils.py": UTILS}
    views = VIEWS.replace("CALL", "api_settings.TOKEN_CREATOR(None, request.user)")
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    write_project(tmp_path, {"site_settings.py": settings})
    analysis = project_analysis(root, settings="site_settings")
    return plan(analysis, analysis.patterns[0])


def test_the_reason_says_the_projects_settings_leave_the_setting_unset(tmp_path: Path) -> None:
    about = settings_plan(tmp_path, 'ROOT_URLCONF = "site.blog.urls"\n')

    assert about.status == "partial"
    assert any(
        reason.endswith("(site_settings leaves BLOG_API unset: the default is called)")
        for reason in about.reasons
    )


def test_the_reason_says_the_projects_settings_set_the_setting(tmp_path: Path) -> None:
    about = settings_plan(tmp_path, 'BLOG_API = {"TOKEN_CREATOR": "site.tokens.mine"}\n')

    assert about.status == "partial"
    assert any(
        reason.endswith("(site_settings sets BLOG_API: what it chooses is not read)")
        for reason in about.reasons
    )


def test_a_setting_given_in_a_module_the_settings_star_import_is_set(tmp_path: Path) -> None:
    write_project(tmp_path, {"conf/__init__.py": "", "conf/base.py": "BLOG_API = {}\n"})
    write_project(tmp_path, {"conf/prod.py": "from .base import *\n"})

    assert project_sets("conf.prod", tmp_path / "src", "BLOG_API") is True
    assert project_sets("conf.base", tmp_path / "src", "OTHER") is False


def test_settings_star_importing_a_module_that_is_not_read_are_not_read(tmp_path: Path) -> None:
    write_project(tmp_path, {"conf.py": "from no_such_settings_module import *\n"})

    assert project_sets("conf", tmp_path / "src", "BLOG_API") is None
    assert project_sets("no_such_conf", tmp_path / "src", "BLOG_API") is None
