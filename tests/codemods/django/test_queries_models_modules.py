"""The queries rule in a project of several models modules: a query reaching a model of another
module through its relations (`category__parent__is_removed`) imports that module's generated
twin too, each under its own name (`topic_tables`, `category_tables`)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from codemods.django.rules.queries import DjangoQueriesRule
from tests.codemods.django.support import convert_module, project_analysis, write_project

CATEGORY = """
    from django.db import models


    class Category(models.Model):
        parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
        is_removed = models.BooleanField(default=False)
"""
TOPIC = """
    from django.db import models


    class Topic(models.Model):
        category = models.ForeignKey(
            "forum_category.Category", on_delete=models.CASCADE, related_name="topics"
        )
        title = models.CharField(max_length=75)
"""
VIEWS = """
    from django.http import JsonResponse

    from .models import Topic


    def visible(request):
        topics = Topic.objects.filter(category__parent__is_removed=False)
        return JsonResponse({"titles": [t.title for t in topics]})
"""
ROOT_URLS = """
    from django.urls import include, path

    urlpatterns = [path("", include("legacyproj.topic.urls"))]
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("visible/", views.visible)]
"""


def apps(name: str, label: str) -> str:
    return (
        "from django.apps import AppConfig\n\n\n"
        f"class Config(AppConfig):\n    name = {name!r}\n    label = {label!r}\n"
    )


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "urls.py": ROOT_URLS,
        "category/__init__.py": "",
        "category/apps.py": apps("legacyproj.category", "forum_category"),
        "category/models.py": CATEGORY,
        "topic/__init__.py": "",
        "topic/apps.py": apps("legacyproj.topic", "forum_topic"),
        "topic/models.py": TOPIC,
        "topic/views.py": VIEWS,
        "topic/urls.py": URLS,
    }
    return write_project(tmp_path / "legacyproj", files)


def test_a_model_reached_through_a_relation_is_taken_from_its_own_module(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "topic/views.py", [DjangoQueriesRule])
    assert "from . import models as topic_tables" in code
    assert "from ..category import models as category_tables" in code
    assert (
        "related(topic_tables.Topic.category, related(category_tables.Category.parent, "
        "category_tables.Category.is_removed.is_(False)))"
    ) in code


def test_the_view_reaching_two_models_modules_is_converted(tmp_path: Path) -> None:
    analysis = project_analysis(project(tmp_path))
    found = next(p for p in analysis.patterns if p.view.name == "visible")
    assert plan(analysis, found).reasons == []


COUNTS = """
    from django.contrib.auth import get_user_model
    from django.http import JsonResponse

    from .models import Topic

    User = get_user_model()


    def counts(request):
        return JsonResponse({"topics": Topic.objects.count(), "users": User.objects.count()})
"""


def test_the_user_of_get_user_model_is_the_shared_bases_user(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "topic" / "views.py").write_text(dedent(COUNTS), encoding="utf-8")
    urls = dedent(URLS).replace('path("visible/", views.visible)', 'path("n/", views.counts)')
    (root / "topic" / "urls.py").write_text(urls, encoding="utf-8")
    code, _ = convert_module(root, "topic/views.py", [DjangoQueriesRule])
    # the models modules share one base: models_base.py at the output's root holds the User
    assert "select(func.count()).select_from(select(models_base_tables.User).subquery())" in code
    assert "from .. import models_base as models_base_tables" in code
    assert "from . import models as topic_tables" in code
