"""django-todo 2.7.0's `search` and `external_add`, converted to SQLAlchemy, asked the same
requests through Django and through the codemod's output, unedited, on one database, in the
app's venv.

`search` holds a queryset or None (`found_tasks = None` without a query string), narrows it to
the user's groups, and its template reads `{{ found_tasks.count }}`: a member's search by title,
with completed tasks left out, with an empty query (every task of the member's groups), a
superuser's page with no query (None: "No results") and a member's (Django's AttributeError on
None: 500 on both sides) must render the same pages. `external_add` files a ticket on the site's
ticket list (`TODO_DEFAULT_LIST_SLUG`), its creator the request's user (`user_row`), after
reading the current site (`Site.objects.get_current()` on the session): the answer and the task
written must be Django's. `remove_attachment` deletes an attachment's row and its file on disk
(`remove_attachment_file` reads Django's FieldFile of the row's stored name, `field_file`):
the answers, the row and the file after them must be Django's."""

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
import re

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import Group, User
from django.test import Client
from fastapi.testclient import TestClient
from todo.models import Task, TaskList

from todo_generated import create_app

team, other = Group.objects.create(name="team"), Group.objects.create(name="other")
member = User.objects.create_user("member", email="member@example.com", is_staff=True)
boss = User.objects.create_superuser("boss", "boss@example.com", "pw")
member.groups.add(team)
errands = TaskList.objects.create(name="Errands", slug="errands", group=team)
elsewhere = TaskList.objects.create(name="Elsewhere", slug="elsewhere", group=other)
Task.objects.create(title="Buy milk", task_list=errands, created_by=member)
Task.objects.create(title="Milk the cow", task_list=errands, completed=True)
Task.objects.create(title="Milkshake", task_list=elsewhere, note="not the member's")
fastapi = TestClient(
    create_app(), base_url="http://testserver", follow_redirects=False,
    raise_server_exceptions=False,
)
TOKEN = "a" * 32
answers = []


def body(response):
    text = response.content.decode() if hasattr(response, "content") else response.text
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def ask(user, method, url, data=None):
    pair = []
    for side in ("django", "fastapi"):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(user)
        client.cookies["csrftoken"] = TOKEN
        before = set(Task.objects.values_list("pk", flat=True))
        if side == "django":
            response = getattr(client, method.lower())(url, data or {}, HTTP_X_CSRFTOKEN=TOKEN)
        else:
            fastapi.cookies.clear()
            for name, morsel in client.cookies.items():
                fastapi.cookies.set(name, morsel.value)
            response = fastapi.request(method, url, data=data, headers={"X-CSRFToken": TOKEN})
        written = [
            [t.title, t.note, t.priority, t.task_list.slug, t.created_by.username]
            for t in Task.objects.exclude(pk__in=before)
        ]
        page = body(response) if response.status_code == 200 else ""
        pair.append([response.status_code, response.headers.get("Location"), page, written])
    answers.append([f"{user.username} {method} {url}", *pair])


ask(member, "GET", "/search/?q=milk")
ask(member, "GET", "/search/?q=milk&inc_complete=1")
ask(member, "GET", "/search/?q=")
ask(boss, "GET", "/search/")
ask(member, "GET", "/search/")
ask(member, "POST", "/ticket/add/", {"title": "Printer", "note": "jammed", "priority": "3"})

import os

from todo.models import Attachment

stranger = User.objects.create_user("stranger", is_staff=True)
milk = Task.objects.get(title="Buy milk")


def ask_remove(user, method="POST", missing=False):
    # each side removes an attachment of its own, its file on disk where the storage keeps it
    pair = []
    for side in ("django", "fastapi"):
        name = f"notes-{side}-{len(answers)}.txt"
        attachment = Attachment.objects.create(task=milk, added_by=member, file=name)
        path = attachment.file.path  # where the site's storage keeps it
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as file:
            file.write("notes")
        url = f"/attachment/remove/{999 if missing else attachment.pk}/"
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(user)
        client.cookies["csrftoken"] = TOKEN
        if side == "django":
            response = getattr(client, method.lower())(url, HTTP_X_CSRFTOKEN=TOKEN)
        else:
            fastapi.cookies.clear()
            for key, morsel in client.cookies.items():
                fastapi.cookies.set(key, morsel.value)
            response = fastapi.request(method, url, headers={"X-CSRFToken": TOKEN})
        left = [Attachment.objects.filter(pk=attachment.pk).exists(), os.path.exists(path)]
        pair.append([response.status_code, response.headers.get("Location"), left])
    answers.append([f"{user.username} {method} remove{' missing' if missing else ''}", *pair])


ask_remove(member)
ask_remove(stranger)
ask_remove(member, "GET")
ask_remove(member, missing=True)
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[list[Any]]:
    found: list[list[Any]] = asked_both(
        DJANGO_TODO, tmp_path_factory.mktemp("todo-search-ticket"), PACKAGE, ASK_BOTH
    )
    return found


def test_search_and_a_filed_ticket_answer_as_django_does(answers: list[list[Any]]) -> None:
    different = [request for request, django, ours in answers if ours != django]
    assert different == []


def test_the_searches_reach_the_results_the_none_page_and_the_error(
    answers: list[list[Any]],
) -> None:
    pages = {request: django for request, django, _ in answers}
    found = pages["member GET /search/?q=milk"][2]
    assert re.search(r"2 search results", found)  # the member's groups', completed too
    assert "Milkshake" not in found
    assert re.search(r"1 search results", pages["member GET /search/?q=milk&inc_complete=1"][2])
    assert "No results to show" in pages["boss GET /search/"][2]
    assert pages["member GET /search/"][0] == 500  # Django's AttributeError on None.filter


def test_the_ticket_is_filed_on_the_ticket_list_by_the_requests_user(
    answers: list[list[Any]],
) -> None:
    status, _, _, written = answers[5][1]
    assert status == 302
    assert written == [["Printer", "jammed", 3, "tickets", "member"]]


def test_removing_an_attachment_deletes_its_row_and_file_as_django_does(
    answers: list[list[Any]],
) -> None:
    removals = {request: django for request, django, _ in answers[6:]}
    # the member: the row and the file on disk gone (Django's FieldFile.path); a stranger and a
    # GET refused, both kept; no such attachment: 404
    assert removals == {
        "member POST remove": [302, removals["member POST remove"][1], [False, False]],
        "stranger POST remove": [403, None, [True, True]],
        "member GET remove": [403, None, [True, True]],
        "member POST remove missing": [404, None, [True, True]],
    }
    assert re.fullmatch(r"/task/\d+/", removals["member POST remove"][1])
