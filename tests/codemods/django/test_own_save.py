"""A model's own `save()` (own_save.py): kept on its generated row and run by the runtime's
`save(session, row)` when it only sets the row's fields and ends in the parent's `save()`
(django-todo's `Task.save` dating a completed task); any other keeps the views saving such rows on
Django's ORM, with the reason."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from codemods.django.own_save import runs_on_rows
from codemods.django.plans import plan
from codemods.django.rules.models import DjangoModelsRule
from codemods.runtime.django.instances import save
from tests.codemods.django.support import (
    convert,
    load,
    project_analysis,
    write_project,
)

TASK = """
import datetime

from django.db import models


class Task(models.Model):
    title = models.CharField(max_length=140)
    completed = models.BooleanField(default=False)
    completed_date = models.DateField(blank=True, null=True)

    def save(self, **kwargs):
        # If Task is being marked complete, set the completed_date
        if self.completed:
            self.completed_date = datetime.datetime.now()
        super(Task, self).save()
"""


def model_class(source: str) -> ast.ClassDef:
    return next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))


def test_a_save_setting_its_own_fields_then_the_parents_runs_on_rows() -> None:
    assert runs_on_rows(model_class(TASK))


def test_a_save_doing_anything_else_does_not() -> None:
    for body in (
        "self.title = self.title.upper()\n        super().save()",  # a call
        "super().save()\n        self.title = 'x'",  # after the write
        "self.owner = self.title\n        super().save()",  # not a field
        "self.title = Task.objects.count()\n        super().save()",  # a query
    ):
        source = TASK.replace(
            """if self.completed:
            self.completed_date = datetime.datetime.now()
        super(Task, self).save()""",
            body,
        )
        assert not runs_on_rows(model_class(source)), body


def test_the_row_was_written_without_its_save_and_now_runs_it() -> None:
    code, _ = convert(TASK, [DjangoModelsRule])
    assert "class Task(RowSave, Base):" in code
    generated = load(code, "generated_own_save_models")
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        task = generated.Task(id=1, title="Milk", completed=True)
        save(session, task)
        assert task.completed_date is not None  # Task.save() ran, then the row was written
        undone = generated.Task(id=2, title="Bread", completed=False)
        save(session, undone)
        assert undone.completed_date is None
        assert session.get(generated.Task, task.id).title == "Milk"


VIEWS = """
    from django.http import JsonResponse

    from .models import Task


    def touch(request, pk):
        task = Task.objects.get(pk=pk)
        task.save()
        return JsonResponse({})
"""
URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [path("<int:pk>/", views.touch)]
"""


def route(tmp_path: Path, models: str) -> tuple[str, list[str]]:
    files = {
        "__init__.py": "",
        "todo/__init__.py": "",
        "todo/models.py": models,
        "todo/views.py": VIEWS,
        "todo/urls.py": URLS,
    }
    analysis = project_analysis(write_project(tmp_path / "site", files))
    found = next(p for p in analysis.patterns if p.view.name == "touch")
    result = plan(analysis, found)
    return str(result.status), result.reasons


def test_a_view_saving_a_row_whose_save_runs_on_rows_converts(tmp_path: Path) -> None:
    assert route(tmp_path, TASK) == ("converted", [])


def test_a_view_saving_a_row_whose_save_is_djangos_stays_with_the_reason(tmp_path: Path) -> None:
    models = TASK.replace("super(Task, self).save()", "super().save(**kwargs)\n        notify()")
    status, reasons = route(tmp_path, models)
    assert status == "partial"
    assert reasons[-1] == (
        "stays on Django's ORM: touch: task.save(): Task has its own save(), which Django runs "
        "and the runtime's save() of a row does not"
    )
