"""`delete(session, row, cascade=[...])`: the rows whose keys point at a deleted row (given by
those keys, transitively) are deleted first, as Django's `on_delete=CASCADE` collector does, for
keys the generated models have no cascading relationship for. `delete_rows(session, statement,
cascade=[...])`, a queryset's `delete()`, does the same for every row the statement selects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import ForeignKey, Integer, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.instances import delete, delete_rows


class Base(DeclarativeBase):
    @property
    def pk(self) -> int:
        """As the generated models give it."""
        return int(self.id)  # type: ignore[attr-defined]


class Chores(Base):
    __tablename__ = "cascade_list"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class Chore(Base):
    __tablename__ = "cascade_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(Integer, ForeignKey("cascade_list.id"))


class Note(Base):
    __tablename__ = "cascade_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("cascade_task.id"))


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as opened:
        opened.add_all([Chores(id=1), Chores(id=2)])
        opened.add_all([Chore(id=1, list_id=1), Chore(id=2, list_id=1), Chore(id=3, list_id=2)])
        opened.add_all([Note(id=1, task_id=1), Note(id=2, task_id=2), Note(id=3, task_id=3)])
        opened.commit()
        yield opened


def counts(session: Session) -> list[int]:
    return [
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Chores, Chore, Note)
    ]


def test_the_rows_pointing_at_the_deleted_row_go_first_transitively(session: Session) -> None:
    delete(session, session.get(Chores, 1), cascade=[Chore.list_id, Note.task_id])
    assert counts(session) == [1, 1, 1]
    assert session.scalars(select(Note.task_id)).all() == [3]


def test_a_key_pointing_at_another_table_is_not_followed_from_this_one(session: Session) -> None:
    delete(session, session.get(Chore, 3), cascade=[Chore.list_id, Note.task_id])
    assert counts(session) == [2, 2, 2]


def test_without_keys_only_the_row_goes(session: Session) -> None:
    delete(session, session.get(Note, 1))
    assert counts(session) == [2, 3, 2]


def test_a_querysets_delete_removes_every_selected_row_and_what_points_at_them(
    session: Session,
) -> None:
    delete_rows(session, select(Chore).where(Chore.list_id == 1), cascade=[Note.task_id])
    assert counts(session) == [2, 1, 1]
    assert session.scalars(select(Note.task_id)).all() == [3]


def test_a_querysets_delete_selecting_nothing_deletes_nothing(session: Session) -> None:
    delete_rows(session, select(Chore).where(Chore.list_id == 9), cascade=[Note.task_id])
    assert counts(session) == [2, 3, 3]
