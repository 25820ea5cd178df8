"""End to end, on a small project: a view calling a model's querying classmethod and an `F()`
increment method comes out `converted` and verified by the codemod's own check, and the rows
its twins write are the ones Django reads back; the increment adds in the database, so a row
read before another process's increment loses neither."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "methodsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "method-twins-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "methodsite.forum",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "methodsite.urls"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("METHODSITE_DB", "methodsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("forum/", include("methodsite.forum.urls"))]
        """,
    "forum/__init__.py": "",
    "forum/models.py": """
        from django.db import models
        from django.db.models import F


        class Topic(models.Model):
            title = models.CharField(max_length=50)
            view_count = models.PositiveIntegerField(default=0)

            def increase_view_count(self):
                Topic.objects.filter(pk=self.pk).update(view_count=F("view_count") + 1)


        class Event(models.Model):
            topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
            action = models.IntegerField(default=0)

            @classmethod
            def record(cls, topic, action):
                return cls.objects.create(topic=topic, action=action)
        """,
    "forum/views.py": """
        from django.http import JsonResponse
        from django.shortcuts import get_object_or_404

        from .models import Event, Topic


        def detail(request, pk):
            topic = get_object_or_404(Topic, pk=pk)
            topic.increase_view_count()
            event = Event.record(topic=topic, action=2)
            return JsonResponse({"title": topic.title, "event": event.pk is not None})
        """,
    "forum/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("<int:pk>/", views.detail, name="detail")]
        """,
}
SIDES = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.db.models import F
from django.test import Client
from fastapi.testclient import TestClient

from codemods.runtime.django.database import new_session
from generated import create_app
from generated.forum.models import Topic as Row
from methodsite.forum.models import Event, Topic

Topic.objects.create(title="first")
legacy, new = Client(), TestClient(create_app())
found = {"answers": [legacy.get("/forum/1/").json(), new.get("/forum/1/").json()]}
found["read_back"] = [
    Topic.objects.get(pk=1).view_count,
    list(Event.objects.order_by("pk").values_list("topic_id", "action")),
]
session = new_session()
row = session.get(Row, 1)  # read before Django's increment below
Topic.objects.filter(pk=1).update(view_count=F("view_count") + 5)
row.increase_view_count_with_session(session=session)
session.close()
found["no_lost_increment"] = Topic.objects.get(pk=1).view_count
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("methods")
    return converted_and_asked(root, "methodsite", PROJECT, SETTINGS, SIDES)


def test_the_view_calling_model_methods_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    detail = converted["routes"]["detail"]
    assert (detail["status"], detail["verified"], detail.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_both_sides_answer_the_same(converted: dict[str, Any]) -> None:
    legacy, new = converted["sides"]["answers"]
    assert legacy == new == {"title": "first", "event": True}


def test_django_reads_back_what_the_twins_wrote(converted: dict[str, Any]) -> None:
    assert converted["sides"]["read_back"] == [2, [[1, 2], [1, 2]]]


def test_the_increment_adds_in_the_database_losing_no_other_write(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["no_lost_increment"] == 2 + 5 + 1
