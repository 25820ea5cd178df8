"""End to end, on a small project: a view filtering through the reverse relation of a foreign
key with no related_name (`topicunread__user=..., topicunread__is_read=False`) comes out
`converted` and verified by the codemod's own check, and the generated app lists the topics
Django lists, for each user."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "unreadsite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "unread-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "unreadsite.topics",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "unreadsite.urls"
        TEMPLATES = [
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ]
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("UNREADSITE_DB", "unreadsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("topics/", include("unreadsite.topics.urls"))]
        """,
    "topics/__init__.py": "",
    "topics/models.py": """
        from django.conf import settings
        from django.db import models


        class Topic(models.Model):
            title = models.CharField(max_length=20)


        class TopicUnread(models.Model):
            user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
            topic = models.ForeignKey(Topic, on_delete=models.CASCADE)
            is_read = models.BooleanField(default=True)
        """,
    "topics/views.py": """
        from django.shortcuts import render

        from .models import Topic


        def unread(request, user_id):
            topics = Topic.objects.filter(
                topicunread__user=user_id, topicunread__is_read=False
            ).order_by("pk")
            return render(request, "topics/unread.html", {"topics": topics})
        """,
    "topics/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("unread/<int:user_id>/", views.unread, name="unread")]
        """,
    "topics/templates/topics/unread.html": (
        "{% for t in topics %}{{ t.title }};{% empty %}none{% endfor %}\n"
    ),
}
SIDES = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", run_syncdb=True, verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app
from unreadsite.topics.models import Topic, TopicUnread

ada = User.objects.create_user("ada")
bob = User.objects.create_user("bob")
first, second, third = (Topic.objects.create(title=t) for t in ["first", "second", "third"])
TopicUnread.objects.create(user=ada, topic=first, is_read=False)
TopicUnread.objects.create(user=ada, topic=second, is_read=True)
TopicUnread.objects.create(user=bob, topic=second, is_read=False)
legacy, new = Client(), TestClient(create_app())
found = {}
for user in [ada, bob]:
    a, b = legacy.get(f"/topics/unread/{user.pk}/"), new.get(f"/topics/unread/{user.pk}/")
    found[user.username] = [a.status_code, b.status_code, a.content.decode(), b.text]
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("keyed")
    return converted_and_asked(root, "unreadsite", PROJECT, SETTINGS, SIDES)


def test_the_view_filtering_through_the_reverse_key_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    unread = converted["routes"]["unread"]
    assert (unread["status"], unread["verified"], unread.get("reasons", [])) == (
        "converted",
        True,
        [],
    )


def test_each_user_gets_the_topics_django_lists(converted: dict[str, Any]) -> None:
    assert converted["sides"] == {
        "ada": [200, 200, "first;\n", "first;\n"],
        "bob": [200, 200, "second;\n", "second;\n"],
    }
