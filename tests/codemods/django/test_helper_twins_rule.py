"""Rule `django-helper-twins`: a function view calling a querying helper of another module of SRC
calls a translated twin of it (`<name>_with_session`, in the helper module's output, beside the
legacy function) when the helper's queries are all in the mapping; otherwise its route stays
`partial`, naming the helper."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from codemods.django.plans import plan
from codemods.django.rules.helper_twins import HelperTwinsRule
from tests.codemods.django.support import convert_module, project_analysis, write_project

URLS = """
    from django.urls import path

    from .views import tasks

    urlpatterns = [
        path("toggle/<int:task_id>/", tasks.toggle_view),
        path("titles/", tasks.titles_view),
        path("through/<int:task_id>/", tasks.through_module),
    ]
"""
MODELS = """
    from django.db import models


    class Task(models.Model):
        title = models.CharField(max_length=200)
        completed = models.BooleanField(default=False)
"""
UTILS = """
    import logging

    from .models import Task

    log = logging.getLogger(__name__)


    def toggle(task_id: int) -> bool:
        try:
            task = Task.objects.get(id=task_id)
            task.completed = not task.completed
            task.save()
            return True
        except Task.DoesNotExist:
            log.info("no task %s", task_id)
            return False


    def titles():
        return list(Task.objects.values("title"))
"""
VIEWS = """
    from django.http import JsonResponse

    from blog import utils
    from blog.utils import titles, toggle


    def toggle_view(request, task_id):
        return JsonResponse({"done": toggle(task_id)})


    def titles_view(request):
        return JsonResponse({"titles": titles()})


    def through_module(request, task_id):
        return JsonResponse({"done": utils.toggle(task_id)})
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "blog/__init__.py": "",
        "blog/urls.py": URLS,
        "blog/models.py": MODELS,
        "blog/utils.py": UTILS,
        "blog/views/__init__.py": "",
        "blog/views/tasks.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_view_calling_a_helper_whose_queries_translate_is_converted(tmp_path: Path) -> None:
    assert route(project(tmp_path), "toggle_view") == ("converted", [])


def test_the_view_calls_the_twin_with_its_session(tmp_path: Path) -> None:
    code, _ = convert_module(project(tmp_path), "blog/views/tasks.py", [HelperTwinsRule])

    assert code == dedent(
        """
        from django.http import JsonResponse

        from blog import utils
        from blog.utils import titles
        from codemods.runtime.django.views import django_view
        from codemods.runtime.django.request import DjangoRequest
        from ..utils import toggle_with_session
        from fastapi import Depends
        from sqlalchemy.orm import Session
        from codemods.runtime.django.database import get_session


        @django_view
        def toggle_view(request: DjangoRequest, task_id: int, session: Session = Depends(get_session)):
            return JsonResponse({"done": toggle_with_session(task_id, session=session)})


        @django_view
        def titles_view(request: DjangoRequest):
            return JsonResponse({"titles": titles()})


        @django_view
        def through_module(request: DjangoRequest, task_id: int):
            return JsonResponse({"done": utils.toggle(task_id)})
        """  # noqa: E501
    )


def test_the_helpers_module_gets_the_translated_twin_beside_the_legacy_function(
    tmp_path: Path,
) -> None:
    code, _ = convert_module(project(tmp_path), "blog/utils.py")  # every rule

    assert code == dedent(
        """
        import logging

        from legacyproj.blog.models import Task
        from . import models as tables
        from codemods.runtime.django.queries import get_one
        from sqlalchemy import select
        from codemods.runtime.django.instances import save
        from sqlalchemy.orm import Session

        log = logging.getLogger(__name__)


        def toggle(task_id: int) -> bool:
            try:
                task = Task.objects.get(id=task_id)
                task.completed = not task.completed
                task.save()
                return True
            except Task.DoesNotExist:
                log.info("no task %s", task_id)
                return False


        def toggle_with_session(task_id: int, *, session: Session) -> bool:
            try:
                task = get_one(session, select(tables.Task).where(tables.Task.id == task_id), Task)
                task.completed = not task.completed
                save(session, task)
                return True
            except Task.DoesNotExist:
                log.info("no task %s", task_id)
                return False


        def titles():
            return list(Task.objects.values("title"))
        """
    )


def test_a_helper_with_a_query_outside_the_mapping_keeps_the_view_on_the_orm(
    tmp_path: Path,
) -> None:
    status, why = route(project(tmp_path), "titles_view")

    assert status == "partial"
    assert (
        "stays on Django's ORM: it calls titles (blog.utils), which queries on Django's ORM" in why
    )


def test_a_helper_called_through_its_module_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    status, why = route(project(tmp_path), "through_module")

    assert status == "partial"
    assert (
        "stays on Django's ORM: it calls utils.toggle (blog.utils), which queries on Django's ORM"
        in why
    )


def test_a_view_whose_own_queries_stay_lists_them_with_the_helper(tmp_path: Path) -> None:
    root = project(tmp_path)
    views = (root / "blog/views/tasks.py").read_text()
    (root / "blog/views/tasks.py").write_text(
        views.replace(
            'return JsonResponse({"done": toggle(task_id)})',
            'return JsonResponse({"done": toggle(task_id), "n": request.user.groups.count()})',
        )
    )

    status, why = route(root, "toggle_view")

    assert status == "partial"
    assert any("request.user.groups" in reason for reason in why)
    assert (
        "stays on Django's ORM: it calls toggle (blog.utils), which queries on Django's ORM" in why
    )
