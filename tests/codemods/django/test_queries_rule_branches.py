"""The queries rule on a view calling a custom QuerySet method that branches on a setting: the
view runs both chains, the setting read when the query runs and imported as the method's
module imports it, unless the view's module binds that name to something else."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from tests.codemods.django.test_queries_rule import URLS, convert_views, project, reasons

MODELS = """
    from django.db import models

    from .managers import PostQuerySet


    class Tag(models.Model):
        slug = models.SlugField(unique=True)


    class Post(models.Model):
        title = models.CharField(max_length=200)
        rank = models.IntegerField(default=0)
        objects = PostQuerySet.as_manager()
"""
MANAGERS = """
    from django.conf import settings
    from django.db import models


    class PostQuerySet(models.QuerySet):
        def ordered(self):
            if settings.RANKED_POSTS:
                return self.order_by("rank", "pk")
            return self.order_by("title", "pk")
"""
VIEWS = """
    from django.http import JsonResponse

    from .models import Post


    def drafts(request):
        return JsonResponse({"titles": [p.title for p in Post.objects.ordered()]})
"""


def branching_project(tmp_path: Path, views: str = VIEWS) -> Path:
    root = project(tmp_path, views)
    (root / "blog" / "models.py").write_text(dedent(MODELS), encoding="utf-8")
    (root / "blog" / "managers.py").write_text(dedent(MANAGERS), encoding="utf-8")
    (root / "blog" / "urls.py").write_text(dedent(URLS), encoding="utf-8")
    return root


def test_the_view_runs_each_branch_with_the_setting_read_at_run_time(tmp_path: Path) -> None:
    code = convert_views(branching_project(tmp_path))

    assert "from django.conf import settings" in code
    assert (
        "(session.scalars(select(tables.Post).order_by(tables.Post.rank, tables.Post.id)).all() "
        "if settings.RANKED_POSTS else "
        "session.scalars(select(tables.Post).order_by(tables.Post.title, tables.Post.id)).all())"
    ) in code
    assert reasons(branching_project(tmp_path / "again"), "drafts") == ("converted", [])


def test_a_module_binding_the_settings_name_otherwise_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    own = VIEWS.replace("import Post\n", "import Post\n    from .conf import settings\n")
    root = branching_project(tmp_path, own)
    (root / "blog" / "conf.py").write_text("RANKED_POSTS = True\nsettings = None\n")
    status, why = reasons(root, "drafts")

    assert status == "partial"
    assert any("need settings of django.conf, which the module binds" in r for r in why)
