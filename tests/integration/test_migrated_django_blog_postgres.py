"""migrated/django_blog on PostgreSQL (DATABASE_URL, as the legacy settings read it), on a
database Django migrated and seeded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from fastapi.testclient import TestClient

from legacy_examples.django_blog.blog import demo_data
from legacy_examples.django_blog.testing_server import blog_environment, prepare_database
from migrated.django_blog import database
from migrated.django_blog.app import app
from migrated.django_blog.django_auth import MODEL_BACKEND, session_auth_hash

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def client(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    prepare_database(blog_environment(database_url=postgres_url))
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.setenv("DJANGO_SECRET_KEY", settings.SECRET_KEY)
    database.reader.cache_clear()
    database.writer.cache_clear()
    with TestClient(app) as test_client:
        yield test_client
    for sessions in (database.reader(), database.writer()):
        sessions.kw["bind"].dispose()
    database.reader.cache_clear()
    database.writer.cache_clear()


def alices_session(postgres_url: str) -> str:
    """A django_session row for alice, as django.contrib.auth's login() writes it."""
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        user_id, password = connection.execute(
            "SELECT id, password FROM auth_user WHERE username = 'alice'"
        ).fetchone()  # type: ignore[misc]
        data = SessionStore().encode(
            {
                "_auth_user_id": str(user_id),
                "_auth_user_backend": MODEL_BACKEND,
                "_auth_user_hash": session_auth_hash(password, settings.SECRET_KEY),
            }
        )
        connection.execute(
            "INSERT INTO django_session VALUES (%s, %s, %s)",
            ("k" * 32, data, datetime.now(UTC) + timedelta(days=1)),
        )
    return "k" * 32


def test_the_tag_list_counts_published_posts(client: TestClient) -> None:
    response = client.get("/api/tags/")

    counts = {tag["slug"]: tag["post_count"] for tag in response.json()["results"]}
    assert counts == {slug: len(demo_data.published_posts(tag=slug)) for slug in counts}
    assert sorted(counts) == sorted(demo_data.TAGS)


def test_a_logged_in_user_creates_a_post(client: TestClient, postgres_url: str) -> None:
    client.cookies.set("sessionid", alices_session(postgres_url))

    response = client.post(
        "/api/posts/", json={"title": "On Postgres", "body": "x", "tags": ["web", "django"]}
    )

    assert response.status_code == 201
    post = response.json()
    assert (post["author"], post["slug"], post["tags"]) == (
        "alice",
        "on-postgres",
        ["django", "web"],
    )
    assert datetime.fromisoformat(post["created"]).utcoffset() == timedelta(0)
    assert response.headers["location"] == f"/api/posts/{post['id']}/"
