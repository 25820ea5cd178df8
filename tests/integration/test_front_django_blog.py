"""django_blog through `strangler serve`: its own suite passes unchanged, all-legacy and with a
migrated route in `new` mode, and the path traps are closed against Django's URL resolver."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from legacy_examples.django_blog.blog.demo_data import ALICE
from legacy_examples.django_blog.testing_server import (
    blog_environment,
    gunicorn_argv,
    prepare_database,
)
from legacy_examples.django_blog.tests.helpers import login, unique
from tests.support import blog_settings
from tests.support.servers import free_port, run_pytest, running_front, running_server
from tests.unit.proxy.raw_http import raw_request

SUITE = "legacy_examples/django_blog/tests"
pytestmark = pytest.mark.slow

LEGACY = """
[legacy]
app = "legacy_examples.django_blog.config.wsgi:application"
"""

# Every JSON route of the blog, as `strangler codemod django` generated it in migrated/django_blog
MIGRATED = (
    LEGACY
    + """
[migrated]
app = "migrated.django_blog:create_app"

[[routes]]
path = "/api/tags/"
mode = "new"

[[routes]]
path = "/api/posts/"
methods = ["GET", "POST"]
mode = "new"

[[routes]]
path = "/api/posts/{pk:int}/"
methods = ["GET", "PATCH", "DELETE"]
mode = "new"

[[routes]]
path = "/api/posts/{pk:int}/comments/"
methods = ["GET", "POST"]
mode = "new"

[[routes]]
path = "/api/archive/{year}/"
mode = "new"

[[routes]]
path = "/api/me/"
mode = "new"
"""
)

# The HTML pages too (class-based views, forms with CSRF, messages, the login redirect)
EVERY_ROUTE = (
    MIGRATED
    + """
[[routes]]
path = "/"
methods = ["GET", "HEAD"]
mode = "new"

[[routes]]
path = "/drafts/"
methods = ["GET", "POST"]
mode = "new"

[[routes]]
path = "/posts/new/"
methods = ["GET", "POST"]
mode = "new"

[[routes]]
path = "/posts/{slug}/"
methods = ["GET"]
mode = "new"

[[routes]]
path = "/posts/{slug}/comment/"
methods = ["GET", "POST"]
mode = "new"

[[routes]]
path = "/tags/{slug}/"
methods = ["GET"]
mode = "new"
"""
)

TRAPS = (
    LEGACY
    + """
[migrated]
app = "migrated.django_blog:create_app"

[[routes]]
path = "/api/tags/"
mode = "new"

[[routes]]
path = "/api/posts/"
methods = ["POST"]
mode = "new"

[[routes]]
path = "/api/me/"
mode = "retired"
"""
)


def assert_suite_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert re.search(r"\d+ passed", output)
    assert not re.search(r"\d+ (failed|error|skipped)", output), output[-2000:]


@pytest.fixture(scope="module")
def blog_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = blog_environment(
        sqlite_path=tmp_path_factory.mktemp("front_blog") / "blog.sqlite3",
        settings_module=blog_settings.__name__,
    )
    prepare_database(env)
    return env


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "strangler.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def migrated_front(
    blog_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    config = config_file(tmp_path_factory.mktemp("blog_traps"), TRAPS)
    with running_front(config, env=blog_env) as url:
        yield url


@pytest.fixture(scope="module")
def blog_alone(blog_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    with running_server(
        gunicorn_argv(port, workers=1), port, env=blog_env, ready_path="/api/tags/"
    ) as url:
        yield url


def test_the_suite_passes_through_the_front_with_every_route_legacy(
    blog_env: dict[str, str], tmp_path: Path
) -> None:
    with running_front(config_file(tmp_path, LEGACY), env=blog_env) as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))


def test_the_suite_passes_with_the_migrated_routes_in_new_mode(
    blog_env: dict[str, str], tmp_path: Path
) -> None:
    with running_front(config_file(tmp_path, MIGRATED), env=blog_env) as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))
        metrics = httpx.get(f"{url}/metrics").text
    assert re.search(r'route="/api/tags/",side="new",status="200"\} [1-9]', metrics)
    for method, route, status in [
        ("GET", "/api/posts/{pk:int}/", "200"),
        ("PATCH", "/api/posts/{pk:int}/", "200"),
        ("DELETE", "/api/posts/{pk:int}/", "204"),
        ("POST", "/api/posts/{pk:int}/comments/", "201"),
    ]:
        line = f'method="{method}",route="{route}",side="new",status="{status}"}} '
        assert line in metrics, (method, route, status)
    assert re.search(r'route="/api/me/",side="new",status="200"\} [1-9]', metrics)
    assert re.search(r'route="/api/posts/",side="new",status="201"\} [1-9]', metrics)
    assert re.search(r'route="/api/posts/",side="new",status="400"\} [1-9]', metrics)


def test_the_suite_passes_with_every_page_and_json_route_in_new_mode(
    blog_env: dict[str, str], tmp_path: Path
) -> None:
    with running_front(config_file(tmp_path, EVERY_ROUTE), env=blog_env) as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))
        metrics = httpx.get(f"{url}/metrics").text
    for method, route, status in [
        ("GET", "/", "200"),
        ("GET", "/posts/{slug}/", "200"),
        ("POST", "/posts/{slug}/comment/", "302"),  # saved, with its message
        ("POST", "/posts/{slug}/comment/", "200"),  # the form again, with its errors
        ("GET", "/posts/new/", "302"),  # LoginRequiredMixin's redirect
        ("POST", "/posts/new/", "302"),
        ("GET", "/drafts/", "200"),
    ]:
        line = f'method="{method}",route="{route}",side="new",status="{status}"}} '
        assert line in metrics, (method, route, status)


def test_the_migrated_tag_list_answers_like_django(migrated_front: str, blog_alone: str) -> None:
    new = httpx.get(migrated_front + "/api/tags/")
    legacy = httpx.get(blog_alone + "/api/tags/")

    assert (new.status_code, new.json()) == (legacy.status_code, legacy.json())
    assert comparable_headers(new) == comparable_headers(legacy)


def comparable_headers(response: httpx.Response) -> dict[str, str]:
    skip = {"date", "server", "connection", "x-request-id", "content-length"}
    return {name: value for name, value in response.headers.items() if name not in skip}


@contextmanager
def client_of(base_url: str, *, logged_in: bool = True) -> Iterator[httpx.Client]:
    """A client of `base_url`, with alice's session unless `logged_in` is False."""
    with httpx.Client(base_url=base_url) as client:
        if logged_in:
            login(client, ALICE.username, ALICE.password)
        yield client


