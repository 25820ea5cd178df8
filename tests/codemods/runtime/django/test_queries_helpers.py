"""The runtime helpers the converted queries call: what Django's querysets do beyond `select()`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.http import Http404
from sqlalchemy import Column, ForeignKey, Integer, String, Table, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from codemods.runtime.django.database import UnsupportedDatabase, url_for_settings
from codemods.runtime.django.queries import (
    create,
    get_one,
    get_or_404,
    is_null,
    ordered,
    pk_of,
    related,
    reversed_order,
    update_rows,
)


class Base(DeclarativeBase):
    pass


post_tags = Table(
    "post_tags",
    Base.metadata,
    Column("post_id", ForeignKey("post.id")),
    Column("tag_id", ForeignKey("tag.id")),
)


class Tag(Base):
    __tablename__ = "tag"
    __ordering__ = ["name"]
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Post(Base):
    __tablename__ = "post"
    __ordering__ = ["-id"]
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))
    edits: Mapped[int] = mapped_column(Integer, default=0, onupdate=lambda: 99)
    subtitle: Mapped[str | None] = mapped_column(String(20), nullable=True)
    tags: Mapped[list[Tag]] = relationship(secondary=post_tags)


class Comment(Base):
    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"))
    post: Mapped[Post] = relationship()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = create_engine(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        news, misc = Tag(name="news"), Tag(name="misc")
        first = Post(title="first", tags=[news])
        second = Post(title="second", subtitle="s", tags=[misc])
        session.add_all([first, second, Comment(post=first)])
        session.commit()
        yield session


def titles(session: Session, statement: object) -> list[str]:
    return [post.title for post in session.scalars(statement)]  # type: ignore[call-overload]


def test_ordered_applies_the_models_meta_ordering(session: Session) -> None:
    assert titles(session, ordered(select(Post))) == ["second", "first"]


def test_first_orders_by_primary_key_when_the_model_has_no_ordering(session: Session) -> None:
    statement = ordered(select(Comment), by_pk=True)

    assert "ORDER BY comment.id" in str(statement)


def test_reversed_order_reverses_the_models_meta_ordering(session: Session) -> None:
    assert titles(session, reversed_order(ordered(select(Post)))) == ["first", "second"]


def test_reversed_order_of_the_primary_key_order_is_descending(session: Session) -> None:
    statement = reversed_order(ordered(select(Comment), by_pk=True))

    assert "ORDER BY comment.id DESC" in str(statement)


def test_reversed_order_makes_a_plain_column_descending(session: Session) -> None:
    assert titles(session, reversed_order(select(Post).order_by(Post.title))) == [
        "second",
        "first",
    ]


def test_related_looks_through_a_collection_and_a_single_object(session: Session) -> None:
    assert titles(session, select(Post).where(related(Post.tags, name="misc"))) == ["second"]
    found = session.scalars(select(Comment).where(related(Comment.post, title="first"))).all()
    assert len(found) == 1


def test_is_null_follows_the_flag(session: Session) -> None:
    assert titles(session, select(Post).where(is_null(Post.subtitle, True))) == ["first"]
    assert titles(session, select(Post).where(is_null(Post.subtitle, False))) == ["second"]


def test_get_or_404_raises_djangos_404_with_its_message(session: Session) -> None:
    with pytest.raises(Http404, match=r"^No Post matches the given query\.$"):
        get_or_404(session, select(Post).where(Post.id == 99))


def test_get_one_raises_the_legacy_models_own_errors_with_djangos_messages(
    session: Session,
) -> None:
    from legacy_examples.django_blog.blog.models import Post as LegacyPost

    assert get_one(session, select(Post).where(Post.title == "first"), LegacyPost).title == "first"
    with pytest.raises(LegacyPost.DoesNotExist, match=r"^Post matching query does not exist\.$"):
        get_one(session, select(Post).where(Post.id == 99), LegacyPost)
    with pytest.raises(
        LegacyPost.MultipleObjectsReturned,
        match=r"^get\(\) returned more than one Post -- it returned 2!$",
    ):
        get_one(session, select(Post), LegacyPost)


def test_get_or_404_returns_the_one_row(session: Session) -> None:
    assert get_or_404(session, select(Post).where(Post.title == "first")).title == "first"


def test_create_commits_the_row_at_once(session: Session) -> None:
    post = create(session, Post, title="third")

    with Session(session.get_bind()) as other:
        assert other.scalar(select(Post.title).where(Post.id == post.id)) == "third"


def test_pk_of_takes_the_key_of_an_instance_or_a_key(session: Session) -> None:
    post = session.scalars(select(Post).where(Post.title == "first")).one()

    assert pk_of(post) == post.id
    assert pk_of(7) == 7


def test_djangos_sqlite_database_is_the_sessions() -> None:
    engine = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/blog.sqlite3"}

    assert url_for_settings(engine) == "sqlite:////data/blog.sqlite3"


def test_djangos_postgresql_database_uses_psycopg() -> None:
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "blog",
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
    }

    assert url_for_settings(database) == "postgresql+psycopg://postgres@127.0.0.1:5432/blog"


def test_an_engine_without_driver_is_refused_by_name() -> None:
    with pytest.raises(UnsupportedDatabase, match=r"django\.db\.backends\.oracle"):
        url_for_settings({"ENGINE": "django.db.backends.oracle"})


def test_update_rows_changes_the_selected_rows_and_counts_them(session: Session) -> None:
    changed = update_rows(session, select(Post).where(Post.title == "first"), title="renamed")

    assert changed == 1
    assert titles(session, ordered(select(Post))) == ["second", "renamed"]


def test_update_rows_leaves_auto_now_columns_as_djangos_update_does(session: Session) -> None:
    update_rows(session, select(Post), title="same")

    assert set(session.scalars(select(Post.edits))) == {0}


def test_djangos_shared_in_memory_test_database_is_opened_as_the_same_uri() -> None:
    engine = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "file:memorydb_default?mode=memory&cache=shared",
    }

    assert url_for_settings(engine) == (
        "sqlite:///file:memorydb_default?mode=memory&cache=shared&uri=true"
    )
