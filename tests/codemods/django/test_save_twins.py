"""A model's own `save()` that queries (save_twins.py, model_methods.py): a twin on the generated
class, `save_with_session`, its queries translated and ending in the row's write, run by the
runtime's `save(session, row)` before the row's changes reach the database, as Django runs the
queries before its write (django-sql-explorer's DatabaseConnection unsets the other defaults)."""

from __future__ import annotations

from types import ModuleType, SimpleNamespace

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from codemods.django.model_methods import read_method_twins
from codemods.django.rules.models import DjangoModelsRule
from codemods.runtime.django.instances import save
from tests.codemods.django.support import convert, load

CONNECTION = """
from django.db import models, transaction


class Connection(models.Model):
    alias = models.CharField(max_length=40)
    default = models.BooleanField(default=False)

    def save(self, *args, **kwargs):
        if self.default:
            with transaction.atomic():
                Connection.objects.filter(default=True).update(default=False)
        else:
            has_default = Connection.objects.filter(default=True).exists()
            if not has_default:
                self.default = True
        super().save(*args, **kwargs)
"""


def generated_code() -> str:
    analysis = SimpleNamespace(models_sources=[CONNECTION])
    return convert(CONNECTION, [DjangoModelsRule], analysis=analysis)[0]


def twin_reason(source: str) -> str:
    return read_method_twins([source])["Connection"]["save"].reason


def test_a_querying_save_gets_a_twin_ending_in_the_rows_write() -> None:
    code = generated_code()
    twin = code[code.index("def save_with_session") : code.index("class ConnectionSchema")]
    assert twin.startswith("def save_with_session(self, *args, session: Session, **kwargs):")
    assert "update_rows(session, select(Connection)" in twin
    assert twin.rstrip().endswith("write_row(session, self)")
    assert "atomic" not in twin and "super()" not in twin


def test_an_atomic_block_of_several_statements_keeps_the_save_djangos() -> None:
    source = CONNECTION.replace(
        "                Connection.objects.filter(default=True).update(default=False)\n",
        "                Connection.objects.filter(default=True).update(default=False)\n"
        "                Connection.objects.filter(alias='').delete()\n",
    )
    assert twin_reason(source) == "a transaction.atomic() block of more than one statement"


def test_a_save_not_ending_in_the_parents_keeps_the_save_djangos() -> None:
    source = CONNECTION.replace(
        "        super().save(*args, **kwargs)\n",
        "        super().save(*args, **kwargs)\n        self.alias = 'x'\n",
    )
    assert twin_reason(source) == "its last statement is not the parent's save()"


@pytest.fixture(scope="module")
def generated() -> ModuleType:
    return load(generated_code(), "generated_save_twin_models")


def defaults(session: Session, generated: ModuleType) -> dict[str, bool]:
    rows = session.execute(select(generated.Connection.alias, generated.Connection.default))
    return {alias: default for alias, default in rows}


def test_a_new_default_row_unsets_the_others_and_stays_the_default(
    generated: ModuleType,
) -> None:
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        save(session, generated.Connection(id=1, alias="a", default=True))
        save(session, generated.Connection(id=2, alias="b", default=True))
        assert defaults(session, generated) == {"a": False, "b": True}


def test_the_first_row_becomes_the_default_and_a_later_one_does_not(
    generated: ModuleType,
) -> None:
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        save(session, generated.Connection(id=1, alias="a", default=False))
        save(session, generated.Connection(id=2, alias="b", default=False))
        assert defaults(session, generated) == {"a": True, "b": False}


def test_an_edited_default_row_is_written_after_the_others_are_unset(
    generated: ModuleType,
) -> None:
    # Django: UPDATE ... SET default = false (this row too), then the row's save writes it
    # again with default = true
    engine = create_engine("sqlite://")
    generated.Base.metadata.create_all(engine)
    with Session(engine) as session:
        save(session, generated.Connection(id=1, alias="a", default=True))
        row = session.scalars(select(generated.Connection)).one()
        row.alias = "renamed"
        save(session, row)
        assert defaults(session, generated) == {"renamed": True}