@pytest.mark.parametrize(
    ("payload", "logged_in_as_alice"),
    [
        ({"title": "t"}, False),
        ({}, True),
        ({"title": "ab", "body": " ", "status": "archived", "slug": "a b"}, True),
        ({"title": "Copy", "body": "x", "slug": "getting-started-with-django"}, True),
        ({"title": "New", "body": "x", "slug": "NEW"}, True),
        ({"title": "Tagged", "body": "x", "tags": ["web", "cobol", "ada"]}, True),
        ({"title": "Short", "body": "too short", "status": "published"}, True),
        ([1, 2], True),
    ],
)
def test_a_refused_post_create_answers_like_django(
    migrated_front: str, blog_alone: str, payload: object, logged_in_as_alice: bool
) -> None:
    answers = []
    for base_url in (migrated_front, blog_alone):
        with client_of(base_url, logged_in=logged_in_as_alice) as client:
            answers.append(client.post("/api/posts/", json=payload))
    new, legacy = answers

    assert (new.status_code, new.json()) == (legacy.status_code, legacy.json())
    assert comparable_headers(new) == comparable_headers(legacy)


def test_a_created_post_answers_like_django(migrated_front: str, blog_alone: str) -> None:
    answers = []
    for base_url in (migrated_front, blog_alone):
        title = unique("Same Shape")
        with client_of(base_url) as client:
            payload = {"title": title, "body": "b" * 30, "tags": ["web", "databases"]}
            answers.append(client.post("/api/posts/", json={**payload, "status": "published"}))
    new, legacy = (answer.json() for answer in answers)
    varying = {"id", "title", "slug", "url", "created", "updated"}

    assert answers[0].status_code == answers[1].status_code == 201
    assert list(new) == list(legacy)
    assert {k: new[k] for k in new.keys() - varying} == {
        k: legacy[k] for k in legacy.keys() - varying
    }
    assert new["url"] == f"/posts/{new['slug']}/"
    assert answers[0].headers["location"] == f"/api/posts/{new['id']}/"
    assert comparable_headers(answers[0]).keys() == comparable_headers(answers[1]).keys()


def test_a_post_created_by_the_migrated_side_reads_back_from_django(
    migrated_front: str, blog_alone: str
) -> None:
    with client_of(migrated_front) as client:
        created = client.post("/api/posts/", json={"title": unique("Round Trip"), "body": "x"})

    with client_of(blog_alone) as client:
        read_back = client.get(f"/api/posts/{created.json()['id']}/")

    assert read_back.json() == created.json()


@pytest.mark.parametrize(
    "path",
    [
        "/api%2Ftags/",
        "//api/tags/",
        "/x/../api/tags/",
        "/api/%2e%2e/api/tags/",
        "/api/tags;x/",
        "/api/./tags/",
        "/api//tags/",
        # POST /api/posts/ is migrated: its odd spellings are refused for every method
        "/api%2Fposts/",
        "//api/posts/",
        "/api/posts/;x",
        "/api/posts/../posts/",
    ],
)
def test_non_canonical_spellings_of_a_migrated_route_get_400(
    migrated_front: str, path: str
) -> None:
    response = raw_request(migrated_front, path)

    assert response.status == 400
    assert json.loads(response.body)["error"] == "ambiguous_path"


@pytest.mark.parametrize(
    "path",
    [
        "/api/me/",
        "/api/me",
        "/API/ME/",
        "/api%2Fme/",
        "//api/me/",
        "/api/x/../me/",
        "/api/me;x/",
        "/api/%6De/",
    ],
)
def test_a_retired_route_is_unreachable_by_any_spelling(migrated_front: str, path: str) -> None:
    response = raw_request(migrated_front, path)

    assert response.status in (400, 404)
    assert json.loads(response.body)["error"] in ("ambiguous_path", "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/posts",
        "/API/posts/",
        "/api/posts/1",
        "/api%2Fposts/1/",
        "//api/posts/1/",
        "/api/posts/1/;x",
        "/api/posts/../posts/1/",
        "/tags/python",
        "/api/posts/%31/",
    ],
)
def test_other_odd_paths_get_exactly_what_django_alone_says(
    migrated_front: str, blog_alone: str, path: str
) -> None:
    through_front = raw_request(migrated_front, path)
    alone = raw_request(blog_alone, path)

    assert through_front.status == alone.status
    assert through_front.headers.get("location") == alone.headers.get("location")


def test_nul_bytes_and_over_long_paths_are_refused(migrated_front: str) -> None:
    assert raw_request(migrated_front, "/api/posts/%00/").status == 400
    assert raw_request(migrated_front, "/" + "p" * 5000).status == 414
