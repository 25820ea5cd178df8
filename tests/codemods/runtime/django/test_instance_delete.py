"""Django's `instance.delete()` leaves the instance readable: its foreign keys still load their
rows (spirit's favorite `delete` view redirects to `favorite.topic.get_absolute_url()` after
deleting it) and its primary key is None. The runtime's `delete` keeps that for SQLAlchemy rows,
which a commit otherwise leaves detached, their relationships unloadable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import ForeignKey, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, backref, mapped_column, relationship

from codemods.runtime.django.instances import delete


class Base(DeclarativeBase):
    pass


class Topic(Base):
    __tablename__ = "topic"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(20))


class Favorite(Base):
    __tablename__ = "favorite"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    topic: Mapped[Topic] = relationship(
        foreign_keys=[topic_id],
        backref=backref("favorites", cascade="all, delete-orphan"),
    )


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as opened:
        opened.add(Favorite(topic=Topic(title="t")))
        opened.commit()
        yield opened


def test_a_deleted_rows_foreign_key_still_reads_its_row(session: Session) -> None:
    favorite = session.scalars(select(Favorite)).one()
    delete(session, favorite)
    assert favorite.topic.title == "t"
    assert session.scalars(select(Favorite)).all() == []
    assert [topic.title for topic in session.scalars(select(Topic))] == ["t"]


def test_a_deleted_rows_primary_key_is_none_as_djangos(session: Session) -> None:
    favorite = session.scalars(select(Favorite)).one()
    delete(session, favorite)
    assert favorite.id is None
    assert favorite.topic_id is not None
