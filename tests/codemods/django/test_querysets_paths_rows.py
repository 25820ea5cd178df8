"""Round trip of the lookups through several relations (querysets.py): on one SQLite database
Django writes a forum (categories under categories, topics, comments, private topics), then
each queryset runs twice, on Django's ORM and as the SQLAlchemy statement the codemod writes on
the generated models; both return the same rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from types import ModuleType
from typing import Any

import libcst as cst
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from codemods.django.model_relations import read_relations
from codemods.django.querysets import translate
from tests.codemods.django.orm_rows import SETTINGS, bind_imports, converted_models, django_results

MODELS = """
    from django.conf import settings
    from django.db import models


    class Category(models.Model):
        parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)
        title = models.CharField(max_length=75)
        is_removed = models.BooleanField(default=False)


    class Topic(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
        title = models.CharField(max_length=75)


    class Comment(models.Model):
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
        text = models.CharField(max_length=75)


    class TopicPrivate(models.Model):
        topic = models.ForeignKey(
            Topic, on_delete=models.CASCADE, related_name="topics_private"
        )
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
"""
# root categories (one removed), subcategories under each, a topic per category, a comment per
# topic, ada invited to one topic
ROWS = """
    from django.contrib.auth.models import User
    from forum.models import Category, Comment, Topic, TopicPrivate
    ada = User.objects.create_user("ada", password="pw-123456")
    bob = User.objects.create_user("bob", password="pw-123456")
    live = Category.objects.create(title="live")
    gone = Category.objects.create(title="gone", is_removed=True)
    under_live = Category.objects.create(title="under live", parent=live)
    under_gone = Category.objects.create(title="under gone", parent=gone)
    deep = Category.objects.create(title="deep", parent=under_gone)
    for n, category in enumerate([live, gone, under_live, under_gone, deep]):
        topic = Topic.objects.create(user=bob, category=category, title=f"t{n}")
        Comment.objects.create(topic=topic, text=f"c{n}")
    TopicPrivate.objects.create(topic=Topic.objects.get(title="t2"), user=ada)
    other = Topic.objects.create(user=bob, category=live, title="t9")
    Comment.objects.create(topic=other, text="c9")
"""
# one filter()'s lookups through a to-many relation hold on one related row: `live` has a
# topic t0 and a comment c9, but not on the same topic
SAME_ROW = "Category.objects.filter(topics__title='t0', topics__comments__text='c9')"
QUERYSETS = [
    "Comment.objects.filter(Q(topic__category__parent=None) | "
    "Q(topic__category__parent__is_removed=False), topic__category__is_removed=False)",
    "Comment.objects.filter(topic__category__parent=live)",
    "Comment.objects.exclude(topic__category__parent__is_removed=True)",
    "Topic.objects.filter(category__parent=None)",
    "Topic.objects.filter(category__parent__isnull=False)",
    "Topic.objects.exclude(topics_private__user=ada)",
    "Category.objects.filter(parent__parent__is_removed=True)",
    "Category.objects.filter(topics__comments__text__in=['c1', 'c3'])",
    "Category.objects.filter(topics__title='t9', topics__comments__text='c9')",
    # a foreign key's `__in`: keys as a form's `getlist()` gives them (strings), or instances
    "Topic.objects.filter(category__in=['3', '4'])",
    "Topic.objects.filter(category__in=[live, '5'])",
    SAME_ROW,
]


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("paths"), files) as forum:
        yield forum


def django_rows(project: Path, database: Path) -> dict[str, list[int]]:
    """The primary keys each queryset returns on Django's ORM (after writing ROWS)."""
    setup = ["from django.db.models import Q", dedent(ROWS)]
    found: dict[str, list[int]] = django_results(
        project, database, setup, QUERYSETS, "sorted(r.pk for r in eval(q))"
    )
    return found


def test_each_path_lookup_returns_the_rows_django_returns(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    expected = django_rows(project, database)
    relations = read_relations([dedent(MODELS)])
    models = frozenset({"Category", "Topic", "Comment", "TopicPrivate", "Q"})
    with Session(create_engine(f"sqlite:///{database}")) as session:
        names: dict[str, Any] = {"session": session, "tables": generated}
        names["ada"] = 1  # a key stands for the instance (pk_of)
        names["live"] = 1
        got = {}
        for queryset in QUERYSETS:
            translation = translate(cst.parse_expression(queryset), models, relations)
            bind_imports(names, translation.imports)
            got[queryset] = sorted(row.id for row in eval(translation.code, names))
    assert got == expected
    assert expected[SAME_ROW] == []
    assert all(rows for q, rows in expected.items() if q != SAME_ROW)  # some rows each
