"""End to end, on a small project: a route marked for translation is `converted` when the project's
resolver serves it as plain text (its URLconf binds `pgettext_lazy` to Django's only under a
setting the project leaves unset, as django-postman does), verified by the codemod's own check;
a route translated by Django's own `pgettext_lazy` keeps its reason (another active language may
serve another path)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.codemods.django.support import converted_and_asked

SETTINGS = "wordsite.settings"
VIEWS = """
    from django.http import HttpResponse


    def hello(request):
        return HttpResponse("hello")
"""
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "words-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        ROOT_URLCONF = "wordsite.urls"
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ.get("WORDSITE_DB", "wordsite.sqlite3"),
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [
            path("plain/", include("wordsite.plain.urls")),
            path("lazy/", include("wordsite.lazy.urls")),
        ]
        """,
    "plain/__init__.py": "",
    "plain/views.py": VIEWS,
    "plain/urls.py": """
        from django.conf import settings
        from django.urls import path

        if getattr(settings, "WORDSITE_I18N_URLS", False):
            from django.utils.translation import pgettext_lazy
        else:
            def pgettext_lazy(context, message):
                return message

        from . import views

        urlpatterns = [path(pgettext_lazy("url", "hello/"), views.hello, name="plain_hello")]
        """,
    "lazy/__init__.py": "",
    "lazy/views.py": VIEWS,
    "lazy/urls.py": """
        from django.urls import path
        from django.utils.translation import pgettext_lazy

        from . import views

        urlpatterns = [path(pgettext_lazy("url", "hello/"), views.hello, name="lazy_hello")]
        """,
}
SIDES = """
import json

import django

django.setup()
from django.test import Client
from fastapi.testclient import TestClient

from generated import create_app

legacy, new = Client(), TestClient(create_app())
print(json.dumps({
    "legacy": legacy.get("/plain/hello/").content.decode(),
    "new": new.get("/plain/hello/").text,
}))
"""


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("wordsite")
    return converted_and_asked(root, "wordsite", PROJECT, SETTINGS, SIDES)


def test_a_route_the_resolver_serves_as_plain_text_is_converted_and_verified(
    outcome: dict[str, Any],
) -> None:
    route = outcome["routes"]["plain_hello"]
    assert (route["status"], route["verified"], route["reasons"]) == ("converted", True, [])
    assert "translation" not in route


def test_a_route_djangos_pgettext_lazy_translates_keeps_its_reason(
    outcome: dict[str, Any],
) -> None:
    route = outcome["routes"]["lazy_hello"]
    assert route["status"] == "partial"
    assert route["reasons"][0].startswith("route marked for translation (pgettext_lazy())")


def test_both_sides_answer_the_untranslated_path_alike(outcome: dict[str, Any]) -> None:
    assert outcome["sides"] == {"legacy": "hello", "new": "hello"}
