"""`context_rows` (runtime context_rows.py): a statement's rows as a list answering the reads a
template makes of Django's queryset."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.context_rows import context_rows


class Base(DeclarativeBase):
    pass


class Task(Base):
    __tablename__ = "task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))


@pytest.fixture
def session() -> Session:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all([Task(id=1, title="milk"), Task(id=2, title="bread")])
        session.commit()
        return session


def test_the_rows_count_and_exist_as_a_querysets_do(session: Session) -> None:
    rows = context_rows(session, select(Task).order_by(Task.id))

    assert rows is not None
    assert [task.title for task in rows] == ["milk", "bread"]
    assert (rows.count(), rows.exists(), list(rows.all())) == (2, True, list(rows))
    assert rows.count(rows[0]) == 1  # a list's count of a value still answers


def test_no_rows_do_not_exist(session: Session) -> None:
    rows = context_rows(session, select(Task).where(Task.id > 9))

    assert rows is not None
    assert (rows.count(), rows.exists(), bool(rows)) == (0, False, False)


def test_none_stays_none_as_djangos_view_gives_it() -> None:
    assert context_rows(Session(), None) is None
