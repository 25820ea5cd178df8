"""migrated/django_blog derives slugs and database URLs as the legacy project does."""

from __future__ import annotations

import pytest
from django.utils.text import slugify as django_slugify

from migrated.django_blog.settings import database_url
from migrated.django_blog.text import slugify


@pytest.mark.parametrize(
    "title",
    [
        "Fresh Post",
        "  Spaces  and\ttabs ",
        "Crème brûlée, déjà vu!",
        "under_score -- dash__",
        "-_leading and trailing_-",
        "日本語 title",
        "Ünïcödé ½ ﬁ ligature",
        "C++ & C#: 100%",
    ],
)
def test_slugify_matches_django(title: str) -> None:
    assert slugify(title) == django_slugify(title)


def test_a_postgres_database_url_names_the_psycopg_driver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/blog")

    assert database_url() == "postgresql+psycopg://u:p@db:5432/blog"


def test_without_database_url_the_sqlite_file_of_the_legacy_settings_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("DJANGO_BLOG_DB", "/data/blog.sqlite3")

    assert database_url() == "sqlite:////data/blog.sqlite3"
