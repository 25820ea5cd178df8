"""django-todo's query shapes the translation now takes: auth's `Group.objects.filter(user=u)`
(the groups the user is in), a queryset's row by place (`qs[0]`), and a converted view's
`except IntegrityError` (Django's) catching SQLAlchemy's too (integrity_errors.py)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods.django.integrity_errors import CatchRowErrors, django_error_names
from codemods.django.model_relations import Relation
from codemods.django.plans import plan
from codemods.django.querysets import Unconvertible, translate
from codemods.django.rules.queries import DjangoQueriesRule
from tests.codemods.django.support import convert_module, project_analysis, write_project
from tests.codemods.django.test_user_groups_and_deletes import GROUP_MODELS

RELATIONS = {"TaskList": {"group": Relation("ForeignKey", True, target="AuthGroup")}}
MODELS = frozenset({"TaskList", "Group"})


def translated(source: str) -> str:
    return translate(cst.parse_expression(source), MODELS, RELATIONS).code


def test_auths_group_filtered_by_its_user_is_the_groups_the_user_is_in() -> None:
    # before: session.scalars(ordered(select(tables.Group).where(tables.Group.user == user)))
    assert translated("Group.objects.filter(user=user)") == (
        "session.scalars(ordered(select(tables.AuthGroup)"
        ".where(in_user_groups(tables.AuthGroup.id, user)))).all()"
    )


def test_a_project_model_named_group_is_not_taken_for_auths() -> None:
    relations = {
        **RELATIONS,
        "Group": {},
        "Team": {"group": Relation("ForeignKey", True, target="Group")},
    }
    code = translate(cst.parse_expression("Group.objects.all()"), MODELS, relations).code
    assert "tables.Group)" in code and "AuthGroup" not in code


def test_a_querysets_first_place_is_one_row_or_djangos_index_error() -> None:
    # before: "only [start:stop] slices are converted"
    assert translated("request.user.groups.all()[0]") == (
        "session.scalars(ordered(select(tables.AuthGroup)"
        ".where(in_user_groups(tables.AuthGroup.id, request.user))).limit(1)).all()[0]"
    )
    assert translated("TaskList.objects.all()[2]") == (
        "session.scalars(ordered(select(tables.TaskList)).offset(2).limit(1)).all()[0]"
    )


def test_a_negative_place_stays_on_the_orm() -> None:
    with pytest.raises(Unconvertible, match=r"only \[start:stop\] slices"):
        translated("TaskList.objects.all()[-1]")


def caught(source: str, imports: dict[str, str]) -> str:
    return cst.parse_module(source).visit(CatchRowErrors(django_error_names(imports))).code


def test_djangos_integrity_error_handler_catches_sqlalchemys_too() -> None:
    source = "try:\n    save(session, row)\nexcept IntegrityError:\n    pass\n"
    assert caught(source, {"IntegrityError": "django.db.IntegrityError"}) == (
        "try:\n    save(session, row)\nexcept (IntegrityError, RowIntegrityError):\n    pass\n"
    )


def test_a_tuple_of_errors_gets_sqlalchemys_at_its_end() -> None:
    source = "try:\n    f()\nexcept (ValueError, DbError):\n    pass\n"
    assert caught(source, {"DbError": "django.db.utils.IntegrityError"}) == (
        "try:\n    f()\nexcept (ValueError, DbError, RowIntegrityError):\n    pass\n"
    )


def test_another_integrity_error_is_left_as_written() -> None:
    source = "try:\n    f()\nexcept IntegrityError:\n    pass\n"
    assert caught(source, {"IntegrityError": "sqlalchemy.exc.IntegrityError"}) == source


def test_a_key_to_auths_group_among_the_users_groups_reads_auth_user_groups() -> None:
    # before: "group__in: only a to-one relation by key"
    relations = {
        **RELATIONS,
        "Task": {"task_list": Relation("ForeignKey", True, target="TaskList")},
    }
    lists = "TaskList.objects.filter(group__in=request.user.groups.all())"
    tasks = "Task.objects.filter(task_list__group__in=request.user.groups.all())"
    assert translate(cst.parse_expression(lists), MODELS, relations).code == (
        "session.scalars(ordered(select(tables.TaskList)"
        ".where(in_user_groups(tables.TaskList.group_id, request.user)))).all()"
    )
    assert translate(cst.parse_expression(tasks), MODELS | {"Task"}, relations).code == (
        "session.scalars(ordered(select(tables.Task).where(related(tables.Task.task_list, "
        "in_user_groups(tables.TaskList.group_id, request.user))))).all()"
    )


LIST_VIEWS = """
    from django.shortcuts import render

    from .models import TaskList


    def lists(request):
        lists = TaskList.objects.all().order_by("name")
        if not request.user.is_superuser:
            lists = lists.filter(group__in=request.user.groups.all())
        return render(request, "lists.html", {"lists": lists, "count": lists.count()})
