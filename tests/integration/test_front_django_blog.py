"""django_blog through `strangler serve`: its own suite passes unchanged, all-legacy and with a
migrated route in `new` mode, and the path traps are closed against Django's URL resolver."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from legacy_examples.django_blog.testing_server import (
    blog_environment,
    gunicorn_argv,
    prepare_database,
)
from tests.support.servers import free_port, run_pytest, running_front, running_server
from tests.unit.proxy.raw_http import raw_request

SUITE = "legacy_examples/django_blog/tests"
pytestmark = pytest.mark.slow

LEGACY = """
[legacy]
app = "legacy_examples.django_blog.config.wsgi:application"
"""

MIGRATED = (
    LEGACY
    + """
[migrated]
app = "tests.unit.proxy.django_blog_migrated:app"

[[routes]]
path = "/api/tags/"
mode = "new"
"""
)

TRAPS = (
    MIGRATED
    + """
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
    env = blog_environment(sqlite_path=tmp_path_factory.mktemp("front_blog") / "blog.sqlite3")
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


def test_the_suite_passes_with_a_migrated_route_in_new_mode(
    blog_env: dict[str, str], tmp_path: Path
) -> None:
    with running_front(config_file(tmp_path, MIGRATED), env=blog_env) as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))
        metrics = httpx.get(f"{url}/metrics").text
    assert re.search(r'route="/api/tags/",side="new",status="200"\} [1-9]', metrics)


def test_the_migrated_route_answers_like_django(migrated_front: str, blog_alone: str) -> None:
    new = httpx.get(migrated_front + "/api/tags/")
    legacy = httpx.get(blog_alone + "/api/tags/")

    assert (new.status_code, new.json()) == (legacy.status_code, legacy.json())


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
        "/api%2Fposts/",
        "//api/posts/",
        "/api/posts/;x",
        "/api/posts/../posts/",
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
