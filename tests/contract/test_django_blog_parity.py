"""Parity of django_blog's JSON routes (migrated/django_blog: the codemod's output, unedited), in
process, on SQLite (file copies), as anonymous and as alice logged in through Django's login form
(CSRF token included). Every case must be equal, or both sides must fail alike (listed here with
the reason)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from legacy_examples.django_blog.blog.demo_data import ALICE
from legacy_examples.django_blog.testing_server import blog_environment, prepare_database
from tests.support import blog_settings
from tests.support.servers import REPO_ROOT, venv_command

pytestmark = pytest.mark.slow

JSON_ROUTES = {
    "/api/tags/": ["GET"],
    "/api/posts/": ["GET", "POST"],
    "/api/posts/{pk:int}/": ["GET", "PATCH", "DELETE"],
    "/api/posts/{pk:int}/comments/": ["GET", "POST"],
    "/api/archive/{year}/": ["GET"],
    "/api/me/": ["GET"],
}


def config_text(database: Path) -> str:
    routes = "".join(
        f'\n[[routes]]\npath = "{path}"\nmethods = {json.dumps(methods)}\nmode = "new"\n'
        for path, methods in JSON_ROUTES.items()
    )
    return f"""
[legacy]
app = "legacy_examples.django_blog.config.wsgi:application"

[migrated]
app = "migrated.django_blog:create_app"
{routes}
[parity]
max_examples = 5
seed = 5

[parity.database]
url = "sqlite:///{database}"

[[parity.users]]
name = "alice"
[parity.users.login]
path = "/accounts/login/"
form = {{ username = "{ALICE.username}", password = "{ALICE.password}" }}
csrf_page = "/accounts/login/"
csrf_field = "csrfmiddlewaretoken"
expect_status = [302]
"""


# (route, method, why both sides answer 5xx): the legacy view's own failure, kept by the migration
BOTH_FAIL = {
    ("GET POST /api/posts/{pk:int}/comments/", "POST"): (
        "a multipart Content-Type without a boundary: Django raises MultiPartParserError when "
        "the view reads request.body, on either side"
    ),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("blog_parity")
    database = workdir / "blog.sqlite3"
    env = blog_environment(sqlite_path=database, settings_module=blog_settings.__name__)
    prepare_database(env)
    config = workdir / "strangler.toml"
    config.write_text(config_text(database))
    output = workdir / "parity.json"
    result = subprocess.run(
        [venv_command("strangler"), "parity", "--config", str(config), "--json", str(output)],
        cwd=REPO_ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stdout + result.stderr
    document: dict[str, Any] = json.loads(output.read_text())
    return document


def test_every_json_route_was_exercised_as_both_identities(report: dict[str, Any]) -> None:
    routes = {r["route"]: r for r in report["routes"]}
    assert set(routes) == {f"{' '.join(m)} {p}" for p, m in JSON_ROUTES.items()}
    assert all(r["cases"] > 0 for r in routes.values())
    assert report["summary"]["identities"] == ["anonymous", "alice"]


def test_the_json_routes_have_no_real_difference(report: dict[str, Any]) -> None:
    differing = [
        f"{case['case']}: {case['error'] or ''} {[d['text'] for d in case['differences']]}"
        for case in report["cases"]
        if case["verdict"] in ("differing", "error")
    ]
    assert differing == [], "\n".join(differing[:20])
    assert (report["summary"]["differing"], report["summary"]["errors"]) == (0, 0)


def test_cases_failing_on_both_sides_are_the_listed_legacy_failures(
    report: dict[str, Any],
) -> None:
    failing = {
        (case["route"], case["case"].split()[0])
        for case in report["cases"]
        if case["verdict"] == "both failed"
    }
    assert failing <= set(BOTH_FAIL), failing
