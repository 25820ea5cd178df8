"""Typed request data answers as Django does: a small project's function views read query
values, form fields, headers and a JSON body; the codemod's output and Django itself get the
same requests (Django's own handler through its test client, the generated app through
FastAPI's), and every answer is compared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest

from tests.codemods.django.support import write_project
from tests.codemods.support import REPO_ROOT

SITE = {
    "reqsite/__init__.py": "",
    "reqsite/settings.py": """
        SECRET_KEY = "request-data-parity"
        DEBUG = False
        ALLOWED_HOSTS = ["*"]
        ROOT_URLCONF = "reqsite.urls"
        INSTALLED_APPS = [
            "django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions",
        ]
        MIDDLEWARE = [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
        USE_TZ = True
    """,
    "reqsite/urls.py": """
        from django.urls import path

        from . import views

        urlpatterns = [
            path("query/", views.query),
            path("required/", views.required),
            path("form/", views.form),
            path("headers/", views.headers),
            path("body/", views.body),
        ]
    """,
    "reqsite/views.py": """
        import json

        from django.http import JsonResponse
        from django.views.decorators.csrf import csrf_exempt


        def query(request):
            q = request.GET.get("q")
            page = request.GET.get("page", "1")
            tags = request.GET.getlist("tag")
            target = request.GET.get("next", request.path)
            return JsonResponse({"q": q, "page": page, "tags": tags, "next": target})


        def required(request):
            return JsonResponse({"q": request.GET["q"]})


        @csrf_exempt
        def form(request):
            title = request.POST.get("title", "")
            body = request.POST.get("body")
            colour = request.POST.get("colour", "red")
            tags = request.POST.getlist("tag")
            return JsonResponse({"title": title, "body": body, "colour": colour, "tags": tags})


        def headers(request):
            token = request.headers.get("X-Token")
            meta = request.META.get("HTTP_X_TOKEN", "")
            agent = request.headers["X-Agent"]
            return JsonResponse({"token": token, "meta": meta, "agent": agent})


        @csrf_exempt
        def body(request):
            payload = json.loads(request.body)
            return JsonResponse({"payload": payload})
    """,
}

# (method, path, keyword arguments for both clients: query, form, JSON body, headers)
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/query/", {}),
    ("GET", "/query/?q=a&q=b&page=&tag=x&tag=&next=/n", {}),
    ("GET", "/query/?q=&page=3", {}),
    ("GET", "/required/?q=1", {}),
    ("GET", "/required/", {}),
    ("POST", "/form/", {"form": "title=&body=&tag=a&tag=b"}),
    ("POST", "/form/", {"form": "title=T&title=U&colour="}),
    ("POST", "/form/", {"form": ""}),
    ("POST", "/form/", {"json": '{"title": "not a form"}'}),
    ("POST", "/form/", {"multipart": {"title": "M", "body": ""}}),
    ("GET", "/form/", {}),
    ("GET", "/headers/", {"headers": [("X-Agent", "z")]}),
    ("GET", "/headers/", {"headers": [("X-Token", "a"), ("x-token", "b"), ("x-agent", "")]}),
    ("GET", "/headers/", {"headers": [("X-Token", "t")]}),
    ("POST", "/body/", {"json": '{"a": [1, 2]}'}),
    ("POST", "/body/", {"json": "[1, 2"}),
    ("GET", "/body/", {}),
]

COMPARE = """
import json, sys
import django
from django.test import Client
from fastapi.testclient import TestClient

requests = json.loads(sys.argv[1])
from reqsite_new import create_app

new = TestClient(create_app(), raise_server_exceptions=False)
legacy = Client(raise_request_exception=False)


def legacy_call(method, path, options):
    meta, data, content_type = {}, None, None
    joined = {}
    for name, value in options.get("headers", []):
        key = "HTTP_" + name.upper().replace("-", "_")
        joined[key] = joined[key] + "," + value if key in joined else value
    meta.update(joined)
    if "form" in options:
        data, content_type = options["form"], "application/x-www-form-urlencoded"
    elif "json" in options:
        data, content_type = options["json"], "application/json"
    elif "multipart" in options:
        data = options["multipart"]
    call = getattr(legacy, method.lower())
    if data is None:
        return call(path, **meta)
    if content_type is None:
        return call(path, data, **meta)
    return call(path, data, content_type=content_type, **meta)


def new_call(method, path, options):
    extra = {"headers": options.get("headers", [])}
    if "form" in options:
        extra["content"] = options["form"]
        form = ("content-type", "application/x-www-form-urlencoded")
        extra["headers"] = [*extra["headers"], form]
    elif "json" in options:
        extra["content"] = options["json"]
        extra["headers"] = [*extra["headers"], ("content-type", "application/json")]
    elif "multipart" in options:
        extra["files"] = {k: (None, v) for k, v in options["multipart"].items()}
    return new.request(method, path, **extra)


answers = []
for method, path, options in requests:
    both = [legacy_call(method, path, options), new_call(method, path, options)]
    answers.append([
        [r.status_code, r.content.decode() if r.status_code < 500 else ""] for r in both
    ])
print(json.dumps(answers))
"""


def run(args: list[str], cwd: Path, **env: str) -> str:
    environment = {**os.environ, "PYTHONPATH": f"{cwd}{os.pathsep}{REPO_ROOT}", **env}
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    root = write_project(tmp_path_factory.mktemp("request_data"), SITE)
    cli = "import sys; from proxy.cli import main; sys.argv[0] = 'strangler'; main()"
    run(["-c", cli, "codemod", "django", "reqsite", "--out", "reqsite_new", "--no-verify",
         "--settings", "reqsite.settings"], root)  # fmt: skip
    output = run(
        ["-c", dedent(COMPARE), json.dumps(REQUESTS)],
        root,
        DJANGO_SETTINGS_MODULE="reqsite.settings",
    )
    return list(json.loads(output))


def test_the_views_read_typed_parameters(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = write_project(tmp_path_factory.mktemp("request_data_code"), SITE)
    cli = "import sys; from proxy.cli import main; sys.argv[0] = 'strangler'; main()"
    run(["-c", cli, "codemod", "django", "reqsite", "--out", "reqsite_new", "--no-verify",
         "--settings", "reqsite.settings"], root)  # fmt: skip
    code = (root / "reqsite_new" / "views.py").read_text()
    assert "request.GET" not in code
    assert "request.POST" not in code
    assert "request.headers" not in code and "request.META" not in code
    assert "json.loads" not in code


@pytest.mark.parametrize("index", range(len(REQUESTS)), ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_each_request_is_answered_as_django_answers_it(answers: list[Any], index: int) -> None:
    legacy, new = answers[index]
    assert new == legacy
