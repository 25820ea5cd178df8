"""Round trip of querysets combined with `|` (querysets.combined_rows): on one SQLite database
Django writes topics, then each combination runs twice, on Django's ORM and as the SQLAlchemy
statement the codemod writes on the generated models; both give the same rows in the same
order (the model's Meta.ordering)."""

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
from codemods.django.querysets import Scope, Unconvertible, combined_rows
from tests.codemods.django.orm_rows import SETTINGS, bind_imports, converted_models, django_results

MODELS = """
    from django.db import models


    class Category(models.Model):
        title = models.CharField(max_length=75)


    class Topic(models.Model):
        category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="topics")
        title = models.CharField(max_length=75)
        views = models.IntegerField(default=0)
        is_pinned = models.BooleanField(default=False)
        is_globally_pinned = models.BooleanField(default=False)

        class Meta:
            ordering = ["-views", "-pk"]
"""
# pinned, globally pinned, both and neither, viewed in an order of their own
ROWS = """
    from forum.models import Category, Topic
    news = Category.objects.create(title="news")
    for n, (pinned, globally) in enumerate([(1, 0), (0, 1), (1, 1), (0, 0), (1, 0), (0, 0)]):
        Topic.objects.create(
            category=news, title=f"t{n}", views=(n * 7) % 5, is_pinned=bool(pinned),
            is_globally_pinned=bool(globally),
        )
"""
QUERYSETS = [
    "Topic.objects.filter(is_pinned=True) | Topic.objects.filter(is_globally_pinned=True)",
    "Topic.objects.filter(is_pinned=True, views__gt=1) | Topic.objects.exclude(is_pinned=True)",
    "Topic.objects.all() | Topic.objects.filter(is_pinned=True)",
]


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("combined"), files) as forum:
        yield forum


def _combined(queryset: str) -> cst.BinaryOperation:
    return cst.ensure_type(cst.parse_expression(queryset), cst.BinaryOperation)


MODEL_NAMES = frozenset({"Category", "Topic"})


def test_querysets_combined_with_or_give_djangos_rows_in_its_order(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    expected = django_results(
        project, database, [dedent(ROWS)], QUERYSETS, "[r.pk for r in eval(q)]"
    )
    relations = read_relations([dedent(MODELS)])
    with Session(create_engine(f"sqlite:///{database}")) as session:
        names: dict[str, Any] = {"session": session, "tables": generated}
        got = {}
        for queryset in QUERYSETS:
            translation = combined_rows(_combined(queryset), MODEL_NAMES, relations, Scope())
            bind_imports(names, translation.imports)
            got[queryset] = [row.id for row in eval(translation.code, names)]
    assert got == expected
    assert all(len(rows) > 1 for rows in expected.values())


@pytest.mark.parametrize(
    "queryset",
    [
        "Topic.objects.filter(is_pinned=True) & Topic.objects.filter(views=1)",
        "Topic.objects.filter(is_pinned=True) | Category.objects.all()",
        "Topic.objects.filter(is_pinned=True).order_by('title') | Topic.objects.all()",
        "Topic.objects.filter(category__title='news') | Topic.objects.all()",
    ],
)
def test_other_combinations_stay_on_the_orm(queryset: str) -> None:
    relations = read_relations([dedent(MODELS)])

    with pytest.raises(Unconvertible):
        combined_rows(_combined(queryset), MODEL_NAMES, relations, Scope())
