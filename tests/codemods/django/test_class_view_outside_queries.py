"""A class-based view is judged as a function view is: calling a function or class of another
module of SRC that queries through Django's ORM keeps its route `partial`, saying which, unless
its methods on `self` call it and it gets a translated twin (helper_twins.py: the twin runs on
the view's session); a helper that queries nothing leaves it `converted`."""

from __future__ import annotations

from pathlib import Path

from codemods.django.plans import RoutePlan, plan
from tests.codemods.django.support import project_analysis, write_project

URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("about/", views.About.as_view())]
"""
HELPERS = """
    from .models import Post


    def mark_read(post_id):
        Post.objects.filter(pk=post_id).update(title="read")


    def shout(text):
        return text.upper()


    def titles():
        return list(Post.objects.values("title"))


    class Codes:
        @staticmethod
        def _seed():
            return "seed"

        @staticmethod
        def unused(user):
            return Post.objects.filter(title=Codes._seed()).count()

        @classmethod
        def first_unused(cls, user):
            return cls.unused(user)

        @staticmethod
        def count(text):
            return len(Codes._seed() + text)
"""
MODELS = """
    from django.db import models


    class Post(models.Model):
        title = models.CharField(max_length=20)
"""
VIEWS = """
    from django.http import HttpResponse
    from django.views import View

    from .helpers import Codes, mark_read, shout, titles


    class About(View):
        def get(self, request):
            return HttpResponse(CALL)
"""


def about_plan(tmp_path: Path, call: str) -> RoutePlan:
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": HELPERS, "blog/models.py": MODELS}
    views = VIEWS.replace("CALL", call)
    root = write_project(tmp_path / "site", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    return plan(analysis, analysis.patterns[0])


def test_a_class_view_calling_a_querying_function_of_another_module_is_partial(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, 'str(titles()) or "ok"')

    assert about.status == "partial"
    assert (
        "stays on Django's ORM: About: it calls titles (blog.helpers), which queries on "
        "Django's ORM"
    ) in about.reasons


def test_a_class_view_calling_a_function_of_another_module_with_a_twin_is_converted(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, 'str(mark_read(1)) or "ok"')  # its twin, on self.session

    assert about.status == "converted"
    assert about.reasons == []


def test_a_class_view_reaching_another_modules_queries_through_a_helper_is_partial(
    tmp_path: Path,
) -> None:
    about_views = "\n\n    def _mark(pk):\n        return mark_read(pk)\n"
    files = {"__init__.py": "", "blog/__init__.py": "", "blog/urls.py": URLS}
    files |= {"blog/helpers.py": HELPERS, "blog/models.py": MODELS}
    views = VIEWS.replace("CALL", '_mark(1) or "ok"') + about_views
    root = write_project(tmp_path / "other", {**files, "blog/views.py": views})
    analysis = project_analysis(root)
    about = plan(analysis, analysis.patterns[0])

    assert about.status == "partial"
    assert any("About: it calls _mark()" in reason for reason in about.reasons)


def test_a_class_view_calling_a_non_querying_helper_stays_converted(tmp_path: Path) -> None:
    about = about_plan(tmp_path, 'shout("ok")')

    assert about.status == "converted"
    assert about.reasons == []


def test_a_class_view_calling_a_querying_static_method_of_another_module_is_converted(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, 'str(Codes.unused(request.user)) or "ok"')  # its twin

    assert about.status == "converted"
    assert about.reasons == []


def test_a_class_method_reaching_the_orm_through_another_of_its_methods_queries_too(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, 'str(Codes.first_unused(request.user)) or "ok"')

    assert about.status == "partial"
    assert any("About: it calls Codes.first_unused" in reason for reason in about.reasons)


def test_a_non_querying_static_method_of_a_querying_class_leaves_the_view_converted(
    tmp_path: Path,
) -> None:
    about = about_plan(tmp_path, 'str(Codes.count("ok"))')

    assert about.status == "converted"
    assert about.reasons == []
