"""A submission's two calls (legacy, then at once the generated app) run with the project's clock
reading one instant (the pair's), so a middleware that writes a row only once a threshold has
passed since a time it holds (as Spirit's `LastSeenMiddleware` writes `last_seen` a minute after
the stored one) decides alike on both sides. Here the middleware holds the time of the first
submission it sees and writes a `Seen` row on a submission a second later; it then takes a
second itself, so the generated side's call always lands past the threshold the legacy call was
under: without the shared clock the route failed every run (`rows written differ in
default.seensite_seen`), as Spirit's routes did on the one pair a run that straddled the minute."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django.support import write_project

SETTINGS = "seensite.settings"
PROJECT = {
    "__init__.py": "",
    "settings.py": """
        import os

        SECRET_KEY = "form-pass-clock-test-only"
        ALLOWED_HOSTS = ["testserver"]
        INSTALLED_APPS = [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "seensite.seen",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "seensite.seen.middleware.SeenMiddleware",
        ]
        ROOT_URLCONF = "seensite.urls"
        CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        DATABASES = {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": os.environ["SEENSITE_DB"],
            }
        }
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
        """,
    "urls.py": """
        from django.urls import include, path

        urlpatterns = [path("seen/", include("seensite.seen.urls"))]
        """,
    "seen/__init__.py": "",
    "seen/models.py": """
        from django.db import models


        class Seen(models.Model):
            at = models.DateTimeField()
        """,
    "seen/middleware.py": """
        import time

        from django.core.cache import cache
        from django.utils import timezone
        from django.utils.deprecation import MiddlewareMixin

        from .models import Seen

        THRESHOLD_SECONDS = 1


        class SeenMiddleware(MiddlewareMixin):
            def process_request(self, request):
                if request.method != "POST":
                    return
                now = timezone.now()
                first = cache.get_or_set("first-seen", now)
                if (now - first).total_seconds() >= THRESHOLD_SECONDS:
                    Seen.objects.create(at=now)
                time.sleep(THRESHOLD_SECONDS)
        """,
    "seen/views.py": """
        from django.http import HttpResponse
        from django.shortcuts import redirect


        def note(request):
            if request.method == "POST":
                return redirect("note")
            return HttpResponse("<form method='post'><button>Note</button></form>")
        """,
    "seen/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [path("note/", views.note, name="note")]
        """,
}


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("seensite")
    write_project(root / "seensite", PROJECT)
    report = root / "report.json"
    arguments = ["seensite", "--out", "generated", "--report", str(report)]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SEENSITE_DB", str(root / "seensite.sqlite3"))
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {e["name"]: e for e in entries if e["kind"] == "route"}


def test_a_middleware_writing_past_a_threshold_decides_alike_on_both_sides_of_a_submission(
    routes: dict[str, dict[str, Any]],
) -> None:
    assert (routes["note"]["verified"], routes["note"]["error"]) == (True, None)