"""


def test_a_queryset_variable_in_a_context_dict_is_given_as_its_rows(tmp_path: Path) -> None:
    # before: "lists: a queryset variable used otherwise"
    files = {
        "__init__.py": "",
        "todo/__init__.py": "",
        "todo/models.py": GROUP_MODELS,
        "todo/views.py": LIST_VIEWS,
        "todo/urls.py": "from django.urls import path\n\nfrom . import views\n\n"
        "urlpatterns = [path('', views.lists)]\n",
        "todo/templates/lists.html": "{% for l in lists %}{{ l.name }}{% endfor %}{{ count }}\n",
    }
    root = write_project(tmp_path / "site", files)
    code, _ = convert_module(root, "todo/views.py", [DjangoQueriesRule])
    assert '{"lists": context_rows(session, lists), "count": session.scalar(' in code
    assert "lists = lists.where(in_user_groups(tables.TaskList.group_id, request.user))" in code


SAVE_VIEWS = """
    from django import forms
    from django.shortcuts import redirect

    from .models import TaskList


    class ListForm(forms.ModelForm):
        class Meta:
            model = TaskList
            fields = ["name"]


    def add(request):
        TaskList.objects.count()
        form = ListForm(request.POST)
        task_list = form.save(commit=False)
        task_list.save()
        return redirect("/")
"""


def test_a_commit_save_of_a_form_without_a_twin_keeps_the_view_on_the_orm(tmp_path: Path) -> None:
    # a form of the views module gets no twin: `save(session, form, commit=False)` would not run
    files = {
        "__init__.py": "",
        "todo/__init__.py": "",
        "todo/models.py": GROUP_MODELS,
        "todo/views.py": SAVE_VIEWS,
        "todo/urls.py": "from django.urls import path\n\nfrom . import views\n\n"
        "urlpatterns = [path('', views.add)]\n",
    }
    root = write_project(tmp_path / "site", files)
    analysis = project_analysis(root)
    found = next(p for p in analysis.patterns if p.view.name == "add")
    result = plan(analysis, found)
    assert str(result.status) == "partial"
    assert result.reasons[-1].endswith(
        "form.save(commit=...): form holds no form with a translated twin"
    )


def test_a_many_to_many_field_equal_to_an_object_is_the_rows_linked_to_it() -> None:
    # before: "assigned_to: only a to-one relation by key"
    relations = {"Task": {"assigned_to": Relation("ManyToManyField", True, True, target="User")}}
    source = "Task.objects.filter(assigned_to=request.user)"
    assert translate(cst.parse_expression(source), frozenset({"Task"}), relations).code == (
        "session.scalars(ordered(select(tables.Task)"
        ".where(related(tables.Task.assigned_to, id=pk_of(request.user))))).all()"
    )


def test_a_many_to_many_field_equal_to_none_stays_on_the_orm() -> None:
    relations = {"Task": {"assigned_to": Relation("ManyToManyField", True, True, target="User")}}
    with pytest.raises(Unconvertible, match="only a many-to-many field's links to one object"):
        translate(
            cst.parse_expression("Task.objects.filter(assigned_to=None)"),
            frozenset({"Task"}),
            relations,
        )


def test_the_users_of_a_rows_key_to_auths_group_are_those_auth_user_groups_links() -> None:
    # before: "task_list.group.user_set: not `Model.objects` (custom managers stay)"
    relations = {
        **RELATIONS,
        "Task": {"created_by": Relation("ForeignKey", True, True, target="User")},
    }
    source = "task_list.group.user_set.all()"
    assert translate(cst.parse_expression(source), MODELS, relations).code == (
        "session.scalars(ordered(select(tables.User)"
        ".where(in_group_users(tables.User.id, task_list.group)))).all()"
    )


def test_a_user_set_of_a_relation_not_to_auths_group_stays_on_the_orm() -> None:
    relations = {
        "Team": {"leader": Relation("ForeignKey", True, True, target="User")},
        "Task": {"group": Relation("ForeignKey", True, target="Team")},
    }
    with pytest.raises(Unconvertible, match=r"not `Model\.objects`"):
        translate(cst.parse_expression("task.group.user_set.all()"), MODELS, relations)
