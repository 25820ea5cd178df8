"""`seek_rows(session, stmt)` answers what infinite-scroll-pagination's seek paginator asks of a
queryset as Django's queryset does: on one SQLite database Django writes notes (several on one
date), then each of the paginator's queries (its `Q` seek filters, orderings, `[:n]` slices,
`exists()`, `count()`) runs on Django's ORM and on `seek_rows` over the generated model."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.db.models import Q, QuerySet
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from codemods.runtime.django.seek_rows import seek_rows
from tests.codemods.django.orm_rows import SETTINGS, converted_models, django_results

MODELS = """
    from django.db import models


    class Note(models.Model):
        date = models.DateTimeField()
        title = models.CharField(max_length=20)
"""
ROWS = """
from datetime import datetime, UTC
from django.db.models import Q
from forum.models import Note
for n, day in enumerate([3, 1, 2, 2, 5, 2, 4]):
    Note.objects.create(date=datetime(2026, 1, day, tzinfo=UTC), title=f"n{n}")
qs = Note.objects.all()
"""
DAY = datetime(2026, 1, 2, tzinfo=UTC)
# the paginator's seek (next page, descending, after the row of key DAY / pk 4), and others
QUERIES = [
    "qs.order_by('-date', '-pk')[:3]",
    "qs.filter(Q(date__lte=DAY) & ~(Q(date=DAY) & ~Q(pk__lt='4'))).order_by('-date', '-pk')[:3]",
    "qs.filter(Q(date__gte=DAY) & ~(Q(date=DAY) & ~Q(pk__gt=4))).order_by('date', 'pk')",
    "qs.filter(Q(date__lt=DAY) | Q(title='n4')).order_by('pk')",
]


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("seek"), files) as forum:
        yield forum


def _both(forum: tuple[Path, ModuleType], tmp_path: Path, each: str) -> tuple[Any, Any]:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    setup = [ROWS, "DAY = datetime(2026, 1, 2, tzinfo=UTC)"]
    expected = django_results(project, database, setup, QUERIES, each)
    with Session(create_engine(f"sqlite:///{database}")) as session:
        names = {"qs": seek_rows(session, select(generated.Note)), "Q": Q, "DAY": DAY}
        got = {query: eval(each, {**names, "q": query}) for query in QUERIES}
    return got, expected


def test_the_seek_queries_give_djangos_rows_in_its_order(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    got, expected = _both(forum, tmp_path, "[r.pk for r in list(eval(q))]")

    assert got == expected
    assert all(expected.values())


def test_exists_and_count_answer_as_djangos(forum: tuple[Path, ModuleType], tmp_path: Path) -> None:
    got, expected = _both(forum, tmp_path, "[eval(q).exists(), eval(q).count()]")

    assert got == expected


def test_it_is_a_queryset_for_the_paginators_check() -> None:
    assert isinstance(seek_rows(Session(), select()), QuerySet)


def test_a_lookup_through_a_relation_is_refused(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    _, generated = forum
    rows = seek_rows(Session(), select(generated.Note))

    with pytest.raises(TypeError, match="own columns"):
        rows.filter(author__name="x")
