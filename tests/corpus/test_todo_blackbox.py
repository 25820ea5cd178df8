"""django-todo 2.7.0's `toggle_done` and `reorder_tasks`, converted to SQLAlchemy (the user's
groups through `in_user_groups`, the task's creator compared with `request.user` by key, the
task saved through `Task`'s own `save()`, which dates a completed task), asked the same requests
through Django and through the codemod's output, unedited, on one database, in the app's venv:
the task's creator, a member of its list's group, a stranger (403), a GET (403), a missing task
(404), a reordering, and `delete_task` and `del_list` deleting what Django's on_delete=CASCADE
deletes (comments, attachments, the tasks of a list, the assignees' links). Each side starts
from the same task; each answer's status and redirect,
and the task's `completed` and `completed_date` after it, must be what Django's were."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.corpus.blackbox import asked_both
from tests.corpus.django_apps import DJANGO_TODO

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group(f"corpus-{DJANGO_TODO.key}")]
PACKAGE = "todo_generated"

ASK_BOTH = r"""
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import Group, User
from django.test import Client
from fastapi.testclient import TestClient
from todo.models import Attachment, Comment, Task, TaskList

from todo_generated import create_app

team, other = Group.objects.create(name="team"), Group.objects.create(name="other")
creator = User.objects.create_user("creator", is_staff=True)
member = User.objects.create_user("member", is_staff=True)
stranger = User.objects.create_user("stranger", is_staff=True)
member.groups.add(team)
stranger.groups.add(other)
errands = TaskList.objects.create(name="Errands", slug="errands", group=team)
task = Task.objects.create(title="Milk", task_list=errands, created_by=creator)
fastapi = TestClient(create_app(), base_url="http://testserver", follow_redirects=False)
TOKEN = "a" * 32  # a CSRF secret both sides accept, as a browser's cookie and header
answers = []


def ask(user, method, url, completed=False, data=None):
    pair = []
    for side in ("django", "fastapi"):
        # each side starts from the same task: not done (or done), no completion date
        Task.objects.filter(pk=task.pk).update(completed=completed, completed_date=None)
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        client.cookies["csrftoken"] = TOKEN
        if side == "django":
            response = getattr(client, method.lower())(url, data or {}, HTTP_X_CSRFTOKEN=TOKEN)
        else:
            fastapi.cookies.clear()
            for name, morsel in client.cookies.items():
                fastapi.cookies.set(name, morsel.value)
            response = fastapi.request(method, url, data=data, headers={"X-CSRFToken": TOKEN})
        task.refresh_from_db()
        done = task.completed_date and task.completed_date.isoformat()
        pair.append([response.status_code, response.headers.get("Location"), task.completed, done])
    answers.append([f"{user and user.username} {method} {url}", *pair])


ask(creator, "POST", f"/toggle_done/{task.pk}/")
ask(member, "POST", f"/toggle_done/{task.pk}/", completed=True)
ask(stranger, "POST", f"/toggle_done/{task.pk}/")
ask(member, "GET", f"/toggle_done/{task.pk}/")
ask(member, "POST", "/toggle_done/999/")
# reorder_tasks saves each task through Task's own save(), which dates a completed one
ask(member, "POST", "/reorder_tasks/", True, {"tasktable[]": ["", str(task.pk)]})



def remaining(task_list, task_ids):
    # what is left of a list, its tasks, and the comments, attachments and assignees' links of
    # those tasks (by key: a row left pointing at a deleted task counts)
    return [
        TaskList.objects.filter(pk=task_list.pk).count(),
        Task.objects.filter(pk__in=task_ids).count(),
        Comment.objects.filter(task_id__in=task_ids).count(),
        Attachment.objects.filter(task_id__in=task_ids).count(),
        Task.assigned_to.through.objects.filter(task_id__in=task_ids).count(),
    ]


def ask_delete(user, what):
    # each side deletes a list or a task of its own: a list, two tasks, a comment, an attachment
    pair = []
    for side in ("django", "fastapi"):
        slug = f"chores-{side}-{len(answers)}"
        chores = TaskList.objects.create(name="Chores", slug=slug, group=team)
        first = Task.objects.create(title="Sweep", task_list=chores, created_by=creator)
        second = Task.objects.create(title="Dust", task_list=chores, created_by=creator)
        first.assigned_to.add(member)
        Comment.objects.create(author=member, task=first, body="soon")
        Attachment.objects.create(task=first, added_by=member, file="notes.txt")
        url = (
            f"/{chores.pk}/{chores.slug}/delete/" if what == "list" else f"/delete/{first.pk}/"
        )
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.cookies["csrftoken"] = TOKEN
        if side == "django":
            response = client.post(url, HTTP_X_CSRFTOKEN=TOKEN)
        else:
            fastapi.cookies.clear()
            for name, morsel in client.cookies.items():
                fastapi.cookies.set(name, morsel.value)
            response = fastapi.request("POST", url, headers={"X-CSRFToken": TOKEN})
        location = response.headers.get("Location", "").replace(slug, "chores")
        location = location.replace(f"/{chores.pk}/", "/<list>/")
        pair.append([response.status_code, location, remaining(chores, [first.pk, second.pk])])
    answers.append([f"{user.username} delete {what}", *pair])


ask_delete(member, "task")
ask_delete(stranger, "task")
ask_delete(member, "list")
ask_delete(stranger, "list")
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[list[Any]]:
    found: list[list[Any]] = asked_both(
        DJANGO_TODO, tmp_path_factory.mktemp("todo-blackbox"), PACKAGE, ASK_BOTH
    )
    return found


def test_toggle_done_answers_and_saves_the_task_as_django_does(
    answers: list[list[Any]],
) -> None:
    different = [(request, django, ours) for request, django, ours in answers if ours != django]
    assert different == []


def test_the_requests_reach_the_permission_check_the_404_and_tasks_own_save(
    answers: list[list[Any]],
) -> None:
    statuses = [django[0] for _, django, _ in answers[:6]]
    # creator, group member: redirected to the list; a stranger and a GET: 403; no task: 404;
    # reorder_tasks: 201
    assert statuses == [302, 302, 403, 403, 404, 201]
    # the list's key: the site's own ticket list (corpus_site_todo_data) comes first
    assert re.fullmatch(r"/\d+/errands/", answers[0][1][1])
    # done, with Task.save()'s completion date; undone (the date kept); untouched
    assert [django[2] for _, django, _ in answers[:6]] == [True, False, False, False, False, True]
    assert answers[0][1][3] is not None and answers[1][1][3] is None
    assert answers[5][1][3] is not None


def test_deleting_a_task_or_a_list_deletes_what_django_deletes(answers: list[list[Any]]) -> None:
    deletes = {request: django for request, django, _ in answers[6:]}
    # the member deletes the task with its comment, attachment and assignee's link, or the list
    # with both tasks; a stranger is refused and nothing goes
    assert deletes == {
        "member delete task": [302, "/<list>/chores/", [1, 1, 0, 0, 0]],
        "stranger delete task": [403, "", [1, 2, 1, 1, 1]],
        "member delete list": [302, "/", [0, 0, 0, 0, 0]],
        "stranger delete list": [403, "", [1, 2, 1, 1, 1]],
    }
