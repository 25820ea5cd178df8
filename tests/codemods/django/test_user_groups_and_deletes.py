"""Django's `Group` and the user's groups on the generated models (auth_group.py), and a view
deleting a row: converted where SQLAlchemy deletes what Django's `delete()` deletes, left on the
ORM with the keys that point at the row otherwise (django-todo's views)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods.django.model_relations import Relation
from codemods.django.plans import plan
from codemods.django.querysets import Unconvertible, translate
from codemods.django.rules.models import DjangoModelsRule
from codemods.django.rules.queries import DjangoQueriesRule
from tests.codemods.django.support import (
    convert,
    convert_module,
    load,
    project_analysis,
    write_project,
)

GROUP_MODELS = """
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import models


    class TaskList(models.Model):
        name = models.CharField(max_length=60)
        group = models.ForeignKey(Group, on_delete=models.CASCADE)


    class Task(models.Model):
        title = models.CharField(max_length=140)
        task_list = models.ForeignKey(TaskList, on_delete=models.CASCADE)
        created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)


    class Comment(models.Model):
        task = models.ForeignKey(Task, on_delete=models.CASCADE)
        body = models.TextField()
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("lists/<int:list_id>/", views.list_detail),
        path("lists/<int:list_id>/delete/", views.delete_list),
        path("tasks/<int:task_id>/delete/", views.delete_task),
    ]
"""
VIEWS = """
    from django.core.exceptions import PermissionDenied
    from django.http import JsonResponse
    from django.shortcuts import get_object_or_404

    from .models import Task, TaskList


    def list_detail(request, list_id):
        task_list = get_object_or_404(TaskList, id=list_id)
        if task_list.group not in request.user.groups.all():
            raise PermissionDenied
        return JsonResponse({"name": task_list.name})


    def delete_list(request, list_id):
        task_list = get_object_or_404(TaskList, id=list_id)
        task_list.delete()
        return JsonResponse({})


    def delete_task(request, task_id):
        task = get_object_or_404(Task, pk=task_id)
        if task.created_by != request.user:
            raise PermissionDenied
        task.delete()
        return JsonResponse({})
