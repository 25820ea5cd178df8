"""django-sql-explorer 5.3.1's routes whose objects are SQLAlchemy rows, asked the same requests
through Django and through the codemod's output, unedited, on one database, in the app's venv,
as a staff user (anonymous callers get the app's login page on both sides, before the view's
own code runs, so the codemod's verification alone does not reach it): the connections and
table descriptions lists, a table description's delete confirmation and its deletion. Status,
body (CSRF tokens blanked) and `Location` must be the same on both sides, and so must the rows
left; the assistant's history (a plain view's handler querying) of the user's newest five
prompts; an uploaded connection's list entry and page (its encrypted host and user read through
Django's field), the query logs and favorites pages, the favorite toggle and a query's deletion
(its logs' keys set to NULL, its favorites deleted) from either side, and an uploaded
connection's refresh, the SQLite connections offered for an upload, and a connection's deletion
with DELETE (the view's own `delete()` override, which the codemod's verification does not
call: it posts the confirmation form) from either side."""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest

from tests.corpus.blackbox import asked_both
from tests.corpus.django_apps import SQL_EXPLORER

pytestmark = [pytest.mark.corpus, pytest.mark.xdist_group(f"corpus-{SQL_EXPLORER.key}")]
PACKAGE = "explorer_generated"

# Runs in the app's venv: Django set up from the site's settings, a fresh SQLite database, a
# staff user logged in on both clients (one session), then each request asked of Django's test
# client and of the generated app's, in turn; after a deletion the database is read back.
ASK_BOTH = r"""
import json, re

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from django.test import Client
from fastapi.testclient import TestClient

from explorer.assistant.models import TableDescription
from explorer.ee.db_connections.models import DatabaseConnection
from explorer_generated import create_app

staff = User.objects.create_superuser("ann", "ann@example.com", "correct horse 1")
warehouse = DatabaseConnection.objects.create(
    alias="warehouse", engine="django.db.backends.sqlite3", name="warehouse.db"
)
for table in ("orders", "items"):
    TableDescription.objects.create(
        database_connection=warehouse, table_name=table, description=f"the {table}"
    )
django_client = Client()
django_client.force_login(staff)
fastapi = TestClient(create_app(), base_url="http://testserver", follow_redirects=False)
fastapi.cookies.set("sessionid", django_client.cookies["sessionid"].value)
TOKEN = re.compile(r'(csrfmiddlewaretoken" value=")[^"]*')
answers = []


def ask(method, url):  # GET only: the deletions are below
    pair = []
    for side in ("django", "fastapi"):
        if side == "django":
            response = django_client.get(url)
            location = response.headers.get("Location")
        else:
            response = fastapi.request(method, url)
            location = response.headers.get("location")
        body = TOKEN.sub(r"\1", response.content.decode(errors="replace"))
        pair.append([response.status_code, body, location])
    answers.append([f"{method} {url}", *pair])


def rows():
    return sorted(TableDescription.objects.values_list("table_name", flat=True))


ask("GET", "/connections/")
ask("GET", "/table-descriptions/")
first, second = TableDescription.objects.order_by("id")
ask("GET", f"/table-descriptions/{first.pk}/delete/")
ask("GET", "/table-descriptions/999/delete/")
before = rows()
csrf = {"X-CSRFToken": fastapi.cookies.get("csrftoken") or ""}  # set by the confirm page
fastapi_client_delete = fastapi.post(f"/table-descriptions/{first.pk}/delete/", headers=csrf)
after_fastapi = rows()
django_delete = django_client.post(f"/table-descriptions/{second.pk}/delete/")
answers.append([
    "POST delete",
    [django_delete.status_code, django_delete.headers.get("Location")],
    [fastapi_client_delete.status_code, fastapi_client_delete.headers.get("location")],
])
answers.append(["rows", before, after_fastapi, rows()])
# the assistant's history: a plain View's handler querying (the class-queries rule), newest five
from datetime import datetime, timezone
from explorer.assistant.models import PromptLog

for n in range(7):
    log = PromptLog.objects.create(
        run_by_user=staff, database_connection=warehouse, user_request=f"q{n}", response=f"a{n}"
    )
    PromptLog.objects.filter(pk=log.pk).update(run_at=datetime(2024, 1, 1 + n, tzinfo=timezone.utc))
PromptLog.objects.create(user_request="someone else's", database_connection=warehouse)
history = json.dumps({"connection_id": warehouse.pk})
django_history = django_client.post(
    "/assistant/history/", history, content_type="application/json"
)
fastapi_history = fastapi.post(
    "/assistant/history/", content=history, headers={**csrf, "content-type": "application/json"}
)
answers.append([
    "POST history",
    [django_history.status_code, django_history.content.decode()],
    [fastapi_history.status_code, fastapi_history.text],
])
# an uploaded connection (its encrypted credentials read through Django's own field), query
# logs filtered by the dict get_queryset builds, favorites ordered by their query's title, and
# the favorite toggle (a queryset's delete(), then get_or_create())
from explorer.models import Query, QueryFavorite, QueryLog

upload = DatabaseConnection.objects.create(
    alias="upload", engine="django.db.backends.sqlite3", name="up.db", host="uploads/up.db",
    user="ann", password="secret",
)
zoo = Query.objects.create(title="zoo", sql="select 1", database_connection=warehouse)
ant = Query.objects.create(title="ant", sql="select 2", database_connection=warehouse)
for query in (zoo, ant):
    QueryFavorite.objects.create(query=query, user=staff)
    QueryLog.objects.create(query=query, sql=query.sql, run_by_user=staff)
QueryLog.objects.create(sql="select 3", run_by_user=staff)
for url in [
    "/connections/", f"/connections/{upload.pk}/", f"/connections/{warehouse.pk}/",
    "/favorites/", "/logs/", f"/logs/?query_id={zoo.pk}",
]:
    ask("GET", url)


def favorites():
    return sorted(QueryFavorite.objects.values_list("query__title", flat=True))


toggles = [favorites()]
toggled = fastapi.post(f"/favorite/{zoo.pk}", headers=csrf)
toggles += [toggled.status_code, toggled.json(), favorites()]
toggled = fastapi.post(f"/favorite/{zoo.pk}", headers=csrf)
toggles += [toggled.status_code, toggled.json(), favorites()]
again = django_client.post(f"/favorite/{zoo.pk}")
toggles += [again.status_code, again.json(), favorites()]
answers.append(["toggles", *toggles])
# deleting a query: its logs keep their rows with no query (SET_NULL), its favorites go (CASCADE)
for query in (zoo, ant):
    QueryFavorite.objects.get_or_create(query=query, user=staff)


def pointing():
    logs = sorted([log.sql, log.query_id or 0] for log in QueryLog.objects.all())
    return [logs, favorites(), sorted(Query.objects.values_list("title", flat=True))]


gone = fastapi.post(f"/{zoo.pk}/delete", headers=csrf)
deleted = [gone.status_code, gone.headers.get("location"), pointing()]
gone = django_client.post(f"/{ant.pk}/delete")
deleted += [gone.status_code, gone.headers.get("Location"), pointing()]
answers.append(["deleted", *deleted])
ask("GET", f"/connections/{upload.pk}/refresh/")  # the row's method and a function given it
ask("GET", "/connections/create_upload/")  # rows put in a TemplateView's context
# connections deleted with DELETE: the view's own delete() reads the row (is_upload, host), then
# hands on to Django's deletion (the generated app's row mixin)
doomed = [
    DatabaseConnection.objects.create(alias=a, engine="django.db.backends.sqlite3", name=a)
    for a in ("old1", "old2")
]


def aliases():
    return sorted(DatabaseConnection.objects.values_list("alias", flat=True))


removed = [aliases()]
gone = fastapi.request("DELETE", f"/connections/{doomed[0].pk}/delete/", headers=csrf)
removed += [gone.status_code, gone.headers.get("location"), aliases()]
gone = django_client.delete(f"/connections/{doomed[1].pk}/delete/")
removed += [gone.status_code, gone.headers.get("Location"), aliases()]
answers.append(["connections deleted", *removed])
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[list[Any]]:
    found: list[list[Any]] = asked_both(
        SQL_EXPLORER, tmp_path_factory.mktemp("explorer-blackbox"), PACKAGE, ASK_BOTH
    )
    return found


def _changed(django: str, fastapi: str) -> list[str]:
    """The lines of the two bodies that differ, as a diff (the first 20)."""
    lines = difflib.unified_diff(django.splitlines(), fastapi.splitlines(), lineterm="", n=0)
    return list(lines)[:20]


def test_each_page_is_answered_alike_by_django_and_the_generated_app(
    answers: list[list[Any]],
) -> None:
    pages = answers[:4]
    different = [
        (request, theirs[0], ours[0], _changed(theirs[1], ours[1]), theirs[2], ours[2])
        for request, theirs, ours in pages
        if ours != theirs
    ]
    assert different == []
    assert [django[0] for _, django, _ in pages] == [200, 200, 200, 404]
    assert "warehouse" in pages[0][1][1] and "orders" in pages[2][1][1]
    assert "<td>warehouse</td>" in pages[1][1][1]  # each description's connection, by __str__


def test_a_deletion_redirects_alike_and_removes_the_row_on_either_side(
    answers: list[list[Any]],
) -> None:
    _, django, fastapi = answers[4]
    assert django == fastapi == [302, "/table-descriptions/"]
    _, before, after_fastapi, after_both = answers[5]
    assert (before, after_fastapi, after_both) == (["items", "orders"], ["items"], [])


def test_the_assistant_history_answers_the_users_newest_five_alike(
    answers: list[list[Any]],
) -> None:
    _, django, fastapi = answers[6]
    assert django == fastapi
    assert django[0] == 200
    logs = json.loads(django[1])["logs"]
    assert [log["user_request"] for log in logs] == ["q6", "q5", "q4", "q3", "q2"]


def test_the_rows_of_connections_logs_and_favorites_are_answered_alike(
    answers: list[list[Any]],
) -> None:
    pages = answers[7:13]
    different = [
        (request, theirs[0], ours[0], _changed(theirs[1], ours[1]))
        for request, theirs, ours in pages
        if ours != theirs
    ]
    assert different == []
    assert [django[0] for _, django, _ in pages] == [200] * 6
    connections, upload = (page[1][1] for page in pages[:2])
    assert connections.count("(uploaded)") == 1  # the decrypted host: only the upload has one
    assert "<td>uploads/up.db</td>" in upload and "<td>ann</td>" not in upload
    favorites = pages[3][1][1]
    assert favorites.index(">ant<") < favorites.index(">zoo<")


def test_the_favorite_toggle_removes_then_adds_on_either_side(answers: list[list[Any]]) -> None:
    name, before, *toggles = answers[13]
    assert name == "toggles" and before == ["ant", "zoo"]
    assert [toggles[0], toggles[1]["is_favorite"], toggles[2]] == [200, False, ["ant"]]
    assert [toggles[3], toggles[4]["is_favorite"], toggles[5]] == [200, True, ["ant", "zoo"]]
    assert [toggles[6], toggles[7]["is_favorite"], toggles[8]] == [200, False, ["ant"]]


def test_a_query_deleted_on_either_side_leaves_its_logs_and_takes_its_favorites(
    answers: list[list[Any]],
) -> None:
    name, *deleted = answers[14]
    assert name == "deleted"
    assert deleted[0:2] == deleted[3:5] == [302, "/"]
    logs, favorites, titles = deleted[2]  # zoo deleted by the generated app: ant's log remains
    assert [sql for sql, key in logs if key] == ["select 2"]
    # "Users" is the site's own saved query (corpus_site_explorer_queries), never deleted here
    assert (favorites, titles) == (["ant"], ["Users", "ant"])
    logs, favorites, titles = deleted[5]  # then ant by Django
    assert logs == [["select 1", 0], ["select 2", 0], ["select 3", 0]]
    assert (favorites, titles) == ([], ["Users"])


def test_refreshing_an_uploaded_connection_answers_alike(answers: list[list[Any]]) -> None:
    _, django, fastapi = answers[15]
    assert django == fastapi
    assert django[0] == 200 and "Removed local SQLite DB" in django[1]


def test_the_sqlite_connections_offered_for_an_upload_are_answered_alike(
    answers: list[list[Any]],
) -> None:
    _, django, fastapi = answers[16]
    assert django == fastapi
    assert django[0] == 200 and ">upload</option>" in django[1]


def test_a_connection_deleted_with_delete_on_either_side_goes_alike(
    answers: list[list[Any]],
) -> None:
    name, before, *removed = answers[17]
    assert name == "connections deleted"
    assert removed[0:2] == removed[3:5] == [302, "/connections/"]
    assert {"old1", "old2", "upload", "warehouse"} <= set(before)
    assert sorted(set(before) - {"old1"}) == removed[2]  # by the generated app's delete()
    assert sorted(set(before) - {"old1", "old2"}) == removed[5]  # then by Django's
