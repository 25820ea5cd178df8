"""`order_by()` through to-one relations (querysets.py): `order_by("topic__category__title")`
joins the relations (LEFT OUTER JOIN: a null key's row stays, its value NULL, as Django's
outer join of a nullable key keeps it) and orders by the related model's column. On one SQLite
database Django writes a forum, then each queryset runs on Django's ORM and as the statement
the codemod writes on the generated models: the same rows in the same order."""

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
from codemods.django.querysets import Unconvertible, translate
from tests.codemods.django.orm_rows import SETTINGS, bind_imports, converted_models, django_results

MODELS = """
    from django.conf import settings
    from django.db import models


    class Category(models.Model):
        parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)
        title = models.CharField(max_length=75)


    class Tag(models.Model):
        title = models.CharField(max_length=75)


    class Topic(models.Model):
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
        tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL)
        title = models.CharField(max_length=75)


    class Comment(models.Model):
        topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
        text = models.CharField(max_length=75)
"""
# categories and tags written out of their titles' order; two topics without a tag
ROWS = """
    from django.contrib.auth.models import User
    from forum.models import Category, Comment, Tag, Topic
    bob = User.objects.create_user("bob", password="pw-123456")
    zoo = Category.objects.create(title="zoo")
    ant = Category.objects.create(title="ant")
    mid = Category.objects.create(title="mid", parent=zoo)
    red, blue = Tag.objects.create(title="red"), Tag.objects.create(title="blue")
    for n, (category, tag) in enumerate(
        [(mid, red), (zoo, None), (ant, blue), (zoo, red), (ant, None), (mid, blue)]
    ):
        topic = Topic.objects.create(user=bob, category=category, tag=tag, title=f"t{5 - n}")
        Comment.objects.create(topic=topic, text=f"c{n}")
"""
QUERYSETS = [
    "Topic.objects.order_by('category__title', 'title')",
    "Topic.objects.order_by('-category__title', '-id')",
    "Topic.objects.order_by('tag__title', 'id')",
    "Topic.objects.order_by('-tag__title', 'id')",
    "Topic.objects.filter(tag__isnull=False).order_by('tag__title', 'category__title', 'id')",
    "Topic.objects.select_related('category').order_by('category__title', 'id')",
    "Comment.objects.order_by('topic__category__title', '-topic__title')",
    "Comment.objects.order_by('topic__tag__pk', 'id')",
]
MODEL_NAMES = frozenset({"Category", "Tag", "Topic", "Comment"})


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("related_order"), files) as forum:
        yield forum


def django_rows(project: Path, database: Path) -> dict[str, list[int]]:
    """The primary keys each queryset returns on Django's ORM, in its order."""
    found: dict[str, list[int]] = django_results(
        project, database, [dedent(ROWS)], QUERYSETS, "[r.pk for r in eval(q)]"
    )
    return found


def test_ordering_through_to_one_relations_gives_djangos_rows_in_djangos_order(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    expected = django_rows(project, database)
    relations = read_relations([dedent(MODELS)])
    with Session(create_engine(f"sqlite:///{database}")) as session:
        names: dict[str, Any] = {"session": session, "tables": generated}
        got = {}
        for queryset in QUERYSETS:
            translation = translate(cst.parse_expression(queryset), MODEL_NAMES, relations)
            bind_imports(names, translation.imports)
            got[queryset] = [row.id for row in eval(translation.code, names)]
    assert got == expected
    assert all(len(rows) > 1 for rows in expected.values())


def test_ordering_through_a_relation_joins_it_once() -> None:
    code = translate(
        cst.parse_expression("Comment.objects.order_by('topic__title', '-topic__id')"),
        MODEL_NAMES,
        read_relations([dedent(MODELS)]),
    ).code
    assert code == (
        "session.scalars(select(tables.Comment).outerjoin(tables.Comment.topic)"
        ".order_by(tables.Topic.title, tables.Topic.id.desc())).all()"
    )


@pytest.mark.parametrize(
    ("queryset", "reason"),
    [
        ("Category.objects.order_by('parent__title')", "joins Category a second time"),
        ("Category.objects.order_by('topics__title')", "of its to-one relations"),
        ("Comment.objects.order_by('topic__category')", "ordered by its model's ordering"),
        ("Topic.objects.order_by('?')", "only fields of the model"),
    ],
)
def test_an_ordering_that_cannot_be_kept_exactly_stays_on_the_orm(
    queryset: str, reason: str
) -> None:
    with pytest.raises(Unconvertible, match=reason):
        translate(cst.parse_expression(queryset), MODEL_NAMES, read_relations([dedent(MODELS)]))
