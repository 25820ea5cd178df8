"""The generated SQLAlchemy models of django_blog read and write the database Django migrated,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from codemods.django.app_facts import read_apps
from codemods.django.rules.models import DjangoModelsRule
from tests.codemods.django.support import BLOG, convert, load, run_django
from tests.support import services


@pytest.fixture(scope="module")
def generated() -> ModuleType:
    code, _ = convert(
        (BLOG / "blog" / "models.py").read_text(), [DjangoModelsRule], analysis=read_apps(BLOG)
    )
    return load(code, "generated_blog_models")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path | str, str]]:
    """The database Django migrated (for `run_django`) and its SQLAlchemy URL."""
    if request.param == "sqlite":
        path = tmp_path / "blog.sqlite3"
        migrate(path)
        yield path, f"sqlite:///{path}"
        return
    services.require_postgres()
    with services.fresh_postgres_database("django_tables") as url:
        migrate(url)
        yield url, url.replace("postgresql://", "postgresql+psycopg://", 1)


def migrate(path: Path | str) -> None:
    run_django(path, "from django.core.management import call_command\n"
               "call_command('migrate', verbosity=0)\n")  # fmt: skip


def test_a_post_django_wrote_is_read_by_the_generated_models(
    generated: ModuleType, database: tuple[Path | str, str]
) -> None:
    run_django(
        database[0],
        """
        from django.contrib.auth.models import User
        from legacy_examples.django_blog.blog.models import Comment, Post, Tag
        user = User.objects.create_user("ada", password="pw-123456")
        post = Post.objects.create(title="Hello", slug="hello", body="b" * 30, author=user,
                                   status=Post.Status.PUBLISHED)
        post.tags.add(Tag.objects.create(name="Python", slug="python"))
        Comment.objects.create(post=post, author_name="Bob", body="Nice", approved=True)
    """,
    )
    with Session(create_engine(database[1])) as session:
        post = session.scalars(select(generated.Post)).one()
        assert (post.title, post.slug, post.status) == ("Hello", "hello", "published")
        assert [tag.slug for tag in post.tags] == ["python"]
        assert [c.author_name for c in post.comments] == ["Bob"]
        assert post.created is not None
        schema = generated.PostSchema.model_validate(post)
        assert schema.status == "published" and schema.author_id == post.author_id


def test_a_post_the_generated_models_wrote_is_read_by_django(
    generated: ModuleType, database: tuple[Path | str, str]
) -> None:
    user_id = int(
        run_django(
            database[0],
            """
        from django.contrib.auth.models import User
        print(User.objects.create_user("ada", password="pw-123456").pk)
    """,
        )
    )
    with Session(create_engine(database[1])) as session:
        tag = generated.Tag(name="Rust", slug="rust")
        post = generated.Post(
            title="From SQLAlchemy", slug="from-sa", body="x" * 25, author_id=user_id, tags=[tag]
        )
        post.comments.append(generated.Comment(author_name="Eve", body="Hi", email=""))
        session.add(post)
        session.commit()
    found = json.loads(
        run_django(
            database[0],
            """
        import json
        from legacy_examples.django_blog.blog.models import Post
        post = Post.objects.get(slug="from-sa")
        print(json.dumps({
            "title": post.title, "status": post.status, "author": post.author.username,
            "tags": [t.slug for t in post.tags.all()],
            "comments": [c.author_name for c in post.comments.all()],
            "approved": [c.approved for c in post.comments.all()],
            "aware": post.created.tzinfo is not None,
        }))
    """,
        )
    )
    assert found == {
        "title": "From SQLAlchemy", "status": "draft", "author": "ada", "tags": ["rust"],
        "comments": ["Eve"], "approved": [False], "aware": True,
    }  # fmt: skip
