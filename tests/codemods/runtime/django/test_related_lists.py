"""The generated blog models' to-many relationships (`post.tags`, a many-to-many field;
`tag.posts` and `post.comments`, reverse accessors named by `related_name`) read as Django's
related managers read, on the one database both sides use: `.all()` in the related model's
`Meta.ordering`, `.count()`, `.exists()`, in Python and in Django's templates."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from django.template import engines
from sqlalchemy import select
from sqlalchemy.orm import Session

from codemods.django.app_facts import read_apps
from codemods.django.rules.models import DjangoModelsRule
from codemods.runtime.django.database import new_session
from codemods.runtime.django.related import RelatedList
from tests.codemods.django.support import BLOG, convert, load

TEMPLATE = (
    "{% for tag in post.tags.all %}{{ tag.name }},{% endfor %} {{ post.tags.count }} "
    "{{ post.tags.exists }} {% for c in post.comments.all %}{{ c.author_name }},{% endfor %} "
    "{{ post.comments.count }}"
)


@pytest.fixture(scope="module")
def tables() -> ModuleType:
    code, _ = convert(
        (BLOG / "blog" / "models.py").read_text(), [DjangoModelsRule], analysis=read_apps(BLOG)
    )
    return load(code, "generated_blog_related_lists")


@pytest.fixture
def session() -> Iterator[Session]:
    opened = new_session()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def django_post() -> Any:
    """A post Django wrote, its tags and comments written out of their default order."""
    from django.contrib.auth.models import User

    from legacy_examples.django_blog.blog.models import Comment, Post, Tag

    author = User.objects.create_user("ada", password="pw-123456")
    post = Post.objects.create(title="Hello", slug="hello", body="b" * 30, author=author)
    for name in ("Rust", "Ada", "Python"):
        post.tags.add(Tag.objects.create(name=name, slug=name.lower()))
    for name in ("Zoe", "Bob"):
        Comment.objects.create(post=post, author_name=name, body="Nice")
    return post


def row_of(session: Session, tables: ModuleType, django_post: Any) -> Any:
    return session.scalars(select(tables.Post).where(tables.Post.id == django_post.pk)).one()


def test_a_many_to_many_field_reads_its_rows_in_the_related_model_s_ordering(
    tables: ModuleType, session: Session, django_post: Any
) -> None:
    row = row_of(session, tables, django_post)
    assert isinstance(row.tags, RelatedList)
    assert [t.name for t in row.tags.all()] == [t.name for t in django_post.tags.all()]
    assert [t.name for t in row.tags.all()] == ["Ada", "Python", "Rust"]
    assert row.tags.count() == django_post.tags.count() == 3
    assert row.tags.exists() is django_post.tags.exists() is True


def test_a_related_name_reads_the_reverse_rows_as_django_s_manager(
    tables: ModuleType, session: Session, django_post: Any
) -> None:
    from legacy_examples.django_blog.blog.models import Post, Tag

    second = Post.objects.create(
        title="Later", slug="later", body="c" * 30, author=django_post.author
    )
    second.tags.add(Tag.objects.get(slug="ada"))
    tag = session.scalars(select(tables.Tag).where(tables.Tag.slug == "ada")).one()
    theirs = [p.slug for p in Tag.objects.get(slug="ada").posts.all()]
    assert [p.slug for p in tag.posts.all()] == theirs == ["later", "hello"]
    row = row_of(session, tables, django_post)
    assert [c.author_name for c in row.comments.all()] == ["Zoe", "Bob"]
    assert [c.author_name for c in django_post.comments.all()] == ["Zoe", "Bob"]


def test_a_link_added_on_the_rows_is_read_back_by_django(
    tables: ModuleType, session: Session, django_post: Any
) -> None:
    row = row_of(session, tables, django_post)
    row.tags.append(tables.Tag(name="Go", slug="go"))
    session.commit()
    assert [t.slug for t in django_post.tags.all()] == ["ada", "go", "python", "rust"]
    assert row.tags.count() == 4


def test_an_empty_relation_counts_none_and_does_not_exist(
    tables: ModuleType, session: Session, django_post: Any
) -> None:
    tag = tables.Tag(name="Lonely", slug="lonely")
    session.add(tag)
    session.commit()
    assert (tag.posts.count(), tag.posts.exists(), list(tag.posts.all())) == (0, False, [])


def test_a_template_reading_the_relations_renders_the_row_as_the_django_instance(
    tables: ModuleType, session: Session, django_post: Any
) -> None:
    template = engines["django"].from_string(TEMPLATE)
    row = row_of(session, tables, django_post)
    ours = template.render({"post": row})
    assert ours == template.render({"post": django_post})
    assert ours == "Ada,Python,Rust, 3 True Zoe,Bob, 2"


def test_a_many_to_many_without_related_name_reads_and_deletes_through_model_set(
    session: Session, django_post: Any
) -> None:
    from codemods.runtime.django.instances import delete

    source = (BLOG / "blog" / "models.py").read_text()
    source = source.replace('tags = models.ManyToManyField(Tag, blank=True, related_name="posts")',
                            "tags = models.ManyToManyField(Tag, blank=True)")  # fmt: skip
    code, _ = convert(source, [DjangoModelsRule], analysis=read_apps(BLOG))
    unnamed = load(code, "generated_blog_unnamed_many_to_many")
    ada = session.scalars(select(unnamed.Tag).where(unnamed.Tag.slug == "ada")).one()
    assert [p.slug for p in ada.post_set.all()] == ["hello"]
    delete(session, ada)
    assert [t.slug for t in django_post.tags.all()] == ["python", "rust"]
