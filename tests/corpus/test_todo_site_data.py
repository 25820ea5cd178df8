"""django-todo's corpus site has what a project using todo has (its README): the ticket list
`TODO_DEFAULT_LIST_SLUG` names, made before tickets are filed, and a task on a list; so
`external_add` and `task_detail` reach their own code on both sides instead of two alike 500s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.corpus.django_apps import DJANGO_TODO
from tests.support.corpus import prepare_or_skip

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group(f"corpus-{DJANGO_TODO.key}")]

MIGRATED_ROWS = r"""
import json

import django
from django.conf import settings
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
from todo.models import Task, TaskList

tickets = TaskList.objects.get(slug=settings.TODO_DEFAULT_LIST_SLUG)
lists_of_tasks = [task.task_list_id for task in Task.objects.all()]
print(json.dumps([tickets.group.name, lists_of_tasks, tickets.pk]))
"""


def test_the_migrated_site_has_the_ticket_list_and_a_task_on_it(tmp_path: Path) -> None:
    prepared = prepare_or_skip(DJANGO_TODO)
    env = {"DJANGO_SETTINGS_MODULE": DJANGO_TODO.settings, "PYTHONDONTWRITEBYTECODE": "1"}
    ran = prepared.run(["-c", MIGRATED_ROWS], cwd=tmp_path, env=env)
    assert ran.returncode == 0, ran.stderr[-3000:]
    group, task_lists, tickets = json.loads(ran.stdout.strip().splitlines()[-1])
    assert group == "Helpdesk"
    assert task_lists == [tickets]
