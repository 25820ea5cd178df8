"""A kept decorator reading a one-to-one relation of the user (`user.profile`) to a model of SRC:
the route gets the relation through SQLAlchemy (the runtime's `user_relations`) and the
decorator no longer keeps it `partial`; a relation without a generated model keeps its
reason."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from codemods.django.rules.user_relations import UserRelationsRule
from codemods.django.user_relations import UserRelation, read_user_relations
from tests.codemods.django.support import convert_module, project_analysis, write_project
from tests.codemods.django.test_kept_decorators import DECORATORS, URLS

VIEWS = """
    from django.http import HttpResponse

    from ..blog.decorators import moderator_required


    @moderator_required
    def page(request):
        return HttpResponse("page")
"""
PROFILES = """
    from django.conf import settings
    from django.db import models


    class Profile(models.Model):
        user = models.OneToOneField(
            settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
        )
        is_moderator = models.BooleanField(default=False)
"""


def project(tmp_path: Path, profiles: str = PROFILES) -> Path:
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/decorators.py": DECORATORS,
        "blog/views.py": VIEWS,
        "people/__init__.py": "",
        "people/models.py": profiles,
    }
    return write_project(tmp_path / "site", files)


def test_the_users_one_to_one_relations_to_models_of_src_are_read(tmp_path: Path) -> None:
    assert read_user_relations(project(tmp_path)) == {
        "profile": UserRelation("profile", "Profile", "user", ("people", "models.py"))
    }


def test_a_decorator_reading_a_served_relation_keeps_no_reason(tmp_path: Path) -> None:
    analysis = project_analysis(project(tmp_path))
    result = plan(analysis, analysis.patterns[0])

    assert (str(result.status), result.reasons) == ("converted", [])
    assert analysis.views[(("blog", "views.py"), "page")].user_relations == ("profile",)


def test_a_relation_without_related_name_is_not_served(tmp_path: Path) -> None:
    root = project(tmp_path, PROFILES.replace(', related_name="profile"', ""))
    analysis = project_analysis(root)
    result = plan(analysis, analysis.patterns[0])

    assert str(result.status) == "partial"
    assert "it reads user.profile (a query on Django's ORM)" in result.reasons[0]


def test_the_route_reads_the_relation_through_sqlalchemy(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "blog/views.py", [UserRelationsRule])

    assert code == dedent(
        """
        from django.http import HttpResponse

        from legacyproj.blog.decorators import moderator_required
        from codemods.runtime.django.views import django_view
        from ..people import models as people_tables
        from typing import Annotated
        from fastapi import Depends
        from django.http import HttpRequest
        from codemods.runtime.django.user_relations import user_relations


        @django_view
        @moderator_required
        def page(request: Annotated[HttpRequest, Depends(user_relations(profile=people_tables.Profile.user_id))]):
            return HttpResponse("page")
        """  # noqa: E501
    )
