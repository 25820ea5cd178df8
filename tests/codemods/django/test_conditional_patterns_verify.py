"""End to end, on a small project whose URLconf adds two patterns under settings conditions
(spirit's `if settings.ST_UPLOAD_IMAGE_ENABLED: urlpatterns.append(...)`), one true and one false
under its settings: the generated URLconf keeps both `if`s, reading the same settings, so the
generated app serves the first route as Django does and, like Django's resolver, not the second
(404 on both sides); the report says so for each (conditional_patterns in analysis.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proxy.cli import app
from tests.codemods.django import pinsite
from tests.codemods.django.support import converted_and_asked, write_project

SITE = "gatesite"  # not `pinsite`: another test's may be imported in the same worker
SETTINGS = f"{SITE}.settings"
PINSITE = {
    **pinsite.PROJECT,
    "settings.py": pinsite.PROJECT["settings.py"] + "UPLOADS_ON = True\n        FEED_ON = False\n",
    "notes/models.py": """
        from django.db import models


        class Note(models.Model):
            title = models.CharField(max_length=60)
        """,
    "notes/views.py": """
        from django.http import HttpResponse

        from .models import Note


        def index(request):
            return HttpResponse("index")


        def upload(request):
            return HttpResponse(",".join(n.title for n in Note.objects.order_by("title")))


        def feed(request):
            return HttpResponse("feed")
        """,
    "notes/urls.py": """
        from django.conf import settings
        from django.urls import path

        from . import views

        urlpatterns = [path("", views.index, name="index")]

        if settings.UPLOADS_ON:
            urlpatterns.append(path("upload/", views.upload, name="upload"))

        if settings.FEED_ON:
            urlpatterns += [path("feed/", views.feed, name="feed")]
        """,
}
PROJECT = {
    name: text.replace("pinsite", SITE).replace("PINSITE", SITE.upper())
    for name, text in PINSITE.items()
}
SIDES = (
    pinsite.SIDES_START
    + """from gatesite.notes.models import Note

Note.objects.create(title="b")
Note.objects.create(title="a")
legacy, new = Client(), TestClient(create_app())
found = {}
for url in ("/notes/upload/", "/notes/feed/"):
    a, b = legacy.get(url), new.get(url)
    found[url] = [a.status_code, b.status_code, a.content.decode() == b.text]
found["text"] = new.get("/notes/upload/").text
print(json.dumps(found))
"""
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("gates")
    return converted_and_asked(root, SITE, PROJECT, SETTINGS, SIDES)


def test_a_route_under_a_true_condition_is_converted_and_verified(
    converted: dict[str, Any],
) -> None:
    upload = converted["routes"]["upload"]
    assert (upload["status"], upload["verified"]) == ("converted", True), upload


def test_a_route_under_a_true_condition_answers_as_django_does(converted: dict[str, Any]) -> None:
    assert converted["sides"]["/notes/upload/"] == [200, 200, True]
    assert converted["sides"]["text"] == "a,b"


def test_a_route_under_a_false_condition_is_served_by_neither_side(
    converted: dict[str, Any],
) -> None:
    assert converted["sides"]["/notes/feed/"][:2] == [404, 404]


def test_a_route_under_a_false_condition_is_reported_as_not_served(
    converted: dict[str, Any],
) -> None:
    # before: "verify answers: not called: the generated app has no such route"
    feed = converted["routes"]["feed"]
    assert (feed["status"], feed["verified"], feed["condition"]) == (
        "unverified",
        None,
        "settings.FEED_ON",
    ), feed
    assert feed["reasons"] == [
        "registered only when `settings.FEED_ON` is true: not served under these settings "
        "(neither Django's resolver nor the generated app has the route), not called"
    ]


def codemod(root: Path, *options: str) -> dict[str, dict[str, Any]]:
    report = root / "report.json"
    arguments = [SITE, "--out", "generated", "--report", str(report), *options]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv(f"{SITE.upper()}_DB", str(root / f"{SITE}.sqlite3"))
        result = CliRunner().invoke(app, ["codemod", "django", *arguments, "--settings", SETTINGS])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {e["name"]: e for e in entries if e["kind"] == "route"}


def test_a_generated_urlconf_serving_a_route_django_does_not_fails_the_verification(
    tmp_path: Path,
) -> None:
    write_project(tmp_path / SITE, PROJECT)
    codemod(tmp_path, "--no-verify")
    urls = tmp_path / "generated" / "notes" / "urls.py"
    text = urls.read_text()
    assert 'if settings.FEED_ON:\n    router.add_api_route(\n        "/feed/",' in text
    urls.write_text(text.replace("if settings.FEED_ON:", "if True:"))

    feed = codemod(tmp_path)["feed"]

    assert (feed["status"], feed["verified"]) == ("partial", False), feed
    assert (
        "verify answers: registered under `if settings.FEED_ON`: the generated app serves it "
        "under these settings, Django's resolver does not"
    ) in feed["reasons"]
