"""migrated/django_blog (the codemod's output) and the legacy blog on one database: a row one side
writes is read back identically by the other, both ways, on SQLite and on PostgreSQL. Each side
is a real server: gunicorn for Django, uvicorn for the generated `create_app()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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
from tests.support.servers import free_port, running_server, venv_command

pytestmark = pytest.mark.slow
MIGRATED_FACTORY = "migrated.django_blog:create_app"


@contextmanager
def both_sides(env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """(legacy base URL, migrated base URL), both on the database `env` names."""
    prepare_database(env)
    legacy_port, migrated_port = free_port(), free_port()
    uvicorn = [
        venv_command("uvicorn"), "--factory", MIGRATED_FACTORY,
        "--host", "127.0.0.1", "--port", str(migrated_port), "--log-level", "warning",
    ]  # fmt: skip
    with ExitStack() as stack:
        legacy = stack.enter_context(
            running_server(
                gunicorn_argv(legacy_port, workers=1),
                legacy_port,
                env=env,
                ready_path="/api/tags/",
            )
        )
        migrated = stack.enter_context(
            running_server(uvicorn, migrated_port, env=env, ready_path="/api/tags/")
        )
        yield legacy, migrated


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sides(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        env = blog_environment(
            sqlite_path=tmp_path / "blog.sqlite3", settings_module=blog_settings.__name__
        )
    else:
        env = blog_environment(
            database_url=request.getfixturevalue("postgres_url"),
            settings_module=blog_settings.__name__,
        )
    with both_sides(env) as urls:
        yield urls


def alices_cookies(legacy: str) -> httpx.Cookies:
    """Alice's session, from Django's login page (the migrated app does not serve it)."""
    with httpx.Client(base_url=legacy) as client:
        login(client, ALICE.username, ALICE.password)
        return client.cookies


def write_and_read_back(
    writer: str, reader: str, cookies: httpx.Cookies
) -> tuple[httpx.Response, httpx.Response]:
    """A post (with tags) and a comment created on `writer`, then read on `reader`."""
    with httpx.Client(base_url=writer, cookies=cookies) as client:
        payload = {"title": unique("Both Ways"), "body": "b" * 40, "tags": ["web", "databases"]}
        created = client.post("/api/posts/", json={**payload, "status": "published"})
        assert created.status_code == 201, created.text
        comment = client.post(
            f"/api/posts/{created.json()['id']}/comments/",
            json={"author_name": "Reader", "body": "Nice one"},
        )
        assert comment.status_code == 201, comment.text
    with httpx.Client(base_url=reader, cookies=cookies) as client:
        read = client.get(f"/api/posts/{created.json()['id']}/")
    return created, read


def test_a_post_written_by_django_reads_back_identically_on_the_migrated_side(
    sides: tuple[str, str],
) -> None:
    legacy, migrated = sides
    created, read = write_and_read_back(legacy, migrated, alices_cookies(legacy))
    assert read.status_code == 200
    assert read.json() == created.json()


def test_a_post_written_by_the_migrated_side_reads_back_identically_on_django(
    sides: tuple[str, str],
) -> None:
    legacy, migrated = sides
    created, read = write_and_read_back(migrated, legacy, alices_cookies(legacy))
    assert read.status_code == 200
    assert read.json() == created.json()
