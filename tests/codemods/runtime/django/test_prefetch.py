"""`prefetching(statement, prefetch(...))`: Django's `Prefetch(..., to_attr=...)` after the rows
of a converted query are loaded, whatever runs the statement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import ForeignKey, Integer, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from codemods.runtime.django.prefetch import prefetch, prefetching


class Base(DeclarativeBase):
    pass


class Topic(Base):
    __tablename__ = "topic"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))


class Mark(Base):
    __tablename__ = "mark"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    user: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)


class Note(Base):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mark_id: Mapped[int] = mapped_column(ForeignKey("mark.id"))
    text: Mapped[str] = mapped_column(String(20))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    engine = create_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        first, second, third = Topic(title="first"), Topic(title="second"), Topic(title="third")
        session.add_all([first, second, third])
        session.flush()
        marks = [
            Mark(topic_id=first.id, user="ann", number=2),
            Mark(topic_id=first.id, user="bob", number=1),
            Mark(topic_id=first.id, user="ann", number=1),
            Mark(topic_id=second.id, user="bob", number=5),
        ]
        session.add_all(marks)
        session.flush()
        session.add_all([Note(mark_id=marks[2].id, text="b"), Note(mark_id=marks[2].id, text="a")])
        session.commit()
        yield session


def anns_marks() -> object:
    return prefetch(
        Mark.topic_id, select(Mark).where(Mark.user == "ann").order_by(Mark.number), "marks"
    )


def test_each_row_gets_its_related_rows_in_the_prefetch_order(session: Session) -> None:
    statement = prefetching(select(Topic).order_by(Topic.id), anns_marks())  # type: ignore[arg-type]
    topics = session.scalars(statement).all()
    assert [[mark.number for mark in topic.marks] for topic in topics] == [[1, 2], [], []]


def test_the_attribute_is_a_plain_list(session: Session) -> None:
    statement = prefetching(select(Topic).order_by(Topic.id), anns_marks())  # type: ignore[arg-type]
    topic = session.scalars(statement).first()
    assert type(topic.marks) is list  # type: ignore[union-attr]


def test_a_statement_narrowed_later_keeps_its_prefetches(session: Session) -> None:
    statement = prefetching(select(Topic), anns_marks())  # type: ignore[arg-type]
    topic = session.scalars(statement.where(Topic.title == "second").limit(1)).one()
    assert topic.marks == []


def test_a_prefetch_through_an_earlier_one_fills_the_rows_it_put(session: Session) -> None:
    notes = prefetch(Note.mark_id, select(Note).order_by(Note.text), "notes", through="marks")
    statement = prefetching(select(Topic).order_by(Topic.id), anns_marks(), notes)  # type: ignore[arg-type]
    first = session.scalars(statement).first()
    assert [[note.text for note in mark.notes] for mark in first.marks] == [["a", "b"], []]  # type: ignore[union-attr]


def test_a_count_of_the_statement_runs_no_prefetch(session: Session) -> None:
    topics = session.scalars(select(Topic)).all()
    statement = prefetching(select(Topic), prefetch(Mark.topic_id, select(Mark), "marks"))
    count = session.scalar(select(func.count()).select_from(statement.subquery()))
    assert count == 3
    assert not any(hasattr(topic, "marks") for topic in topics)
