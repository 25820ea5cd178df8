"""The form pass posts each submission to legacy and at once to the generated app, both from the
kept state, so both sides see the same time since it: a project whose middleware writes a row
only when some seconds have passed since a time it stored (as Spirit's `LastSeenMiddleware`
writes `last_seen` a minute after the one it holds) writes on both sides or on neither. Here the
middleware stores the time of the first submission it sees and writes a `Visit` on a submission
three seconds later; a slow page (three seconds on each side's GET) comes between the legacy
and the new submissions when every legacy submission is posted before the new side's GETs,
which failed both routes (`legacy wrote no row`); paired, both pass."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

SETTINGS = "clocksite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "form-pass-timing-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "clocksite.visits",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "clocksite.visits.middleware.VisitMiddleware",
        ]
        ROOT_URLCONF = "clocksite.urls"
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ["CLOCKSITE_DB"],
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("visits/", include("clocksite.visits.urls"))]
        """,
    "visits/__init__.py": "",
    "visits/models.py": """
        from django.db import models


        class Visit(models.Model):
            at = models.DateTimeField()
        """,
    "visits/middleware.py": """
        import time

        from django.core.cache import cache
        from django.utils import timezone
        from django.utils.deprecation import MiddlewareMixin

        from .models import Visit

        SECONDS = 3


        class VisitMiddleware(MiddlewareMixin):
            def process_request(self, request):
                now = time.time()
                if request.method == "GET" and request.path == "/visits/slow/":
                    time.sleep(SECONDS)
                if request.method == "POST":
                    first = cache.get_or_set("first-post", now)
                    if now - first >= SECONDS:
                        Visit.objects.create(at=timezone.now())
        """,
    "visits/views.py": """
        from django.http import HttpResponse
        from django.shortcuts import redirect
        from django.views.decorators.http import require_POST


        def slow(request):
            return HttpResponse("slow")


        @require_POST
        def ping(request):
            return redirect("slow")
        """,
    "visits/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("slow/", views.slow, name="slow"),
            path("ping/", views.ping, name="ping"),
        ]
        """,
}


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("clocksite")
    write_project(root / "clocksite", PROJECT)
    report = root / "report.json"
    arguments = ["clocksite", "--out", "generated", "--report", str(report)]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("CLOCKSITE_DB", str(root / "clocksite.sqlite3"))
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {e["name"]: e for e in entries if e["kind"] == "route"}


def test_a_submission_reaches_both_sides_after_the_same_time_since_the_kept_state(
    routes: dict[str, dict[str, Any]],
) -> None:
    for name in ("slow", "ping"):  # a form's page, and a button's POST-only route
        assert (routes[name]["verified"], routes[name]["error"]) == (True, None)
