"""Round trip of custom QuerySet methods that branch (querysets.py): on one SQLite database
Django writes categories under categories, then each queryset runs on Django's ORM and as the
SQLAlchemy statement the codemod writes, for each value of the setting a method branches on;
both return the same rows in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent
from types import ModuleType, SimpleNamespace
from typing import Any

import libcst as cst
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from codemods.django.model_relations import read_relations
from codemods.django.queryset_methods import read_queryset_methods
from codemods.django.querysets import Scope, translate
from tests.codemods.django import orm_rows
from tests.codemods.django.orm_rows import bind_imports, converted_models, django_results

MANAGERS = """
    from django.conf import settings
    from django.db import models


    class CategoryQuerySet(models.QuerySet):
        def visible(self):
            return self.filter(is_removed=False)

        def children(self, parent):
            if parent.is_subcategory:
                return self.none()

            return self.filter(parent=parent)

        def ordered(self):
            if settings.ORDERED_CATEGORIES:
                return self.order_by("sort", "pk")
            return self.order_by("title", "pk")
"""
MODELS = """
    from django.db import models

    from .managers import CategoryQuerySet


    class Category(models.Model):
        parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE)
        title = models.CharField(max_length=75)
        sort = models.IntegerField(default=0)
        is_removed = models.BooleanField(default=False)

        objects = CategoryQuerySet.as_manager()

        @property
        def is_subcategory(self):
            return bool(self.parent_id)
"""
SETTINGS = (
    orm_rows.SETTINGS
    + """
    ORDERED_CATEGORIES = os.environ["ORDERED"] == "1"
"""
)
# titles and sorts in opposite orders, one subcategory removed, a subcategory under another
ROWS = """
    from forum.models import Category
    if not Category.objects.exists():
        root = Category.objects.create(title="root", sort=9)
        for n, title in enumerate(["delta", "alpha", "charlie", "bravo"]):
            Category.objects.create(
                title=title, sort=4 - n, parent=root, is_removed=title == "charlie"
            )
        Category.objects.create(title="leaf", parent=Category.objects.get(title="alpha"))
    root = Category.objects.get(title="root")
    alpha = Category.objects.get(title="alpha")
"""
QUERYSETS = [
    "Category.objects.ordered()",
    "Category.objects.visible().children(parent=root).ordered()",
    "Category.objects.visible().children(parent=alpha).ordered()",
    "Category.objects.children(root).ordered().first()",
]


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(
        tmp_path_factory.mktemp("branches"), {**files, "managers.py": MANAGERS}
    ) as forum:
        yield forum


def django_rows(project: Path, database: Path, ordered: bool) -> dict[str, list[str]]:
    """The titles each queryset returns on Django's ORM, in order (after writing ROWS)."""
    setup = [
        dedent(ROWS),
        "def titles(found):",
        "    return [found.title] if hasattr(found, 'title') else [r.title for r in found]",
    ]
    found: dict[str, list[str]] = django_results(
        project, database, setup, QUERYSETS, "titles(eval(q))",
        env={"ORDERED": "1" if ordered else "0"},
    )  # fmt: skip
    return found


@pytest.mark.parametrize("ordered", [True, False], ids=["by-sort", "by-title"])
def test_each_branch_returns_the_rows_django_returns_in_its_order(
    forum: tuple[Path, ModuleType], tmp_path: Path, ordered: bool
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    expected = django_rows(project, database, ordered)
    relations = read_relations([dedent(MODELS)])
    methods = read_queryset_methods([dedent(MODELS), dedent(MANAGERS)])
    got = {}
    with Session(create_engine(f"sqlite:///{database}")) as session:
        names: dict[str, Any] = {"session": session, "tables": generated}
        for title in ("root", "alpha"):
            by_title = select(generated.Category).where(generated.Category.title == title)
            names[title] = session.scalars(by_title).one()
        for queryset in QUERYSETS:
            node = cst.parse_expression(queryset)
            translation = translate(
                node, frozenset({"Category"}), relations, Scope(methods=methods)
            )
            bind_imports(names, translation.imports)
            names["settings"] = SimpleNamespace(ORDERED_CATEGORIES=ordered)  # Django's, as set
            found = eval(translation.code, names)
            got[queryset] = [found.title] if hasattr(found, "title") else [r.title for r in found]
    assert got == expected
    assert expected["Category.objects.visible().children(parent=alpha).ordered()"] == []
    assert len(expected["Category.objects.visible().children(parent=root).ordered()"]) == 3