"""


def project(tmp_path: Path) -> Path:
    files = {
        "__init__.py": "",
        "todo/__init__.py": "",
        "todo/urls.py": URLS,
        "todo/models.py": GROUP_MODELS,
        "todo/views.py": VIEWS,
    }
    return write_project(tmp_path / "site", files)


def route(root: Path, view: str) -> tuple[str, list[str]]:
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == view)
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_key_to_djangos_group_was_a_bare_column_and_is_a_relationship_now() -> None:
    code, _ = convert(
        "from django.contrib.auth.models import Group\nfrom django.db import models\n\n"
        "class TaskList(models.Model):\n"
        "    group = models.ForeignKey(Group, on_delete=models.CASCADE)\n",
        [DjangoModelsRule],
    )
    assert "related model Group is not in this module" not in code
    assert "class AuthGroup(DjangoEquality, Base):" in code
    assert '__tablename__ = "auth_group"' in code
    assert (
        'group_id: Mapped[int] = mapped_column(Integer, ForeignKey("auth_group.id"), index=True)'
        in code
    )
    assert 'group: Mapped["AuthGroup"] = relationship("AuthGroup", foreign_keys=[group_id])' in code
    generated = load(code, "generated_auth_group_models")
    assert generated.TaskList.group.property.mapper.class_ is generated.AuthGroup


def test_a_group_model_of_src_is_not_taken_for_djangos() -> None:
    code, _ = convert(
        "from django.db import models\n\n"
        "class Group(models.Model):\n    name = models.CharField(max_length=9)\n\n"
        "class TaskList(models.Model):\n"
        "    group = models.ForeignKey(Group, on_delete=models.CASCADE)\n",
        [DjangoModelsRule],
    )
    assert "AuthGroup" not in code
    assert 'relationship("Group", foreign_keys=[group_id])' in code


def test_the_users_groups_are_the_groups_auth_user_groups_links_it_to() -> None:
    relations = {"TaskList": {"group": Relation("ForeignKey", True, target="AuthGroup")}}
    code = translate(
        cst.parse_expression("request.user.groups.all()"), frozenset({"TaskList"}), relations
    ).code
    assert code == (
        "session.scalars(ordered(select(tables.AuthGroup)"
        ".where(in_user_groups(tables.AuthGroup.id, request.user)))).all()"
    )


def test_without_a_generated_group_the_users_groups_stay_on_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path)
    models = root / "todo" / "models.py"
    models.write_text(
        models.read_text().replace("Group, on_delete", '"other.Team", on_delete'), "utf-8"
    )
    status, reasons = route(root, "list_detail")
    assert status == "partial"
    assert any("request.user.groups.all()" in reason for reason in reasons)


def test_a_view_reading_the_users_groups_runs_on_the_session(tmp_path: Path) -> None:
    root = project(tmp_path)
    code, _ = convert_module(root, "todo/views.py", [DjangoQueriesRule])
    assert (
        "if task_list.group not in session.scalars(ordered(select(tables.AuthGroup)"
        ".where(in_user_groups(tables.AuthGroup.id, request.user)))).all():"
    ) in code
    assert route(root, "list_detail") == ("converted", [])


def test_deleting_a_row_deletes_first_the_rows_whose_cascading_keys_point_at_it(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    code, _ = convert_module(root, "todo/views.py", [DjangoQueriesRule])
    assert "    delete(session, task, cascade=[tables.Comment.task_id])" in code
    assert (
        "    delete(session, task_list, cascade=[tables.Task.task_list_id, tables.Comment.task_id])"
        in code
    )
    assert route(root, "delete_task") == ("converted", [])


def test_a_key_pointing_at_the_row_with_another_on_delete_keeps_the_orm(tmp_path: Path) -> None:
    root = project(tmp_path)
    models = root / "todo" / "models.py"
    models.write_text(
        models.read_text().replace(
            "task = models.ForeignKey(Task, on_delete=models.CASCADE)",
            "task = models.ForeignKey(Task, on_delete=models.SET_NULL, null=True)",
        ),
        "utf-8",
    )
    code, _ = convert_module(root, "todo/views.py", [DjangoQueriesRule])
    assert "    task.delete()" in code
    status, reasons = route(root, "delete_task")
    assert status == "partial"
    assert reasons[-1] == (
        "stays on Django's ORM: delete_task: Comment.task points at Task: deleting a row "
        "through SQLAlchemy does not do what Django's on_delete does"
    )


ROW_RELATIONS = {
    "Task": {"task_list": Relation("ForeignKey", True, target="TaskList")},
    "Comment": {
        "task": Relation("ForeignKey", True, target="Task", cascade=True),
        "author": Relation("ForeignKey", True, related_name="notes", target="Task", cascade=True),
    },
}


def test_a_got_rows_delete_was_outside_the_mapping_and_is_the_rows_delete_now() -> None:
    code = translate(
        cst.parse_expression("Task.objects.get(id=pk).delete()"),
        frozenset({"Task", "TaskList", "Comment"}),
        ROW_RELATIONS,
    ).code
    assert code == (
        "delete(session, get_one(session, select(tables.Task).where(tables.Task.id == pk), Task), "
        "cascade=[tables.Comment.task_id])"
    )


def test_a_got_rows_delete_another_key_points_at_says_which_key() -> None:
    with pytest.raises(Unconvertible, match=r"^Task\.task_list points at TaskList: deleting a row"):
        translate(
            cst.parse_expression("TaskList.objects.get(id=pk).delete()"),
            frozenset({"Task", "TaskList"}),
            ROW_RELATIONS,
        )


def test_a_querysets_delete_deletes_the_rows_it_selects_and_what_cascades_from_them() -> None:
    code = translate(
        cst.parse_expression("Task.objects.filter(done=True).delete()"),
        frozenset({"Task"}),
        ROW_RELATIONS,
    ).code
    assert code == (
        "delete_rows(session, select(tables.Task).where(tables.Task.done.is_(True)), "
        "cascade=[tables.Comment.task_id])"
    )


def test_a_querysets_delete_another_key_points_at_stays_on_the_orm_with_the_key() -> None:
    with pytest.raises(Unconvertible, match=r"^Task\.task_list points at TaskList: deleting a row"):
        translate(
            cst.parse_expression("TaskList.objects.filter(name='x').delete()"),
            frozenset({"Task", "TaskList"}),
            ROW_RELATIONS,
        )


def test_a_querysets_delete_with_arguments_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match=r"delete\(\) with arguments"):
        translate(
            cst.parse_expression("Task.objects.filter(done=True).delete(keep_parents=True)"),
            frozenset({"Task"}),
            ROW_RELATIONS,
        )


def test_a_querysets_delete_imports_the_select_its_statement_names() -> None:
    translation = translate(
        cst.parse_expression("Task.objects.filter(done=True).delete()"),
        frozenset({"Task"}),
        ROW_RELATIONS,
    )
    assert ("sqlalchemy", "select") in translation.imports
