"""`AwareDateTime` on SQLite compares as Django does: Django writes `str(value)` there (no
fraction at a whole second), and the column binds the same text, so a row Django wrote is equal
to its own datetime, and ordered and compared with others as Django's queries order them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.codemods.django.orm_rows import SETTINGS, converted_models, django_results

MODELS = """
    from django.db import models


    class Note(models.Model):
        date = models.DateTimeField()
"""
ROWS = """
from datetime import datetime, UTC
from forum.models import Note
Note.objects.create(date=datetime(2026, 1, 2, tzinfo=UTC))
Note.objects.create(date=datetime(2026, 1, 2, 0, 0, 0, 500, tzinfo=UTC))
"""
WHOLE = datetime(2026, 1, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ModuleType]]:
    files = {"__init__.py": "", "settings.py": SETTINGS, "models.py": MODELS}
    with converted_models(tmp_path_factory.mktemp("aware"), files) as forum:
        yield forum


def test_a_row_django_wrote_at_a_whole_second_equals_its_datetime(
    forum: tuple[Path, ModuleType], tmp_path: Path
) -> None:
    project, generated = forum
    database = tmp_path / "forum.sqlite3"
    queries = ["Note.objects.filter(date=WHOLE)", "Note.objects.filter(date__gt=WHOLE)"]
    setup = [ROWS, "WHOLE = datetime(2026, 1, 2, tzinfo=UTC)"]
    expected = django_results(project, database, setup, queries, "[r.pk for r in eval(q)]")
    note = generated.Note
    with Session(create_engine(f"sqlite:///{database}")) as session:
        equal = session.scalars(select(note.id).where(note.date == WHOLE)).all()
        later = session.scalars(select(note.id).where(note.date > WHOLE)).all()
        read = session.scalars(select(note.date).order_by(note.id)).all()

    assert [equal, later] == [expected[queries[0]], expected[queries[1]]] == [[1], [2]]
    assert read == [WHOLE, datetime(2026, 1, 2, 0, 0, 0, 500, tzinfo=UTC)]
